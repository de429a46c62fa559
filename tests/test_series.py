"""The series pages: the list of recurring conferences, and each series with its editions
and their timeline, read as a visitor reads them."""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import translation
from lxml import etree

from conferences.models import Conference
from tests import factories as make
from tests.helpers import (
    LANGUAGES,
    entry,
    get,
    links,
    page,
    page_text,
    parse,
    record_page,
    record_url,
    text,
    timeline,
    url,
)

pytestmark = pytest.mark.django_db

CISSA = "cissa-conferences"
MARRAKECH = "marrakech-platform-meetings"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HEADINGS = "//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"


@pytest.fixture
def cissa():
    """An organization's yearly series: one edition held in Benghazi in August 2025, the next not yet dated."""
    organization = make.organization(
        "cissa", name_ar="لجنة أجهزة الاستخبارات والأمن في أفريقيا",
        name_en="Committee of Intelligence and Security Services of Africa", acronym="CISSA",
    )
    series = make.series(
        CISSA, name_ar="مؤتمرات لجنة أجهزة الاستخبارات والأمن في أفريقيا (سيسا)",
        name_en="Conferences of the Committee of Intelligence and Security Services of Africa (CISSA)",
        organization=organization,
    )
    make.conference("cissa-20-benghazi-2025", start=make.day("2025-08-25"), end=make.day("2025-08-26"),
                    series=series, edition=20, host_country=make.named_country("LY"))
    make.conference("cissa-21", status="planned", series=series, edition=21)
    return series


@pytest.fixture
def marrakech():
    """A series with no organization on record, and one edition, held on 17 June 2025."""
    series = make.series(MARRAKECH, name_ar="اجتماعات «منصة مراكش»", name_en='Meetings of the "Marrakech Platform"')
    make.conference("marrakech-platform-4-agadir-2025", start=make.day("2025-06-17"), end=make.day("2025-06-17"),
                    series=series, edition=4, host_country=make.named_country("MA"))
    return series


def dated(slug, start=None, precision="unknown", **fields):
    """A conference with a start of any precision (factories.conference knows days only)."""
    return make.conference(slug, start_date=start, start_precision=precision, **fields)


def headings(document):
    return [text(heading) for heading in document.xpath(HEADINGS)]


def h1(document):
    return [text(heading) for heading in document.xpath("//h1")]


def facts(document):
    """The page's facts (<dl class="facts">) as {term: description}."""
    return {text(term): text(term.getnext()) for term in document.xpath('//dl[@class="facts"]/dt')}


def series_items(document):
    """The list of series: {the series' address: what its line says}."""
    return {item.xpath("a/@href")[0]: text(item) for item in document.xpath('//main//ul[@class="plain-list"]/li')}


def editions(document):
    """The addresses of the conferences in the editions list, in its order."""
    return document.xpath('//section[@id="editions"]//article[@class="card"]/h3/a/@href')


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_addresses_are_the_same_in_both_languages(language):
    with translation.override(language):
        assert reverse("series:list") == f"/{language}/series/"
        assert reverse("series:detail", kwargs={"slug": CISSA}) == f"/{language}/series/{CISSA}/"
        assert resolve(f"/{language}/series/{CISSA}/").view_name == "series:detail"


# --- The list of series -------------------------------------------------------------------------


def test_the_list_shows_each_series_with_its_number_of_editions(client, cissa, marrakech):
    document = page(client, "series:list", "en")
    assert h1(document) == ["Series"]
    assert series_items(document) == {
        f"/en/series/{CISSA}/": "Conferences of the Committee of Intelligence and Security Services of Africa (CISSA) "
                                "(2 editions) — Committee of Intelligence and Security Services of Africa",
        f"/en/series/{MARRAKECH}/": 'Meetings of the "Marrakech Platform" (1 edition)',
    }


def test_the_list_in_arabic(client, cissa, marrakech):
    document = page(client, "series:list", "ar")
    assert h1(document) == ["سلاسل المؤتمرات"]
    assert document.get("dir") == "rtl"
    items = series_items(document)
    assert "(دورتان)" in items[f"/ar/series/{CISSA}/"]
    assert "(دورة واحدة)" in items[f"/ar/series/{MARRAKECH}/"]


