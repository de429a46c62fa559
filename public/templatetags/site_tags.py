"""Tags the site's templates need: the page in the other language, pagination, external links."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext

from public import previews

register = template.Library()

# Each language's name in itself, as a language switch shows it: never translated.
AUTONYMS = {"ar": "العربية", "en": "English"}


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language, as absolute URLs built from the request.

    Returns `current` (the canonical URL), `alternates` (one per language, for hreflang),
    `x_default` (the Arabic page: Arabic is the source language) and `others` (what the
    language switch links to). A path that resolves to no page falls back to the home page.
    """
    request = context.get("request")
    if request is None:
        return {}
    current = translation.get_language()
    path = request.get_full_path()
    alternates = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        if code != current and translated == path:
            with translation.override(code):
                translated = reverse("pages:home")
        alternates.append(
            {"code": code, "name": AUTONYMS.get(code, code), "url": request.build_absolute_uri(translated)}
        )
    by_code = {item["code"]: item for item in alternates}
    return {
        "current": request.build_absolute_uri(path),
        "alternates": alternates,
        "x_default": by_code[settings.LANGUAGE_CODE]["url"],
        "others": [item for item in alternates if item["code"] != current],
    }


@register.simple_tag(takes_context=True)
def preview_image(context):
    """The page's preview image (og:image) as an absolute URL, with its size and description.

    A page whose `page_meta` has an image (a conference, a country, a series) shows its own;
    every other page the site's, in its language (static/previews/, scripts/build_previews.py).
    """
    request = context.get("request")
    if request is None:
        return None
    page_meta = context.get("page_meta")
    if getattr(page_meta, "image", ""):
        address, alt = page_meta.image, page_meta.image_alt
    else:
        language = "en" if (translation.get_language() or "").startswith("en") else "ar"
        address = static(f"previews/site-{language}.png")
        alt = previews.alt_text("site", gettext("Security Conferences in Africa"))
    return {
        "url": request.build_absolute_uri(address), "alt": alt,
        "width": previews.WIDTH, "height": previews.HEIGHT,
    }


@register.simple_tag
def page_range(page_obj, on_each_side=2, on_ends=1):
    """Page numbers around the current page, with Paginator.ELLIPSIS where some are left out."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page"):
    """The query string with one pager's page set, keeping the filters and the other pagers."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"


@register.filter
def hostname(address):
    """The site an external address points to, e.g. ar.espacemanager.com: short and readable."""
    return urlsplit(address or "").hostname or ""
