"""What crawlers and feed readers get: sitemap.xml, robots.txt, and an Atom feed per language."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from conferences.models import Conference, Series, SourceReport, Topic
from organizations.models import Organization
from participants.models import Country, Person

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
LIST_PAGES = [
    "pages:home", "conferences:list", "series:list", "topics:list",
    "sources:list", "countries:list", "people:list", "organizations:list",
]
RECORDS = [Conference, Series, Country, Organization, Person, Topic, SourceReport]


def absolute(language, path_or_name, record=None):
    with translation.override(language):
        if isinstance(record, Series):
            path = reverse("series:detail", kwargs={"slug": record.slug})
        else:
            path = record.get_absolute_url() if record is not None else reverse(path_or_name)
    return f"{BASE}{path}"


def sitemap_sections(client):
    """The addresses /sitemap.xml, the index, points to."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_the_sitemap_is_an_index_of_sections(client):
    sections = sitemap_sections(client)
    assert f"{BASE}/sitemap-conferences.xml" in sections
    assert f"{BASE}/sitemap-people.xml" in sections
    assert f"{BASE}/sitemap-series.xml" in sections
    assert len(sections) == 8


@pytest.fixture
def sitemap(client):
    entries = {}
    for section in sitemap_sections(client):
        response = client.get(section.removeprefix(BASE))
        assert response.status_code == 200
        entries.update(parse_urlset(response.content))
    return entries


def parse_urlset(content):
    entries = {}
    for url in ET.fromstring(content).iter(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        lastmod = url.find(f"{SITEMAP}lastmod")
        entries[url.find(f"{SITEMAP}loc").text] = {
            "alternates": alternates, "lastmod": lastmod.text if lastmod is not None else None
        }
    return entries


def test_the_sitemap_lists_every_public_page_in_both_languages(sitemap):
    expected = set()
    for language in ("ar", "en"):
        expected.update(absolute(language, name) for name in LIST_PAGES)
        for model in RECORDS:
            expected.update(absolute(language, None, record) for record in model.objects.all())
    assert set(sitemap) == expected
    assert len(expected) == 2 * (len(LIST_PAGES) + sum(model.objects.count() for model in RECORDS))


def test_every_sitemap_entry_names_its_twin_in_the_other_language_and_an_x_default(sitemap):
    for location, entry in sitemap.items():
        alternates = entry["alternates"]
        assert set(alternates) == {"ar", "en", "x-default"}, location
        assert location in (alternates["ar"], alternates["en"])
        assert alternates["ar"].startswith(f"{BASE}/ar/") and alternates["en"].startswith(f"{BASE}/en/")
        assert alternates["ar"].removeprefix(f"{BASE}/ar/") == alternates["en"].removeprefix(f"{BASE}/en/")


def test_the_x_default_address_sends_each_visitor_to_their_language(client, sitemap):
    entry = sitemap[absolute("en", None, Conference.objects.get(slug="cissa-21"))]
    x_default = entry["alternates"]["x-default"].removeprefix(BASE)
    assert x_default == "/conferences/cissa-21/"
    english = client.get(x_default, headers={"accept-language": "en"})
    assert english.status_code == 302
    assert english["Location"] == "/en/conferences/cissa-21/"
    assert client.get(x_default)["Location"] == "/ar/conferences/cissa-21/"


def test_a_record_is_dated_by_its_last_update(sitemap):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    entry = sitemap[absolute("ar", None, conference)]
    assert entry["lastmod"] == conference.updated_at.date().isoformat()
    country = Country.objects.get(code="LY")
    assert sitemap[absolute("en", None, country)]["lastmod"] == country.updated_at.date().isoformat()


def test_sitemap_pages_answer(client, sitemap):
    """One page of each section, in each language, is really there."""
    samples = [absolute(language, name) for name in LIST_PAGES for language in ("ar", "en")]
    samples += [absolute(language, None, model.objects.first()) for model in RECORDS for language in ("ar", "en")]
    for location in samples:
        assert location in sitemap
        assert client.get(location.removeprefix(BASE)).status_code == 200, location


# --- robots.txt -----------------------------------------------------------------------------


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
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
    response = client.get(f"/{language}/feeds/conferences.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.find(f"{ATOM}summary").text,
            "id": entry.find(f"{ATOM}id").text,
            "updated": entry.find(f"{ATOM}updated").text,
            "categories": [category.get("term") for category in entry.iter(f"{ATOM}category")],
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_the_arabic_feed_is_in_arabic(client):
    root = feed(client, "ar")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert root.find(f"{ATOM}title").text == "مؤتمرات الأمن في أفريقيا"
    items = entries(root)
    assert len(items) == Conference.objects.count()
    cissa = next(item for item in items if item["link"].endswith("/cissa-20-benghazi-2025/"))
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    assert cissa["title"] == conference.name_ar
    assert cissa["summary"] == conference.summary_ar
    assert cissa["link"] == f"{BASE}/ar/conferences/cissa-20-benghazi-2025/"
    assert "الإرهاب" in cissa["categories"]


def test_the_english_feed_is_in_english(client):
    root = feed(client, "en")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.find(f"{ATOM}title").text == "Security Conferences in Africa"
    self_link = next(link for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == f"{BASE}/en/feeds/conferences.atom"
    cissa = next(item for item in entries(root) if item["link"].endswith("/cissa-20-benghazi-2025/"))
    assert "CISSA 20" in cissa["title"]
    assert cissa["link"] == f"{BASE}/en/conferences/cissa-20-benghazi-2025/"
    assert "Terrorism" in cissa["categories"]


def test_the_feed_puts_the_latest_change_first_and_keeps_entry_ids_across_renames(client):
    before = {item["link"]: item["id"] for item in entries(feed(client, "en"))}
    conference = Conference.objects.get(slug="tripoli-military-intelligence-chiefs-2024")
    conference.slug = "tripoli-2024"
    conference.outcomes_en, conference.outcomes_ar = "A new outcome.", "نتيجة جديدة."
    conference.save()

    items = entries(feed(client, "en"))
    assert items[0]["link"] == f"{BASE}/en/conferences/tripoli-2024/"
    assert items[0]["id"] == before[f"{BASE}/en/conferences/tripoli-military-intelligence-chiefs-2024/"]
    assert [item["updated"] for item in items] == sorted((item["updated"] for item in items), reverse=True)
    assert len({item["id"] for item in items}) == len(items)
    arabic_ids = {item["id"] for item in entries(feed(client, "ar"))}
    assert not arabic_ids & {item["id"] for item in items}  # one entry per language
