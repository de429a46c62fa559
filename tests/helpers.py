"""What many test modules share: fetching a page as a reader does and reading it with a real HTML parser.

    document = page(client, "conferences:detail", "en", slug=conference.slug)
    text(document.xpath("//h1")[0])
    links(document)                     # every <a href>
    head_links(document, "alternate")   # <link rel="alternate"> in the head
    json_ld(document)                   # the page's schema.org data
"""

import importlib.util
import json
import logging
from contextlib import contextmanager
from functools import cache
from io import StringIO
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import html

LANGUAGES = ("ar", "en")
ROOT = Path(__file__).resolve().parent.parent


def url(name, language, **kwargs):
    """The address of a named page in a language."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def record_url(record, language):
    with translation.override(language):
        return record.get_absolute_url()


def parse(response):
    """The document of an HTML response."""
    return html.fromstring(response.content.decode(response.charset or "utf-8"))


def get(client, address, status=200, **headers):
    response = client.get(address, **headers)
    assert response.status_code == status, (address, response.status_code)
    return response


def page(client, name, language, status=200, **kwargs):
    """The parsed page of a URL name in a language, after checking its status."""
    return parse(get(client, url(name, language, **kwargs), status))


def record_page(client, record, language, status=200):
    return parse(get(client, record_url(record, language), status))


def text(element):
    """An element's text as a reader reads it: whitespace folded."""
    return " ".join(element.text_content().split())


def page_text(document):
    return text(document.xpath("//body")[0])


def links(document):
    return [anchor.get("href") for anchor in document.xpath("//a[@href]")]


def head_links(document, rel):
    return document.xpath(f'//head/link[@rel="{rel}"]')


def meta(document, key):
    """The content of <meta name=key> or <meta property=key>, or None."""
    found = document.xpath(f'//head/meta[@name="{key}" or @property="{key}"]/@content')
    return found[0] if found else None


def json_ld(document):
    blocks = document.xpath('//script[@type="application/ld+json"]/text()')
    assert len(blocks) <= 1
    return json.loads(blocks[0]) if blocks else None


# --- The admin, as an editor uses it ------------------------------------------------------------

PASSWORD = "Sahara-Atlas-2025!"


def form_data(response, form_id=None):
    """The POST data of the page's admin form (its id is "<model>_form"), as a browser sends it.

    A field sent once is a string, a multiple choice a list, even of one.
    """
    assert response.status_code == 200, response.status_code
    form_id = form_id or f"{response.context['opts'].model_name}_form"
    forms = parse(response).xpath(f'//form[@id="{form_id}"]')
    assert forms, f"no form #{form_id} on the page"
    form = forms[0]
    textareas = set(form.xpath(".//textarea/@name"))
    multiple = set(form.xpath(".//select[@multiple]/@name"))
    data = {}
    for name, value in form.form_values():
        if "__prefix__" in name:  # the hidden template of an inline's "Add another" row
            continue
        if name in textareas and value.startswith("\n"):
            value = value[1:]  # a browser drops the newline that opens a textarea
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 or name in multiple else values[0] for name, values in data.items()}


def errors_on(document, field):
    """The errors shown on one field of the main form."""
    rows = f'//div[contains(concat(" ", @class, " "), " field-{field} ")]'
    return [text(item) for item in document.xpath(f'{rows}//ul[contains(@class, "errorlist")]/li')]


def history_changes(document):
    """The history page's changes, one (field, old value, new value) per line."""
    return [
        (text(item.xpath("strong")[0]), text(item.xpath('bdi[@class="history-old"]')[0]),
         text(item.xpath('bdi[@class="history-new"]')[0]))
        for item in document.xpath('//ul[@class="history-changes"]/li')
    ]


def logged_in(username):
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")
    return client


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def history_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_history", args=[record.pk])


# --- The backup -------------------------------------------------------------------------------

# The README's backup command, less the output file.
DUMP_ARGS = [
    "--natural-foreign",
    "--all",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=axes",
    # migrate makes the Editors group, with its rights; users name their groups by name.
    "--exclude=auth.group",
    # The page cache's version counter (core/state.py): the running site's state, not content.
    "--exclude=core.sitestate",
    # XML keeps datetimes to the microsecond; Django's JSON stops at the millisecond.
    "--format=xml",
    "--indent=2",
]


# --- Places on the map ----------------------------------------------------------------------------