def test_the_site_navigation_leads_to_the_list(client):
    assert "/en/series/" in links(page(client, "pages:home", "en"))
    for language, label in (("en", "Series"), ("ar", "سلاسل المؤتمرات")):
        current = page(client, "series:list", language).xpath('//nav[@class="site-nav"]//a[@aria-current="page"]')
        assert [(anchor.get("href"), text(anchor)) for anchor in current] == [(f"/{language}/series/", label)]


# --- A series -----------------------------------------------------------------------------------------


def test_a_series_shows_its_name_organization_editions_and_timeline(client, cissa, marrakech):
    document = record_page(client, cissa, "en")
    assert h1(document) == ["Conferences of the Committee of Intelligence and Security Services of Africa (CISSA)"]
    assert facts(document)["Organization"] == "Committee of Intelligence and Security Services of Africa"
    assert record_url(cissa.organization, "en") in links(document)
    assert facts(document)["Editions on record"] == "2"
    # The editions, newest first: the undated one last.
    assert editions(document) == ["/en/conferences/cissa-20-benghazi-2025/", "/en/conferences/cissa-21/"]
    years, undated = timeline(document)
    assert list(years) == [2025]
    assert {"tl-exact", "tl-s8", "tl-e8"} <= entry(years, 2025, "/en/conferences/cissa-20-benghazi-2025/")["classes"]
    assert [item["href"] for item in undated] == ["/en/conferences/cissa-21/"]
    # Only this series' conferences are on it.
    placed = [item["href"] for items in years.values() for item in items]
    assert "/en/conferences/marrakech-platform-4-agadir-2025/" not in placed


