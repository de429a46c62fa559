"""schema.org JSON-LD, as a search engine reads it from a page.

Each record page carries one <script type="application/ld+json"> block: valid JSON, in the
page's language, saying only what is recorded (a date only as precise as it is known).
"""

import datetime
import json
import re

import pytest

from conferences.models import Conference
from tests import factories as make
from tests.helpers import LANGUAGES, json_ld, page, url

pytestmark = pytest.mark.django_db

SCHEDULED = "https://schema.org/EventScheduled"


def world():
    """full_conference() (held in Tripoli, 21–22 December 2024) and, beside it: its next edition,
    planned in Libya with neither date nor city; a meeting in Agadir known by its first day, with an
    organizer, a co-chair and a partner; a conference of three days in 2026; one announced; a general
    with other spellings of his name and two posts; an intergovernmental committee whose founding
    year is disputed; and the African Union with its Commission."""
    summit = make.full_conference()
    libya, morocco = summit.host_country, make.named_country("MA")
    make.conference("next-summit", status="planned", host_country=libya, series=summit.series, edition=3)
    agadir = make.conference("agadir-2025", start=make.day("2025-06-17"), host_country=morocco,
                             city_ar="أكادير", city_en="Agadir")
    for organization, role in [
        (make.organization("platform", name_ar="منصة التعاون", name_en="Cooperation Platform", kind="platform"),
         "organizer"),
        (make.organization("un-counter-terrorism", name_ar="مكتب الأمم المتحدة لمكافحة الإرهاب",
                           name_en="United Nations Office of Counter-Terrorism"), "co-chair"),
        (make.organization("partner-agency", name_ar="وكالة شريكة", name_en="Partner Agency"), "partner"),
    ]:
        make.conference_organization(agadir, organization, role=role)
    make.conference("staff-chiefs-2026", start=make.day("2026-02-10"), end=make.day("2026-02-12"),
                    host_country=libya)
    make.conference("announced-meeting", status="announced", start=make.day("2026-09-01"), host_country=morocco)

    service = make.organization("intelligence-service", name_ar="جهاز المخابرات الليبي",
                                name_en="Libyan Intelligence Service", country=libya, kind="intelligence-service")
    committee = make.organization("committee", name_ar="لجنة أجهزة الاستخبارات والأمن في أفريقيا",
                                  name_en="Committee of Intelligence and Security Services of Africa",
                                  acronym="CISSA", founding_year=2004)
    make.organization_alias(committee, "سيسا", language="ar", script="Arab")
    make.citation(make.source(), organization=committee, excerpt_ar="تأسست سنة 2004", excerpt_en="founded in 2004")
    make.citation(make.source(), organization=committee, stance="contradicts", claim_ar="تأسست سنة 2005",
                  claim_en="founded in 2005")
    general = make.person("omar-salem", name_ar="عمر سالم الورفلي", name_en="Omar Salem al-Warfalli",
                          rank_ar="الفريق أول", rank_en="General", country=libya)
    make.person_alias(general, "الورفلّي", language="ar", script="Arab")
    make.person_alias(general, "Omar Al-Warfali")
    make.position(general, service, title_ar="رئيس جهاز المخابرات الليبي",
                  title_en="Head of the Libyan Intelligence Service",
                  start_date=make.day("2021-05-01"), start_precision="month")
    make.position(general, committee, key="chair", title_ar="رئيس اللجنة", title_en="Chairperson of the committee",
                  start_date=make.day("2025-08-26"), start_precision="day")

    union = make.organization("african-union", name_ar="الاتحاد الأفريقي", name_en="African Union")
    make.organization("african-union-commission", name_ar="مفوضية الاتحاد الأفريقي",
                      name_en="African Union Commission", parent=union)


DETAIL_PAGES = [
    ("conferences:detail", {"slug": "summit-2025"}, "Event"),
    ("conferences:detail", {"slug": "next-summit"}, "Event"),
    ("conferences:detail", {"slug": "agadir-2025"}, "Event"),
    ("conferences:detail", {"slug": "staff-chiefs-2026"}, "Event"),
    ("conferences:detail", {"slug": "announced-meeting"}, "Event"),
    ("people:detail", {"slug": "omar-salem"}, "Person"),
    ("people:detail", {"slug": "mahmoud-hamza"}, "Person"),
    ("organizations:detail", {"slug": "committee"}, "Organization"),
    ("organizations:detail", {"slug": "african-union-commission"}, "Organization"),
    ("countries:detail", {"code": "ly"}, "Place"),
    ("countries:detail", {"code": "eg"}, "Place"),
]


