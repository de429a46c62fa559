"""{% pager %} (public/templatetags/site_tags.py): the links to a list's other pages, as a reader
follows them, in both languages, with the query string's filters and other pagers kept."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from lxml import html

from tests.helpers import LANGUAGES, text

PAGER = Template("{% load site_tags %}{% pager page_obj param %}")


def drawn(path, count, number, param="page", language="en"):
    """The pager's <nav>, parsed, for page `number` of `count` items at 20 a page."""
    with translation.override(language):
        request = RequestFactory().get(path)
        page_obj = Paginator(range(count), 20).get_page(number)
        markup = PAGER.render(Context({"request": request, "page_obj": page_obj, "param": param}))
    return html.fragment_fromstring(markup) if markup.strip() else None


def items(nav):
    """Each entry as a reader sees it: its text, and where it leads (None for the current page and
    the ellipsis)."""
    return [(text(li), (li.xpath("a/@href") or [None])[0]) for li in nav.xpath("ul/li")]


def query(href):
    return parse_qs(urlsplit(href).query)


@pytest.mark.parametrize("count", [0, 1, 20])
def test_no_pager_for_one_page(count):
    assert drawn("/en/conferences/", count, 1) is None


def test_the_first_page_leads_to_the_next_and_to_the_pages_near_it():
    nav = drawn("/en/conferences/", 200, 1)
    assert nav.tag == "nav" and nav.get("class") == "pagination" and nav.get("aria-label") == "Pages"
    assert text(nav.xpath("p")[0]) == "Page 1 of 10"
    assert items(nav) == [
        ("1", None), ("2", "?page=2"), ("3", "?page=3"), ("…", None), ("10", "?page=10"), ("Next", "?page=2"),
    ]
    assert nav.xpath("ul/li/span[@aria-current='page']/text()") == ["1"]
    assert nav.xpath("ul/li/span[@aria-hidden='true']/text()") == ["…"]
    assert nav.xpath("ul/li/a[@rel='next']/@href") == ["?page=2"] and not nav.xpath("//a[@rel='prev']")


def test_a_middle_page_leads_both_ways_with_both_ends_in_reach():
    nav = drawn("/en/conferences/?page=50", 2_000, 50)
    assert text(nav.xpath("p")[0]) == "Page 50 of 100"
    assert items(nav) == [
        ("Previous", "?page=49"), ("1", "?page=1"), ("…", None),
        ("48", "?page=48"), ("49", "?page=49"), ("50", None), ("51", "?page=51"), ("52", "?page=52"),
        ("…", None), ("100", "?page=100"), ("Next", "?page=51"),
    ]
    assert nav.xpath("ul/li/a[@rel='prev']/@href") == ["?page=49"]


def test_the_last_page_leads_back_only():
    nav = drawn("/en/conferences/?page=3", 45, 3)
    assert items(nav) == [("Previous", "?page=2"), ("1", "?page=1"), ("2", "?page=2"), ("3", None)]
    assert not nav.xpath("//a[@rel='next']")


def test_a_page_past_the_end_shows_the_last():
    nav = drawn("/en/conferences/?page=99", 45, 99)
    assert text(nav.xpath("p")[0]) == "Page 3 of 3"


@pytest.mark.parametrize("param", [None, ""])
def test_without_a_name_the_pager_uses_page(param):
    nav = drawn("/en/conferences/", 45, 1, param=param)
    assert items(nav)[-1] == ("Next", "?page=2")


def test_links_keep_the_filters_and_the_other_pagers():
    nav = drawn("/en/countries/ly/?host-page=2&q=a%3Cb&participant-page=3&participant-page=5&country=ly", 100, 3,
                param="participant-page")
    for _label, href in items(nav):
        if href is None:
            continue
        kept = query(href)
        assert kept["host-page"] == ["2"] and kept["q"] == ["a<b"] and kept["country"] == ["ly"], href
        assert len(kept["participant-page"]) == 1, href
    hrefs = dict(items(nav))
    assert query(hrefs["Next"])["participant-page"] == ["4"]
    assert query(hrefs["Previous"])["participant-page"] == ["2"]
    # The query's own text is escaped in the markup, not taken as markup.
    assert "<b" not in PAGER.render(Context({
        "request": RequestFactory().get("/en/?q=%3Cb%3E"), "page_obj": Paginator(range(45), 20).get_page(1),
        "param": "page",
    }))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pager_speaks_the_pages_language(language):
    nav = drawn(f"/{language}/conferences/?page=2", 100, 2, language=language)
    with translation.override(language):
        expected = {
            "label": translation.gettext("Pages"),
            "meta": translation.gettext("Page %(number)s of %(count)s") % {"number": 2, "count": 5},
            "previous": translation.gettext("Previous"),
            "next": translation.gettext("Next"),
        }
    if language == "ar":
        assert expected == {"label": "الصفحات", "meta": "الصفحة 2 من 5", "previous": "السابقة", "next": "التالية"}
    assert nav.get("aria-label") == expected["label"]
    assert text(nav.xpath("p")[0]) == expected["meta"]
    assert items(nav)[0][0] == expected["previous"] and items(nav)[-1][0] == expected["next"]
