"""schema.org JSON-LD, as a search engine reads it from a page.

Each record page carries one <script type="application/ld+json"> block: valid JSON, in the
page's language, saying only what is recorded (a date only as precise as it is known).
"""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from conferences.models import Conference
from participants.models import Country

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en"]
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SCHEDULED = "https://schema.org/EventScheduled"

DETAIL_PAGES = [
    ("conferences:detail", {"slug": "cissa-20-benghazi-2025"}, "Event"),
    ("conferences:detail", {"slug": "cissa-21"}, "Event"),
    ("conferences:detail", {"slug": "tripoli-military-intelligence-chiefs-2024"}, "Event"),
    ("conferences:detail", {"slug": "benghazi-chiefs-of-staff-2026"}, "Event"),
    ("conferences:detail", {"slug": "marrakech-platform-4-agadir-2025"}, "Event"),
    ("people:detail", {"slug": "hussein-al-ayeb"}, "Person"),
    ("people:detail", {"slug": "mohammed-vi"}, "Person"),
    ("organizations:detail", {"slug": "cissa"}, "Organization"),
    ("organizations:detail", {"slug": "african-union-commission"}, "Organization"),
    ("countries:detail", {"code": "ly"}, "Place"),
    ("countries:detail", {"code": "eg"}, "Place"),
]


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def blocks(client, name, language, **kwargs):
    response = client.get(url(name, language, **kwargs))
    assert response.status_code == 200
    return [json.loads(block) for block in LD_JSON.findall(response.content.decode())]


def json_ld(client, name, language, **kwargs):
    found = blocks(client, name, language, **kwargs)
    assert len(found) == 1, found
    return found[0]


def names(nodes):
    return [node["name"] for node in nodes]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "schema_type"), DETAIL_PAGES)
def test_every_record_page_describes_its_record_in_the_pages_language(client, name, kwargs, schema_type, language):
    data = json_ld(client, name, language, **kwargs)
    page = "http://testserver" + url(name, language, **kwargs)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    assert data["url"] == page
    assert data["mainEntityOfPage"]["url"] == page
    assert data["mainEntityOfPage"]["inLanguage"] == language
    # Identified by the short link, which is the same whatever the language.
    assert re.fullmatch(r"http://testserver/[a-z]/\w+/", data["@id"])
    assert data["@id"] == json_ld(client, name, "en" if language == "ar" else "ar", **kwargs)["@id"]


def test_list_pages_carry_no_record(client):
    assert blocks(client, "conferences:list", "en") == []
    assert blocks(client, "pages:home", "ar") == []


# --- Conferences -----------------------------------------------------------------------------


def test_cissa_20_is_an_event_with_its_place_dates_organizer_and_attendees(client):
    data = json_ld(client, "conferences:detail", "en", slug="cissa-20-benghazi-2025")

    assert data["name"] == (
        "20th Conference of the Committee of Intelligence and Security Services of Africa (CISSA 20)"
    )
    assert data["alternateName"] == "CISSA 20"
    assert data["description"].startswith("Heads of Africa's security and intelligence services met in Benghazi")
    assert (data["startDate"], data["endDate"]) == ("2025-08-25", "2025-08-26")
    assert data["location"] == {
        "@type": "Place",
        "name": "Benghazi, Libya",
        "address": {"@type": "PostalAddress", "addressLocality": "Benghazi", "addressCountry": "LY"},
    }
    assert names(data["organizer"]) == ["Committee of Intelligence and Security Services of Africa"]
    assert data["organizer"][0]["url"] == "http://testserver/en/organizations/cissa/"
    attendee = data["attendee"][0]
    assert attendee["@type"] == "Person"
    assert attendee["name"] == "Hussein Mohammed Khalifa al-Ayeb"
    assert attendee["affiliation"]["name"] == "Libyan Intelligence Service"
    assert data["superEvent"]["@type"] == "EventSeries"
    assert "Terrorism" in names(data["about"])
    # Held: no status is claimed (schema.org has none for "held"), and nothing says cancelled.
    assert "eventStatus" not in data


def test_the_same_event_in_arabic(client):
    data = json_ld(client, "conferences:detail", "ar", slug="cissa-20-benghazi-2025")
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")

    assert data["name"] == conference.name_ar
    assert data["description"] == conference.summary_ar
    assert data["location"]["name"] == "بنغازي، ليبيا"
    assert data["location"]["address"]["addressLocality"] == "بنغازي"
    assert data["attendee"][0]["name"] == "حسين محمد خليفة العائب"
    assert data["attendee"][0]["url"] == "http://testserver/ar/people/hussein-al-ayeb/"


def test_an_undated_planned_conference_has_no_date_and_is_scheduled(client):
    data = json_ld(client, "conferences:detail", "en", slug="cissa-21")
    assert "startDate" not in data
    assert "endDate" not in data
    assert data["eventStatus"] == SCHEDULED
    # Libya will host it; the city is not known.
    assert data["location"]["address"] == {"@type": "PostalAddress", "addressCountry": "LY"}
    assert "attendee" not in data


