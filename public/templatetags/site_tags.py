"""Tags the site's templates need: the page in the other language, pagination, external links."""

import re
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from public import addresses, previews
from public.security import web_address

register = template.Library()

# Runs of words in a right-to-left script (Arabic, Hebrew, Syriac, Thaana…), and of words in the
# Latin script, with the spaces, digits and punctuation between the words of one run.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
# Brackets and quotation marks stay outside, so each pair stays together.
_BETWEEN = r"[\s\d.,:;!?'’/&-]+"
_RUNS = {
    "rtl": re.compile(rf"([{_RTL}]+(?:{_BETWEEN}[{_RTL}]+)*)"),
    "ltr": re.compile(rf"([{_LATIN}]+(?:{_BETWEEN}[{_LATIN}]+)*)"),
}


# Each language's name in itself, as a language switch shows it: never translated.
AUTONYMS = {"ar": "العربية", "en": "English"}


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language, as absolute URLs on the public address (public/addresses.py).

    Returns `current` (the canonical URL), `alternates` (one per language, for hreflang),
    `x_default` and `others` (what the language switch links to). They keep only the query
    parameters that change the page. A path that resolves to no page falls back to the home page.
    x-default is the address without a language, which sends each reader to their language: the
    same as the sitemap's (Django's i18n sitemap).
    """
    request = context.get("request")
    if request is None:
        return {}
    current = translation.get_language()
    path = addresses.page_path(request)
    alternates = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        if code != current and translated == path:
            with translation.override(code):
                translated = reverse("pages:home")
        alternates.append({"code": code, "name": AUTONYMS.get(code, code), "path": translated,
                           "url": addresses.absolute_url(request, translated)})
    by_code = {item["code"]: item for item in alternates}
    default_path = by_code[settings.LANGUAGE_CODE]["path"].replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
    return {
        "current": addresses.absolute_url(request, path),
        "alternates": alternates,
        "x_default": addresses.absolute_url(request, default_path),
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
        "url": addresses.absolute_url(request, address), "alt": alt,
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
    return f"?{addresses.page_query(query)}"


@register.filter
def hostname(address):
    """The site an external address points to, e.g. ar.espacemanager.com: short and readable."""
    return urlsplit(address or "").hostname or ""


@register.filter(name="web_address")
def web_address_filter(address):
    """An external address to link to: itself when it is http or https, else "" (public/security.py)."""
    return web_address(address)


@register.filter
def isolate_runs(value):
    """Plain text in the page's own direction, its runs in the other direction each in a <bdi>.

    A note is written in the page's language but may name something in the other script ("عقيلة
    صالح attended as Speaker…"); with dir="auto" its first word would turn the whole note around.
    """
    if not value:
        return value
    runs = _RUNS["ltr" if translation.get_language_bidi() else "rtl"]
    parts = runs.split(str(value))
    return mark_safe("".join(
        f"<bdi>{escape(part)}</bdi>" if index % 2 else escape(part) for index, part in enumerate(parts)
    ))
