"""Every integrity rule is enforced twice: by the database, and by full_clean() for editors."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conferences.models import (
    Attendance,
    Citation,
    Conference,
    ConferenceOrganization,
    Participation,
    SourceReport,
)
from organizations.models import Organization, OrganizationAlias, Position
from participants.models import Country, Person, PersonAlias
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    """A held conference in a series, with a country, a person and an organization listed once each,
    beside another conference, a second person and a second organization, and a report."""
    libya = make.named_country("LY")
    committee = make.organization("cissa", name_ar="لجنة أجهزة الأمن والاستخبارات الأفريقية",
                                  name_en="Committee of Intelligence and Security Services of Africa",
                                  acronym="CISSA")
    make.organization_alias(committee, "سيسا", language="ar", script="Arab")
    chair = make.person("hussein-al-ayeb", name_ar="حسين العائب", name_en="Hussein al-Ayeb", country=libya)
    make.person_alias(chair, "Hussein Al-Aib")
    conference = make.conference(
        "cissa-20-benghazi-2025", start=make.day("2025-08-25"), end=make.day("2025-08-26"), host_country=libya,
        series=make.series("cissa-conferences", organization=committee), edition=20,
    )
    make.participation(conference, libya, role="host")
    make.attendance(conference, chair, role="chair")
    make.conference_organization(conference, committee, role="organizer")
    return SimpleNamespace(
        libya=libya, committee=committee, chair=chair, conference=conference,
        announced=make.conference("cissa-21", status="planned"),
        other_person=make.person("khaled-haftar", name_ar="خالد حفتر", name_en="Khaled Haftar"),
        commander=make.person("mahmoud-hamza", name_ar="محمود حمزة", name_en="Mahmoud Hamza"),
        brigade=make.organization("brigade-444", name_ar="اللواء 444", name_en="444th Brigade", kind="armed-forces"),
        report=make.source("espacemanager-cissa-20-closing"),
    )


def new_conference(**overrides):
    values = {
        "slug": "test-conference", "name_ar": "مؤتمر تجريبي", "name_en": "Test conference",
        "short_name_ar": "تجريبي", "short_name_en": "Test", "status": "held",
        "summary_ar": "ملخص", "summary_en": "Summary",
    }
    values.update(overrides)
    return Conference(**values)


# Each invalid record, built from `records` (above) when the test runs.
CASES = {
    "conference end before start": lambda r: new_conference(
        start_date=datetime.date(2025, 8, 26), start_precision="day",
        end_date=datetime.date(2025, 8, 25), end_precision="day",
    ),
    "conference date without precision": lambda r: new_conference(start_date=datetime.date(2025, 8, 26)),
    "conference precision without date": lambda r: new_conference(start_precision="day"),
    "conference duplicate slug": lambda r: new_conference(slug=r.announced.slug),
    "conference duplicate edition": lambda r: new_conference(series=r.conference.series, edition=20),
    "conference edition without series": lambda r: new_conference(edition=3),
    "conference missing English name": lambda r: new_conference(name_en=""),
    "conference missing Arabic summary": lambda r: new_conference(summary_ar=""),
    "country listed twice at a conference": lambda r: Participation(
        conference=r.conference, country=r.libya, role="participant"
    ),
    "person with the same role twice": lambda r: Attendance(conference=r.conference, person=r.chair, role="chair"),
    "organization listed twice at a conference": lambda r: ConferenceOrganization(
        conference=r.conference, organization=r.committee, role="partner"
    ),
    "lower-case country code": lambda r: Country(code="xx", name_ar="بلد", name_en="Country", region="europe"),
    "duplicate country code": lambda r: Country(code="LY", name_ar="ليبيا", name_en="Libya", region="sahel"),
    "country without English name": lambda r: Country(code="XK", name_ar="كوسوفو", name_en="", region="europe"),
    "duplicate person slug": lambda r: Person(slug=r.other_person.slug, name_ar="خالد", name_en="Khaled"),
    "duplicate person alias": lambda r: PersonAlias(
        person=r.chair, name="Hussein Al-Aib", language="en", script="Latn"
    ),
    "duplicate organization alias": lambda r: OrganizationAlias(
        organization=r.committee, name="سيسا", language="ar", script="Arab"
    ),
    "implausible founding year": lambda r: Organization(
        slug="old-body", name_ar="هيئة", name_en="Body", kind="ministry", founding_year=1200
    ),
    "position ending before it starts": lambda r: Position(
        person=r.commander, organization=r.brigade,
        key="former", title_ar="آمر", title_en="Commander",
        start_date=datetime.date(2024, 1, 1), start_precision="year",
        end_date=datetime.date(2023, 1, 1), end_precision="year",
    ),
    "source date precision without date": lambda r: SourceReport(
        slug="undated", title_ar="عنوان", title_en="Title", outlet_ar="منفذ", outlet_en="Outlet",
        summary_ar="ملخص", summary_en="Summary", kind="news", language="ar", published_precision="month",
    ),
    "citation backing the wrong kind of record": lambda r: Citation(
        key="wrong-target", source=r.report, fact="participation", conference=r.conference,
        excerpt_ar="نص", excerpt_en="text",
    ),
    "citation backing two records": lambda r: Citation(
        key="two-targets", source=r.report, fact="conference-dates", conference=r.conference,
        organization=r.committee, excerpt_ar="نص", excerpt_en="text",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_full_clean_refuses(records, case):
    with pytest.raises(ValidationError):
        CASES[case](records).full_clean()


@pytest.mark.parametrize("case", CASES)
def test_database_refuses(records, case):
    instance = CASES[case](records)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_organization_cannot_be_its_own_parent():
    committee = make.organization("cissa", acronym="CISSA")
    committee.parent = committee
    with pytest.raises(ValidationError):
        committee.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        committee.save()


def test_arabic_field_without_arabic_script_is_refused():
    conference = make.conference("cissa-20-benghazi-2025", name_ar="مؤتمر سيسا 20", name_en="CISSA 20")
    conference.name_ar = "CISSA 20"
    with pytest.raises(ValidationError) as excinfo:
        conference.full_clean()
    assert "name_ar" in excinfo.value.message_dict


def test_month_precise_date_is_stored_on_the_first():
    conference = new_conference(start_date=datetime.date(2026, 2, 17), start_precision="month")
    conference.full_clean()
    assert conference.start_date == datetime.date(2026, 2, 1)


def test_every_save_bumps_the_version():
    conference = make.conference("cissa-20-benghazi-2025")
    before = conference.version
    conference.save()
    assert conference.version == before + 1
    assert Conference.objects.get(pk=conference.pk).version == before + 1
