"""Tags the site's templates need: the page in the other language, pagination, external links,
and the parts of every page drawn once per language (`chrome`)."""

import re
from functools import lru_cache
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.defaultfilters import date
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
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


# Bumped by any change of settings (tests override the URLs, the static files' storage…): what
# was drawn or worked out under the old ones is not used again.
_generation = 0


def _settings_changed(**kwargs):
    global _generation
    _generation += 1
    _translated.cache_clear()
    _site_image.cache_clear()


setting_changed.connect(_settings_changed, dispatch_uid="public.site_tags.settings_changed")


class ChromeNode(template.Node):
    """Markup drawn once per process for each language, URL prefix and key, then reused."""

    # Not searched for blocks (a block inside would be drawn once too): each render of a page
    # that extends base.html walks base.html's nodes looking for them.
    child_nodelists = ()

    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        # Kept on the node, so a template read again (a changed file in development) starts afresh.
        self.drawn = {}

    def render(self, context):
        key = (
            translation.get_language(), get_script_prefix(), get_urlconf(), _generation,
            *(expression.resolve(context) for expression in self.keys),
        )
        drawn = self.drawn.get(key)
        if drawn is None:
            drawn = self.drawn[key] = self.nodelist.render(context)
        return drawn


@register.tag
def chrome(parser, token):
    """{% chrome [key …] %}…{% endchrome %}: a part of every page (the header, the footer) that
    depends on nothing but the language and the keys given, drawn once for each of them.

    Every page pays for the site's header and footer: a dozen links to reverse and some twenty
    texts to translate. Whatever else the part shows must be a key, or stay outside it.
    """
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(nodelist, keys)


@lru_cache(maxsize=4096)
def _translated(path, code, language, urlconf, script_prefix, generation):
    """translate_url(path, code): a resolve and a reverse, the same for every request of a path
    in a language (the path resolves in the active language only)."""
    return translate_url(path, code)


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
    urlconf, prefix = get_urlconf(), get_script_prefix()
    for code, _name in settings.LANGUAGES:
        translated = _translated(path, code, current, urlconf, prefix, _generation)
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
        address, alt = _site_image(translation.get_language(), _generation)
    return {
        "url": addresses.absolute_url(request, address), "alt": alt,
        "width": previews.WIDTH, "height": previews.HEIGHT,
    }


# The locales of og:locale, by language.
OG_LOCALES = {"ar": "ar_AR", "en": "en_US"}


@register.simple_tag(takes_context=True)
def page_meta_tags(context):
    """The page's description and its preview when its address is pasted into an article, a chat
    or a social network (Open Graph, Twitter card), in the page's language, as <meta> tags.

    The view gives `page_meta` (public.structured_data.PageMeta); a page without one is described
    as the portal. og:url is the canonical address, from `versions` (the language_versions tag in
    base.html). The image is the page's own (a conference, a country, a series: public/previews.py)
    or the site's. Drawn here rather than by an included template: every page has them.
    """
    page_meta, versions = context.get("page_meta"), context.get("versions") or {}
    site_name = gettext("Security Conferences in Africa")
    title = conditional_escape((page_meta and page_meta.title) or site_name)
    description = conditional_escape((page_meta and page_meta.description) or gettext(
        "A bilingual reference on security and intelligence conferences in Africa, every fact backed by "
        "the reports it comes from."
    ))
    og_type = (page_meta and page_meta.og_type) or "website"
    tags = [
        f'<meta name="description" content="{description}">',
        f'<meta property="og:site_name" content="{conditional_escape(site_name)}">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:type" content="{conditional_escape(og_type)}">',
    ]
    if versions.get("current"):
        tags.append(f'<meta property="og:url" content="{conditional_escape(versions["current"])}">')
    tags.append(f'<meta property="og:locale" content="{OG_LOCALES.get(translation.get_language(), "en_US")}">')
    for version in versions.get("others", ()):
        tags.append(f'<meta property="og:locale:alternate" content="{OG_LOCALES.get(version["code"], "en_US")}">')
    if og_type == "article" and page_meta.modified:
        tags.append(f'<meta property="article:modified_time" content="{date(page_meta.modified, "c")}">')
    image = preview_image(context)
    if image:
        url, alt = conditional_escape(image["url"]), conditional_escape(image["alt"])
        tags += [
            f'<meta property="og:image" content="{url}">',
            '<meta property="og:image:type" content="image/png">',
            f'<meta property="og:image:width" content="{image["width"]}">',
            f'<meta property="og:image:height" content="{image["height"]}">',
            f'<meta property="og:image:alt" content="{alt}">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:image" content="{url}">',
            f'<meta name="twitter:image:alt" content="{alt}">',
        ]
    else:
        tags.append('<meta name="twitter:card" content="summary">')
    tags += [
        f'<meta name="twitter:title" content="{title}">',
        f'<meta name="twitter:description" content="{description}">',
    ]
    return mark_safe("\n  ".join(tags))


@lru_cache(maxsize=16)
def _site_image(language, generation):
    """The site's own preview image and its description, in a language."""
    language = "en" if (language or "").startswith("en") else "ar"
    return static(f"previews/site-{language}.png"), previews.alt_text("site", gettext("Security Conferences in Africa"))


ON_EACH_SIDE, ON_ENDS = 2, 1


@register.simple_tag(takes_context=True)
def pager(context, page_obj, param="page"):
    """The links to a list's other pages, when it has more than one: the previous and next page,
    and the page numbers around this one, with an ellipsis where some are left out. Each link keeps
    the query string's other parameters (the list's filters, a page's other pagers); `param` names
    this pager's own ("page" unless told), for a page with several."""
    if not (page_obj and page_obj.paginator.num_pages > 1):
        return ""
    param = param or "page"
    query = context["request"].GET.copy()

    def link(number):
        query[param] = number
        return escape(f"?{addresses.page_query(query)}")

    number, paginator = page_obj.number, page_obj.paginator
    label = gettext("Page %(number)s of %(count)s") % {
        "number": escape(localize(number)), "count": escape(localize(paginator.num_pages)),
    }
    # Each text translated outside an f-string, where makemessages finds it.
    pages, previous, following = escape(gettext("Pages")), escape(gettext("Previous")), escape(gettext("Next"))
    items = []
    if page_obj.has_previous():
        items.append(f'<a href="{link(page_obj.previous_page_number())}" rel="prev">{previous}</a>')
    for each in paginator.get_elided_page_range(number, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS):
        if each == number:
            items.append(f'<span aria-current="page">{escape(localize(each))}</span>')
        elif each == paginator.ELLIPSIS:
            items.append('<span aria-hidden="true">…</span>')
        else:
            items.append(f'<a href="{link(each)}">{escape(localize(each))}</a>')
    if page_obj.has_next():
        items.append(f'<a href="{link(page_obj.next_page_number())}" rel="next">{following}</a>')
    listed = "".join(f"    <li>{item}</li>\n" for item in items)
    return mark_safe(
        f'<nav class="pagination" aria-label="{pages}">\n  <p class="meta">{label}</p>\n  <ul>\n{listed}  </ul>\n</nav>'
    )


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
