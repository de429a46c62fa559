"""What crawlers and feed readers get: sitemap.xml, robots.txt, and an Atom feed per language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import etree

from conferences.models import Conference, Series, SourceReport, Topic
from organizations.models import Organization
from participants.models import Country, Person
from tests import factories as make
from tests.helpers import LANGUAGES, get, head_links, parse

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LIST_PAGES = [
    "pages:home", "pages:about", "conferences:list", "series:list", "topics:list",
    "sources:list", "countries:list", "people:list", "organizations:list",
]
RECORDS = [Conference, Series, Country, Organization, Person, Topic, SourceReport]


@pytest.fixture
def records():
    """A conference with something of every kind of record, and one more, not yet dated."""
    summit = make.full_conference()
    make.conference("next-summit", status="planned", series=summit.series, edition=3)
    return summit


def absolute(language, path_or_name, record=None):
    with translation.override(language):
        if isinstance(record, Series):
            path = reverse("series:detail", kwargs={"slug": record.slug})
        else:
            path = record.get_absolute_url() if record is not None else reverse(path_or_name)
    return f"{BASE}{path}"


def sitemap_sections(client):
    """The addresses /sitemap.xml, the index, points to."""
    response = get(client, "/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_the_sitemap_is_an_index_of_sections(client):
    sections = sitemap_sections(client)
    assert f"{BASE}/sitemap-conferences.xml" in sections
    assert f"{BASE}/sitemap-people.xml" in sections
    assert f"{BASE}/sitemap-series.xml" in sections
    assert len(sections) == 8


@pytest.fixture
def sitemap(client, records):
    entries = {}
    for section in sitemap_sections(client):
        response = get(client, section.removeprefix(BASE))
        entries.update(parse_urlset(response.content))
    return entries


def parse_urlset(content):
    root = etree.fromstring(content)
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        lastmod = url.find(f"{SITEMAP}lastmod")
        entries[url.find(f"{SITEMAP}loc").text] = {
            "alternates": alternates, "lastmod": lastmod.text if lastmod is not None else None
        }
    return entries


def test_the_sitemap_lists_every_public_page_in_both_languages(sitemap):
    expected = set()
    for language in LANGUAGES:
        expected.update(absolute(language, name) for name in LIST_PAGES)
        for model in RECORDS:
            expected.update(absolute(language, None, record) for record in model.objects.all())
    assert set(sitemap) == expected
    assert len(expected) == 2 * (len(LIST_PAGES) + sum(model.objects.count() for model in RECORDS))
    # Every kind of record is there to be listed.
    assert all(model.objects.exists() for model in RECORDS)


def test_every_sitemap_entry_names_its_twin_in_the_other_language_and_an_x_default(sitemap):
    for location, entry in sitemap.items():
        alternates = entry["alternates"]
        assert set(alternates) == {"ar", "en", "x-default"}, location
        assert location in (alternates["ar"], alternates["en"])
        assert alternates["ar"].startswith(f"{BASE}/ar/") and alternates["en"].startswith(f"{BASE}/en/")
        assert alternates["ar"].removeprefix(f"{BASE}/ar/") == alternates["en"].removeprefix(f"{BASE}/en/")


def test_the_x_default_address_sends_each_visitor_to_their_language(client, sitemap):
    entry = sitemap[absolute("en", None, Conference.objects.get(slug="next-summit"))]
    x_default = entry["alternates"]["x-default"].removeprefix(BASE)
    assert x_default == "/conferences/next-summit/"
    english = client.get(x_default, headers={"accept-language": "en"})
    assert english.status_code == 302
    assert english["Location"] == "/en/conferences/next-summit/"
    assert client.get(x_default)["Location"] == "/ar/conferences/next-summit/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_and_the_sitemap_name_the_same_x_default(client, sitemap, language):
    conference = Conference.objects.get(slug="next-summit")
    entry = sitemap[absolute(language, None, conference)]
    document = parse(get(client, absolute(language, None, conference).removeprefix(BASE)))
    in_head = [link.get("href") for link in head_links(document, "alternate") if link.get("hreflang") == "x-default"]
    assert in_head == [entry["alternates"]["x-default"]]


def test_a_record_is_dated_by_its_last_update(client, records):
    Conference.objects.filter(pk=records.pk).update(
        updated_at=datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC)
    )
    Country.objects.filter(code="LY").update(updated_at=datetime.datetime(2024, 11, 2, 9, 0, tzinfo=datetime.UTC))
    entries = parse_urlset(get(client, "/sitemap-conferences.xml").content)
    assert entries[absolute("ar", None, records)]["lastmod"] == "2025-01-15"
    assert entries[absolute("en", None, records)]["lastmod"] == "2025-01-15"
    country = Country.objects.get(code="LY")
    entries = parse_urlset(get(client, "/sitemap-countries.xml").content)
    assert entries[absolute("en", None, country)]["lastmod"] == "2024-11-02"


def test_sitemap_pages_answer(client, sitemap):
    """One page of each section, in each language, is really there."""
    samples = [absolute(language, name) for name in LIST_PAGES for language in LANGUAGES]
    samples += [absolute(language, None, model.objects.first()) for model in RECORDS for language in LANGUAGES]
    for location in samples:
        assert location in sitemap
        assert client.get(location.removeprefix(BASE)).status_code == 200, location


# --- robots.txt -----------------------------------------------------------------------------


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = get(client, "/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    sitemap_line = next(line for line in lines if line.startswith("Sitemap: "))
    assert client.get(sitemap_line.removeprefix(f"Sitemap: {BASE}")).status_code == 200


def test_robots_txt_uses_the_requests_host_and_scheme(client):
    response = client.get("/robots.txt", secure=True, headers={"host": "localhost"})
    assert "Sitemap: https://localhost/sitemap.xml" in response.content.decode().splitlines()


# --- The Atom feed --------------------------------------------------------------------------------


def feed(client, language):
    response = get(client, f"/{language}/feeds/conferences.atom")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "categories": [category.get("term") for category in entry.iter(f"{ATOM}category")],
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_the_arabic_feed_is_in_arabic(client, records):
    root = feed(client, "ar")
    assert root.get(XML_LANG) == "ar"
    assert root.findtext(f"{ATOM}title") == "مؤتمرات الأمن في أفريقيا"
    items = entries(root)
    assert len(items) == Conference.objects.count() == 2
    summit = next(item for item in items if item["link"].endswith(f"/{records.slug}/"))
    assert summit["title"] == records.name_ar
    assert summit["summary"] == records.summary_ar
    assert summit["link"] == f"{BASE}/ar/conferences/{records.slug}/"
    assert sorted(summit["categories"]) == sorted(["الإرهاب", "التهريب"])


def test_the_english_feed_is_in_english(client, records):
    root = feed(client, "en")
    assert root.get(XML_LANG) == "en"
    assert root.findtext(f"{ATOM}title") == "Security Conferences in Africa"
    self_link = next(link for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == f"{BASE}/en/feeds/conferences.atom"
    summit = next(item for item in entries(root) if item["link"].endswith(f"/{records.slug}/"))
    assert summit["title"] == records.name_en
    assert summit["summary"] == records.summary_en
    assert summit["link"] == f"{BASE}/en/conferences/{records.slug}/"
    assert "Terrorism" in summit["categories"]


def test_the_feed_puts_the_latest_change_first_and_keeps_entry_ids_across_renames(
    client, django_capture_on_commit_callbacks
):
    conferences = [make.conference(f"meeting-{number}", start=make.day(f"202{number}-05-01")) for number in range(5)]
    for number, conference in enumerate(conferences):
        Conference.objects.filter(pk=conference.pk).update(
            updated_at=datetime.datetime(2025, 1, 10 + number, tzinfo=datetime.UTC)
        )
    before = {item["link"]: item["id"] for item in entries(feed(client, "en"))}
    assert list(before)[0] == f"{BASE}/en/conferences/meeting-4/"  # the latest change first

    oldest = conferences[0]
    with django_capture_on_commit_callbacks(execute=True):
        oldest.slug = "meeting-renamed"
        oldest.outcomes_en, oldest.outcomes_ar = "A new outcome.", "نتيجة جديدة."
        oldest.save()

    items = entries(feed(client, "en"))
    assert items[0]["link"] == f"{BASE}/en/conferences/meeting-renamed/"
    assert items[0]["id"] == before[f"{BASE}/en/conferences/meeting-0/"]
    assert [item["updated"] for item in items] == sorted((item["updated"] for item in items), reverse=True)
    assert len({item["id"] for item in items}) == len(items) == 5
    arabic_ids = {item["id"] for item in entries(feed(client, "ar"))}
    assert not arabic_ids & {item["id"] for item in items}  # one entry per language