def test_a_series_in_arabic(client, cissa, marrakech):
    document = record_page(client, marrakech, "ar")
    assert h1(document) == [marrakech.name_ar]
    assert (document.get("lang"), document.get("dir")) == ("ar", "rtl")
    assert "الدورات، الأحدث أولًا" in headings(document)
    assert "الخط الزمني" in headings(document)
    years, undated = timeline(document)
    item = entry(years, 2025, "/ar/conferences/marrakech-platform-4-agadir-2025/")
    assert {"tl-s6", "tl-e6"} <= item["classes"]
    assert "17 يونيو 2025" in item["text"]
    assert undated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_series_page_has_one_h1_and_ordered_headings(client, cissa, language):
    levels = [int(heading.tag[1]) for heading in record_page(client, cissa, language).xpath(HEADINGS)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(level <= previous + 1 for previous, level in zip(levels, levels[1:], strict=False))


def test_a_series_without_an_organization_or_editions(client):
    make.series("lonely", name_ar="سلسلة وحيدة", name_en="A lonely series")
    document = parse(get(client, "/en/series/lonely/"))
    assert h1(document) == ["A lonely series"]
    assert "Organization" not in facts(document)
    assert facts(document)["Editions on record"] == "0"
    assert "No edition of this series has been recorded yet." in page_text(document)
    assert "Timeline" not in headings(document)
    assert not document.xpath('//section[@class="timeline"]')


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_series_is_not_found(client, language):
    assert client.get(f"/{language}/series/no-such-series/").status_code == 404


def test_the_editions_are_paginated_and_the_timeline_is_bounded(client):
    series = make.series("yearly", name_ar="سلسلة سنوية", name_en="A yearly series")
    for year in range(2001, 2026):
        dated(f"yearly-{year}", datetime.date(year, 3, 1), "month", series=series, edition=year - 2000)
    first = page(client, "series:detail", "en", slug="yearly")
    assert text(first.xpath('//nav[@class="pagination"]/p')[0]) == "Page 1 of 2"
    assert editions(first) == [f"/en/conferences/yearly-{year}/" for year in range(2025, 2005, -1)]
    second = parse(get(client, url("series:detail", "en", slug="yearly") + "?page=2"))
    assert editions(second) == [f"/en/conferences/yearly-{year}/" for year in range(2005, 2000, -1)]
    years, _undated = timeline(first)
    assert list(years) == list(range(2025, 2015, -1))
    earlier = first.xpath('//p[@class="tl-earlier"]')[0]
    assert text(earlier).startswith("15 conferences of earlier years are not on this timeline.")
    assert earlier.xpath("a/@href") == ["#editions"]


def test_a_busy_month_in_a_series_points_to_its_editions(client, cissa):
    for day in range(1, 4):
        make.conference(f"cissa-extra-{day}", start=datetime.date(2025, 8, day), series=cissa)
    years, _undated = timeline(record_page(client, cissa, "en"))
    more = [item for item in years[2025] if "tl-s8" in item["classes"] and "tl-bar" not in item["classes"]]
    assert [(item["text"], item["href"]) for item in more] == [("+1 more in August 2025", "#editions")]


@pytest.fixture
def many_editions(cissa, marrakech):
    """Enough series, organizations, editions and host countries that a query per row would show."""
    countries = [make.named_country(code) for code in ("LY", "MA", "TN", "EG", "DZ")]
    for number in range(1, 25):
        make.conference(f"cissa-more-{number}", start=datetime.date(2020 + number % 6, number % 12 + 1, number),
                        series=cissa, host_country=countries[number % 5])
    for number in range(1, 11):
        make.conference(f"marrakech-more-{number}", start=datetime.date(2015 + number, 6, number),
                        series=marrakech, edition=4 + number, host_country=countries[number % 5])
    for number in range(1, 7):
        organization = make.organization(f"organization-{number}", name_en=f"Organization {number}")
        series = make.series(f"series-{number}", name_en=f"Series {number}", organization=organization)
        for edition in (1, 2):
            make.conference(f"series-{number}-{edition}", start=datetime.date(2020 + edition, number, 1),
                            series=series, edition=edition, host_country=countries[edition])


@pytest.mark.parametrize(
    ("name", "language", "slug", "budget"),
    [("series:list", "en", None, 4), ("series:detail", "en", CISSA, 6), ("series:detail", "ar", MARRAKECH, 6)],
)
def test_query_count_is_pinned(client, many_editions, django_assert_max_num_queries, name, language, slug, budget):
    """Guards against N+1 queries: a series page runs the same few queries however many editions it has."""
    path = url(name, language, **({"slug": slug} if slug else {}))
    get(client, path)
    with django_assert_max_num_queries(budget):
        get(client, path)


def test_the_series_pages_are_in_the_sitemap(client, cissa, marrakech):
    def locations(address):
        return [loc.text for loc in etree.fromstring(get(client, address).content).iter(f"{SITEMAP}loc")]

    listed = locations("/sitemap-series.xml")
    for language in LANGUAGES:
        for slug in (CISSA, MARRAKECH):
            assert f"http://testserver/{language}/series/{slug}/" in listed
    assert "http://testserver/en/series/" in locations("/sitemap-pages.xml")


def test_series_edition_counts_follow_new_editions(client, cissa, django_capture_on_commit_callbacks):
    assert "(2 editions)" in series_items(page(client, "series:list", "en"))[f"/en/series/{CISSA}/"]
    with django_capture_on_commit_callbacks(execute=True):
        make.conference("cissa-22", status="planned", series=cissa, edition=22)
    assert "(3 editions)" in series_items(page(client, "series:list", "en"))[f"/en/series/{CISSA}/"]
    assert Conference.objects.filter(series__slug=CISSA).count() == 3


def test_a_series_keeps_its_old_address_and_has_a_short_link(client, cissa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cissa.slug = "cissa-annual-conferences"
        cissa.save()
    moved = client.get(f"/en/series/{CISSA}/?page=1")
    assert moved.status_code == 301
    assert moved["Location"] == "/en/series/cissa-annual-conferences/?page=1"
    short = client.get(cissa.get_short_url(), headers={"accept-language": "ar"})
    assert short.status_code == 302 and short["Location"] == "/ar/series/cissa-annual-conferences/"
    permalink = record_page(client, cissa, "en").xpath('//p[@class="permalink"]/a/@href')
    assert permalink == [f"http://testserver{cissa.get_short_url('en')}"]


def test_a_conference_page_links_to_its_series(client, cissa):
    conference = cissa.conferences.get(edition=20)
    for language in LANGUAGES:
        document = record_page(client, conference, language)
        assert f"/{language}/series/{CISSA}/" in links(document)
    english = facts(record_page(client, conference, "en"))["Series"]
    assert english.startswith(f"Edition 20 of {cissa.name_en} Other editions:")