def test_a_conference_known_by_its_first_day_only_has_no_end_date(client):
    data = json_ld(client, "conferences:detail", "en", slug="marrakech-platform-4-agadir-2025")
    assert data["startDate"] == "2025-06-17"
    assert "endDate" not in data
    # A co-chair organizes as much as the organizer does.
    assert set(names(data["organizer"])) == {"Marrakech Platform", "United Nations Office of Counter-Terrorism"}


def test_a_conference_held_is_no_scheduled_event(client):
    data = json_ld(client, "conferences:detail", "en", slug="benghazi-chiefs-of-staff-2026")
    assert "eventStatus" not in data
    assert (data["startDate"], data["endDate"]) == ("2026-02-10", "2026-02-12")


@pytest.mark.parametrize(
    ("start", "precision", "expected"),
    [
        (datetime.date(2026, 2, 1), "month", "2026-02"),
        (datetime.date(2026, 1, 1), "year", "2026"),
        (datetime.date(2026, 2, 14), "day", "2026-02-14"),
    ],
)
def test_a_date_is_only_as_precise_as_it_is_known(client, start, precision, expected):
    Conference.objects.filter(slug="cissa-21").update(start_date=start, start_precision=precision)
    data = json_ld(client, "conferences:detail", "en", slug="cissa-21")
    assert data["startDate"] == expected
    assert "endDate" not in data


def test_no_status_but_scheduled_is_ever_claimed(client):
    for conference in Conference.objects.all():
        for language in LANGUAGES:
            data = json_ld(client, "conferences:detail", language, slug=conference.slug)
            assert data.get("eventStatus", SCHEDULED) == SCHEDULED


def test_text_that_looks_like_markup_cannot_leave_the_script_block(client):
    summary = 'Closing </script><script>alert("x")</script> & <b>bold</b> «quoted»'
    Conference.objects.filter(slug="cissa-21").update(summary_en=summary)
    content = client.get(url("conferences:detail", "en", slug="cissa-21")).content.decode()

    block = LD_JSON.findall(content)[0]
    assert "</script" not in block and "<b>" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block
    assert "«quoted»" in block  # non-ASCII text stays readable
    assert json.loads(block)["description"] == summary


# --- People and organizations -------------------------------------------------------------------


def test_a_person_with_aliases_rank_and_positions(client):
    data = json_ld(client, "people:detail", "en", slug="hussein-al-ayeb")

    assert data["name"] == "Hussein Mohammed Khalifa al-Ayeb"
    assert data["honorificPrefix"] == "General"
    # The name in Arabic and the spellings the reports use.
    assert "حسين محمد خليفة العائب" in data["alternateName"]
    assert {"Hussein Al-Aib", "العايب"} <= set(data["alternateName"])
    assert data["name"] not in data["alternateName"]
    assert set(names(data["affiliation"])) == {
        "Libyan Intelligence Service", "Committee of Intelligence and Security Services of Africa",
    }
    roles = {role["roleName"]: role for role in data["memberOf"]}
    head_of_service = roles["Head of the Libyan Intelligence Service"]
    assert head_of_service["@type"] == "OrganizationRole"
    assert head_of_service["memberOf"]["name"] == "Libyan Intelligence Service"
    assert head_of_service["startDate"] == "2021-05"  # May 2021: the day is not known
    assert "endDate" not in head_of_service
    assert data["mainEntityOfPage"]["@type"] == "ProfilePage"


def test_a_person_in_arabic(client):
    data = json_ld(client, "people:detail", "ar", slug="hussein-al-ayeb")
    assert data["name"] == "حسين محمد خليفة العائب"
    assert data["honorificPrefix"] == "الفريق أول"
    assert "Hussein Mohammed Khalifa al-Ayeb" in data["alternateName"]


def test_an_organization_with_its_founding_year_and_other_names(client):
    data = json_ld(client, "organizations:detail", "en", slug="cissa")
    assert data["name"] == "Committee of Intelligence and Security Services of Africa"
    assert data["foundingDate"] == "2004"  # the recorded year; the disputed 2005 stays on the page
    assert {"CISSA", "سيسا"} <= set(data["alternateName"])
    assert "parentOrganization" not in data


def test_an_organization_without_a_recorded_founding_year_has_none(client):
    data = json_ld(client, "organizations:detail", "en", slug="african-union-commission")
    assert "foundingDate" not in data
    assert data["parentOrganization"]["name"] == "African Union"
    assert data["parentOrganization"]["url"] == "http://testserver/en/organizations/african-union/"


def test_an_organization_lists_its_units(client):
    data = json_ld(client, "organizations:detail", "ar", slug="african-union")
    assert names(data["subOrganization"]) == ["مفوضية الاتحاد الأفريقي"]
    assert data["subOrganization"][0]["url"] == "http://testserver/ar/organizations/african-union-commission/"


# --- Countries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "name"), [("en", "Libya"), ("ar", "ليبيا")])
def test_a_country_is_a_place_with_its_iso_code(client, language, name):
    data = json_ld(client, "countries:detail", language, code="ly")
    assert data["@type"] == "Place"
    assert data["name"] == name
    assert data["identifier"] == "LY"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "LY"}
    other = Country.objects.get(code="LY").name_en if language == "ar" else "ليبيا"
    assert data["alternateName"] == [other]