def data_of(client, name, language, **kwargs):
    """The page's one JSON-LD block, read."""
    data = json_ld(page(client, name, language, **kwargs))
    assert data is not None, (name, kwargs)
    return data


def names(nodes):
    return [node["name"] for node in nodes]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "schema_type"), DETAIL_PAGES,
                         ids=["-".join([name, *kwargs.values()]) for name, kwargs, _type in DETAIL_PAGES])
def test_every_record_page_describes_its_record_in_the_pages_language(client, name, kwargs, schema_type, language):
    world()
    data = data_of(client, name, language, **kwargs)
    address = "http://testserver" + url(name, language, **kwargs)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    assert data["url"] == address
    assert data["mainEntityOfPage"]["url"] == address
    assert data["mainEntityOfPage"]["inLanguage"] == language
    # Identified by the short link, which is the same whatever the language.
    assert re.fullmatch(r"http://testserver/[a-z]/\w+/", data["@id"])
    assert data["@id"] == data_of(client, name, "en" if language == "ar" else "ar", **kwargs)["@id"]


def test_list_pages_carry_no_record(client):
    make.full_conference()
    assert json_ld(page(client, "conferences:list", "en")) is None
    assert json_ld(page(client, "pages:home", "ar")) is None


# --- Conferences -----------------------------------------------------------------------------


def test_a_held_conference_is_an_event_with_its_place_dates_organizer_and_attendees(client):
    world()
    data = data_of(client, "conferences:detail", "en", slug="summit-2025")

    assert data["name"] == "First Conference of Military Intelligence Chiefs"
    assert data["alternateName"] == "Intelligence chiefs 2024"
    assert data["description"].startswith("Military intelligence chiefs met in Tripoli")
    assert (data["startDate"], data["endDate"]) == ("2024-12-21", "2024-12-22")
    assert data["location"] == {
        "@type": "Place",
        "name": "Tripoli, Libya",
        "address": {"@type": "PostalAddress", "addressLocality": "Tripoli", "addressCountry": "LY"},
    }
    assert names(data["organizer"]) == ["Military Intelligence Department"]
    assert data["organizer"][0]["url"] == "http://testserver/en/organizations/military-intelligence/"
    attendee = data["attendee"][0]
    assert attendee["@type"] == "Person"
    assert attendee["name"] == "Mahmoud Hamza"
    assert attendee["affiliation"]["name"] == "Military Intelligence Department"
    assert data["superEvent"]["@type"] == "EventSeries"
    assert "Terrorism" in names(data["about"])
    # Held: no status is claimed (schema.org has none for "held"), and nothing says cancelled.
    assert "eventStatus" not in data


def test_the_same_event_in_arabic(client):
    world()
    data = data_of(client, "conferences:detail", "ar", slug="summit-2025")
    conference = Conference.objects.get(slug="summit-2025")

    assert data["name"] == conference.name_ar
    assert data["description"] == conference.summary_ar
    assert data["location"]["name"] == "طرابلس، ليبيا"
    assert data["location"]["address"]["addressLocality"] == "طرابلس"
    assert data["attendee"][0]["name"] == "محمود حمزة"
    assert data["attendee"][0]["url"] == "http://testserver/ar/people/mahmoud-hamza/"


def test_an_undated_planned_conference_has_no_date_and_is_scheduled(client):
    world()
    data = data_of(client, "conferences:detail", "en", slug="next-summit")
    assert "startDate" not in data
    assert "endDate" not in data
    assert data["eventStatus"] == SCHEDULED
    # Libya will host it; the city is not known.
    assert data["location"]["address"] == {"@type": "PostalAddress", "addressCountry": "LY"}
    assert "attendee" not in data


def test_a_conference_known_by_its_first_day_only_has_no_end_date(client):
    world()
    data = data_of(client, "conferences:detail", "en", slug="agadir-2025")
    assert data["startDate"] == "2025-06-17"
    assert "endDate" not in data
    # A co-chair organizes as much as the organizer does; a partner does not.
    assert set(names(data["organizer"])) == {"Cooperation Platform", "United Nations Office of Counter-Terrorism"}