# Towns of Western Sahara, inland and on the coast, and two of Morocco (longitude, latitude).
IN_WESTERN_SAHARA = {"Smara": (-11.67, 26.74), "Boujdour": (-14.3, 26.1), "Bir Anzarane": (-14.5, 23.9)}
IN_MOROCCO = {"Fes": (-5.0, 34.03), "Marrakech": (-8.0, 31.63)}


@cache
def _frame():
    spec = importlib.util.spec_from_file_location("build_map", ROOT / "scripts" / "build_map.py")
    build_map = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_map)
    return build_map.Frame(build_map.FRAME_POINTS)


def on_the_map(lon, lat):
    """Where a place falls on the map, in its viewBox's units: the projection the shapes were built with."""
    return _frame()(lon, lat)


# --- Example pages, one of each public URL ---------------------------------------------------

# One example of each public URL, with the path it must keep (permalinks do not move). The slugs
# are those of full_conference() and its records, so that every example page can be fetched.
EXAMPLES = {
    "pages:home": ({}, ""),
    "conferences:list": ({}, "conferences/"),
    "conferences:detail": ({"slug": "summit-2025"}, "conferences/summit-2025/"),
    "topics:list": ({}, "topics/"),
    "topics:detail": ({"slug": "terrorism"}, "topics/terrorism/"),
    "sources:list": ({}, "sources/"),
    "pages:search": ({}, "search/"),
    "pages:about": ({}, "about/"),
    "series:list": ({}, "series/"),
    "series:detail": ({"slug": "intelligence-chiefs"}, "series/intelligence-chiefs/"),
    "sources:detail": ({"slug": "report-ar"}, "sources/report-ar/"),
    "countries:list": ({}, "countries/"),
    "countries:detail": ({"code": "ly"}, "countries/ly/"),
    "people:list": ({}, "people/"),
    "people:detail": ({"slug": "mahmoud-hamza"}, "people/mahmoud-hamza/"),
    "organizations:list": ({}, "organizations/"),
    "organizations:detail": ({"slug": "military-intelligence"}, "organizations/military-intelligence/"),
    "feeds:conferences": ({}, "feeds/conferences.atom"),
    "conferences:preview": ({"slug": "summit-2025"}, "conferences/summit-2025/preview.png"),
    "countries:preview": ({"code": "ly"}, "countries/ly/preview.png"),
    "series:preview": ({"slug": "intelligence-chiefs"}, "series/intelligence-chiefs/preview.png"),
    "conferences:ris": ({"slug": "summit-2025"}, "conferences/summit-2025/cite.ris"),
    "conferences:csl": ({"slug": "summit-2025"}, "conferences/summit-2025/cite.json"),
}
# The examples that are HTML pages, not feeds, images or citation files.
FILES = (":preview", ":ris", ":csl")
PAGES = sorted(name for name in EXAMPLES if not name.startswith("feeds:") and not name.endswith(FILES))


# --- Debian's Chromium, for the browser tests ------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- Timelines ---------------------------------------------------------------------------------

def timeline(document):
    """The timeline of a page: {year: [entry]} and the undated entries.

    An entry is a dict: `classes` (a set), `href`, and `text` (what it says).
    """
    sections = document.xpath('//section[@class="timeline"]')
    assert len(sections) == 1
    years = {
        int(section.get("aria-labelledby").removeprefix("timeline-")): entries(section)
        for section in sections[0].xpath('.//section[@class="tl-year"]')
    }
    undated = sections[0].xpath('.//section[@class="tl-undated"]')
    return years, entries(undated[0]) if undated else []


def entries(section):
    """The entries of a year (its bars, then its "+N more" links) or of the undated list; not the month row."""
    found = []
    for item in section.xpath('.//li[not(ancestor::ol[@class="tl-scale"])]'):
        href = item.xpath(".//a/@href")
        found.append({"classes": set(item.get("class", "").split()), "href": href[0] if href else None,
                      "text": text(item)})
    return found


def entry(years, year, href):
    matches = [item for item in years.get(year, []) if item["href"] == href]
    assert len(matches) == 1, (year, href, years.get(year))
    return matches[0]


# --- The JSON log ------------------------------------------------------------------------------

LOGGERS = ("portal.request", "django", "django.request", "axes")


@contextmanager
def capture_log():
    """Yields a function that returns the JSON lines written so far, parsed."""
    stream = StringIO()
    handlers = {handler for name in LOGGERS for handler in logging.getLogger(name).handlers}
    assert handlers, "settings.LOGGING configures no handler"
    previous = {handler: handler.setStream(stream) for handler in handlers}
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        for handler, old in previous.items():
            handler.setStream(old)
