"""The series pages: the list of recurring conferences, and each series with its editions
and their timeline, read as a visitor reads them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from conferences.models import Conference, Series
from organizations.models import Organization
from tests.test_public_pages import Page, fetch, url
from tests.test_timeline import create, entry, timeline

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en"]
CISSA = "cissa-conferences"
MARRAKECH = "marrakech-platform-meetings"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_addresses_are_the_same_in_both_languages(language):
    with translation.override(language):
        assert reverse("series:list") == f"/{language}/series/"
        assert reverse("series:detail", kwargs={"slug": CISSA}) == f"/{language}/series/{CISSA}/"
        assert resolve(f"/{language}/series/{CISSA}/").view_name == "series:detail"


# --- The list of series -------------------------------------------------------------------------


def test_the_list_shows_each_series_with_its_number_of_editions(client):
    html = fetch(client, "series:list", "en")
    assert html.h1() == ["Series"]
    assert f"/en/series/{CISSA}/" in html.hrefs()
    assert f"/en/series/{MARRAKECH}/" in html.hrefs()
    text = html.text
    assert re.search(r"\(CISSA\) \(2 editions\) — Committee of Intelligence and Security Services", text)
    assert '("Marrakech Platform") (1 edition)' in text


def test_the_list_in_arabic(client):
    html = fetch(client, "series:list", "ar")
    assert html.h1() == ["سلاسل المؤتمرات"]
    assert html.html["dir"] == "rtl"
    assert "(دورتان)" in html.text
    assert "(دورة واحدة)" in html.text
    assert f"/ar/series/{CISSA}/" in html.hrefs()


def test_the_site_navigation_leads_to_the_list(client):
    html = fetch(client, "pages:home", "en")
    assert "/en/series/" in html.hrefs()
    content = client.get("/en/series/").content.decode()
    assert '<a href="/en/series/" aria-current="page">Series</a>' in content
    assert '<a href="/ar/series/" aria-current="page">سلاسل المؤتمرات</a>' in client.get("/ar/series/").content.decode()


# --- A series -----------------------------------------------------------------------------------------


def test_a_series_shows_its_name_organization_editions_and_timeline(client):
    html = fetch(client, "series:detail", "en", slug=CISSA)
    assert html.h1() == ["Conferences of the Committee of Intelligence and Security Services of Africa (CISSA)"]
    organization = Organization.objects.get(slug="cissa")
    assert organization.get_absolute_url().replace("/ar/", "/en/") in html.hrefs()
    assert "Editions on record 2" in html.text
    # The editions, newest first: the undated one last.
    editions = [href for href in html.hrefs() if re.fullmatch(r"/en/conferences/[\w-]+/", href)]
    assert editions[:2] == ["/en/conferences/cissa-20-benghazi-2025/", "/en/conferences/cissa-21/"]
    years, undated = timeline(client.get(url("series:detail", "en", slug=CISSA)).content)
    assert list(years) == [2025]
    assert {"tl-exact", "tl-s8", "tl-e8"} <= entry(years, 2025, "/en/conferences/cissa-20-benghazi-2025/")["classes"]
    assert [item["href"] for item in undated] == ["/en/conferences/cissa-21/"]
    # Only this series' conferences are on it.
    placed = [item["href"] for items in years.values() for item in items]
    assert "/en/conferences/marrakech-platform-4-agadir-2025/" not in placed


def test_a_series_in_arabic(client):
    html = fetch(client, "series:detail", "ar", slug=MARRAKECH)
    assert html.h1() == [Series.objects.get(slug=MARRAKECH).name_ar]
    assert html.html["lang"] == "ar" and html.html["dir"] == "rtl"
    assert "الدورات، الأحدث أولًا" in html.text
    assert "الخط الزمني" in html.text
    years, undated = timeline(client.get(url("series:detail", "ar", slug=MARRAKECH)).content)
    item = entry(years, 2025, "/ar/conferences/marrakech-platform-4-agadir-2025/")
    assert {"tl-s6", "tl-e6"} <= item["classes"]
    assert "17 يونيو 2025" in item["text"]
    assert undated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_series_page_has_one_h1_and_ordered_headings(client, language):
    page = Page(client.get(url("series:detail", language, slug=CISSA)).content)
    levels = [level for level, _text in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(level <= previous + 1 for previous, level in zip(levels, levels[1:], strict=False))


def test_a_series_without_an_organization_or_editions(client):
    Series.objects.create(slug="lonely", name_ar="سلسلة وحيدة", name_en="A lonely series")
    content = client.get("/en/series/lonely/").content.decode()
    html = Page(content)
    assert html.h1() == ["A lonely series"]
    assert "<dt>Organization</dt>" not in content
    assert "Editions on record 0" in html.text
    assert "No edition of this series has been recorded yet." in html.text
    assert "Timeline" not in [text.strip() for _level, text in html.headings]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_series_is_not_found(client, language):
    assert client.get(f"/{language}/series/no-such-series/").status_code == 404


def test_the_editions_are_paginated_and_the_timeline_is_bounded(client):
    series = Series.objects.create(slug="yearly", name_ar="سلسلة سنوية", name_en="A yearly series")
    for year in range(2001, 2026):
        create(f"yearly-{year}", datetime.date(year, 3, 1), "month", series=series, edition=year - 2000)
    first = fetch(client, "series:detail", "en", slug="yearly")
    assert "Page 1 of 2" in first.text
    editions = [href for href in first.hrefs() if re.fullmatch(r"/en/conferences/yearly-\d+/", href)]
    # The editions list, then the timeline's own links to the same conferences.
    assert editions[:20] == [f"/en/conferences/yearly-{year}/" for year in range(2025, 2005, -1)]
    second = fetch(client, "series:detail", "en", slug="yearly", query="?page=2")
    assert "/en/conferences/yearly-2001/" in second.hrefs()
    years, _undated = timeline(client.get("/en/series/yearly/").content)
    assert list(years) == list(range(2025, 2015, -1))
    assert "15 conferences of earlier years are not on this timeline." in first.text
    assert "#editions" in first.hrefs()


def test_a_busy_month_in_a_series_points_to_its_editions(client):
    series = Series.objects.get(slug=CISSA)
    for day in range(1, 4):
        create(f"cissa-extra-{day}", datetime.date(2025, 8, day), "day", series=series)
    years, _undated = timeline(client.get(url("series:detail", "en", slug=CISSA)).content)
    more = [item for item in years[2025] if "tl-s8" in item["classes"] and "tl-bar" not in item["classes"]]
    assert [(item["text"], item["href"]) for item in more] == [("+1 more in August 2025", "#editions")]


@pytest.mark.parametrize("path", ["/en/series/", f"/en/series/{CISSA}/", f"/ar/series/{MARRAKECH}/"])
def test_query_count_is_pinned(client, path):
    """Guards against N+1 queries: a series page runs the same few queries however many editions it has."""
    series = Series.objects.get(slug=CISSA)
    for day in range(1, 25):
        create(f"cissa-more-{day}", datetime.date(2020 + day % 6, day % 12 + 1, day), "day", series=series)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) <= (4 if path.endswith("/series/") else 6)


def test_the_series_pages_are_in_the_sitemap(client):
    content = client.get("/sitemap-series.xml").content.decode()
    for language in LANGUAGES:
        for slug in (CISSA, MARRAKECH):
            assert f"http://testserver/{language}/series/{slug}/</loc>" in content
    assert "http://testserver/en/series/</loc>" in client.get("/sitemap-pages.xml").content.decode()


def test_series_edition_counts_follow_new_editions(client):
    create("cissa-22", None, series=Series.objects.get(slug=CISSA), edition=22)
    assert "(3 editions)" in fetch(client, "series:list", "en").text
    assert Conference.objects.filter(series__slug=CISSA).count() == 3


def test_a_series_keeps_its_old_address_and_has_a_short_link(client):
    series = Series.objects.get(slug="cissa-conferences")
    series.slug = "cissa-annual-conferences"
    series.save()
    moved = client.get("/en/series/cissa-conferences/?page=1")
    assert moved.status_code == 301
    assert moved["Location"] == "/en/series/cissa-annual-conferences/?page=1"
    short = client.get(series.get_short_url(), headers={"accept-language": "ar"})
    assert short.status_code == 302 and short["Location"] == "/ar/series/cissa-annual-conferences/"
    assert series.get_short_url() in client.get(series.get_absolute_url()).content.decode()


def test_a_conference_page_links_to_its_series(client):
    html = fetch(client, "conferences:detail", "en", slug="cissa-20-benghazi-2025")
    assert "/en/series/cissa-conferences/" in html.hrefs()
    arabic = fetch(client, "conferences:detail", "ar", slug="cissa-20-benghazi-2025")
    assert "/ar/series/cissa-conferences/" in arabic.hrefs()