def test_a_conference_held_is_no_scheduled_event(client):
    world()
    data = data_of(client, "conferences:detail", "en", slug="staff-chiefs-2026")
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
    conference = make.conference(status="planned")
    Conference.objects.filter(pk=conference.pk).update(start_date=start, start_precision=precision)
    data = data_of(client, "conferences:detail", "en", slug=conference.slug)
    assert data["startDate"] == expected
    assert "endDate" not in data


def test_no_status_but_scheduled_is_ever_claimed(client):
    world()
    conferences = Conference.objects.all()
    assert {conference.status for conference in conferences} == {"held", "planned", "announced"}
    for conference in conferences:
        for language in LANGUAGES:
            data = data_of(client, "conferences:detail", language, slug=conference.slug)
            assert data.get("eventStatus", SCHEDULED) == SCHEDULED
            if conference.status != "held":
                assert data["eventStatus"] == SCHEDULED


def test_text_that_looks_like_markup_cannot_leave_the_script_block(client):
    summary = 'Closing </script><script>alert("x")</script> & <b>bold</b> «quoted»'
    conference = make.conference(status="planned", summary_en=summary)
    document = page(client, "conferences:detail", "en", slug=conference.slug)

    (block,) = document.xpath('//script[@type="application/ld+json"]/text()')
    assert "</script" not in block and "<b>" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block
    assert "«quoted»" in block  # non-ASCII text stays readable
    assert json.loads(block)["description"] == summary
    assert not document.xpath("//b")  # and nothing of it became markup


# --- People and organizations -------------------------------------------------------------------


def test_a_person_with_aliases_rank_and_positions(client):
    world()
    data = data_of(client, "people:detail", "en", slug="omar-salem")

    assert data["name"] == "Omar Salem al-Warfalli"
    assert data["honorificPrefix"] == "General"
    # The name in Arabic and the spellings the reports use.
    assert "عمر سالم الورفلي" in data["alternateName"]
    assert {"Omar Al-Warfali", "الورفلّي"} <= set(data["alternateName"])
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
    assert roles["Chairperson of the committee"]["startDate"] == "2025-08-26"
    assert data["mainEntityOfPage"]["@type"] == "ProfilePage"


def test_a_person_in_arabic(client):
    world()
    data = data_of(client, "people:detail", "ar", slug="omar-salem")
    assert data["name"] == "عمر سالم الورفلي"
    assert data["honorificPrefix"] == "الفريق أول"
    assert "Omar Salem al-Warfalli" in data["alternateName"]


def test_an_organization_with_its_founding_year_and_other_names(client):
    world()
    data = data_of(client, "organizations:detail", "en", slug="committee")
    assert data["name"] == "Committee of Intelligence and Security Services of Africa"
    assert data["foundingDate"] == "2004"  # the recorded year; the disputed 2005 stays on the page
    assert {"CISSA", "سيسا"} <= set(data["alternateName"])
    assert "parentOrganization" not in data


def test_an_organization_without_a_recorded_founding_year_has_none(client):
    world()
    data = data_of(client, "organizations:detail", "en", slug="african-union-commission")
    assert "foundingDate" not in data
    assert data["parentOrganization"]["name"] == "African Union"
    assert data["parentOrganization"]["url"] == "http://testserver/en/organizations/african-union/"


def test_an_organization_lists_its_units(client):
    world()
    data = data_of(client, "organizations:detail", "ar", slug="african-union")
    assert names(data["subOrganization"]) == ["مفوضية الاتحاد الأفريقي"]
    assert data["subOrganization"][0]["url"] == "http://testserver/ar/organizations/african-union-commission/"


# --- Countries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "name", "other"), [("en", "Libya", "ليبيا"), ("ar", "ليبيا", "Libya")])
def test_a_country_is_a_place_with_its_iso_code(client, language, name, other):
    make.named_country("LY")
    data = data_of(client, "countries:detail", language, code="ly")
    assert data["@type"] == "Place"
    assert data["name"] == name
    assert data["identifier"] == "LY"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "LY"}
    assert data["alternateName"] == [other]
