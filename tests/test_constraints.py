"""Every integrity rule is enforced twice: by the database, and by full_clean() for editors."""

import datetime

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

pytestmark = pytest.mark.django_db


def cissa20():
    return Conference.objects.get(slug="cissa-20-benghazi-2025")


def new_conference(**overrides):
    values = {
        "slug": "test-conference", "name_ar": "مؤتمر تجريبي", "name_en": "Test conference",
        "short_name_ar": "تجريبي", "short_name_en": "Test", "status": "held",
        "summary_ar": "ملخص", "summary_en": "Summary",
    }
    values.update(overrides)
    return Conference(**values)


def invalid_cases():
    return {
        "conference end before start": lambda: new_conference(
            start_date=datetime.date(2025, 8, 26), start_precision="day",
            end_date=datetime.date(2025, 8, 25), end_precision="day",
        ),
        "conference date without precision": lambda: new_conference(start_date=datetime.date(2025, 8, 26)),
        "conference precision without date": lambda: new_conference(start_precision="day"),
        "conference duplicate slug": lambda: new_conference(slug="cissa-21"),
        "conference duplicate edition": lambda: new_conference(series=cissa20().series, edition=20),
        "conference edition without series": lambda: new_conference(edition=3),
        "conference missing English name": lambda: new_conference(name_en=""),
        "conference missing Arabic summary": lambda: new_conference(summary_ar=""),
        "country listed twice at a conference": lambda: Participation(
            conference=cissa20(), country=Country.objects.get(code="LY"), role="participant"
        ),
        "person with the same role twice": lambda: Attendance(
            conference=cissa20(), person=Person.objects.get(slug="hussein-al-ayeb"), role="chair"
        ),
        "organization listed twice at a conference": lambda: ConferenceOrganization(
            conference=cissa20(), organization=Organization.objects.get(slug="cissa"), role="partner"
        ),
        "lower-case country code": lambda: Country(code="xx", name_ar="بلد", name_en="Country", region="europe"),
        "duplicate country code": lambda: Country(code="LY", name_ar="ليبيا", name_en="Libya", region="sahel"),
        "country without English name": lambda: Country(code="XK", name_ar="كوسوفو", name_en="", region="europe"),
        "duplicate person slug": lambda: Person(slug="khaled-haftar", name_ar="خالد", name_en="Khaled"),
        "duplicate person alias": lambda: PersonAlias(
            person=Person.objects.get(slug="hussein-al-ayeb"), name="Hussein Al-Aib", language="en", script="Latn"
        ),
        "duplicate organization alias": lambda: OrganizationAlias(
            organization=Organization.objects.get(slug="cissa"), name="سيسا", language="ar", script="Arab"
        ),
        "implausible founding year": lambda: Organization(
            slug="old-body", name_ar="هيئة", name_en="Body", kind="ministry", founding_year=1200
        ),
        "position ending before it starts": lambda: Position(
            person=Person.objects.get(slug="mahmoud-hamza"), organization=Organization.objects.get(slug="brigade-444"),
            key="former", title_ar="آمر", title_en="Commander",
            start_date=datetime.date(2024, 1, 1), start_precision="year",
            end_date=datetime.date(2023, 1, 1), end_precision="year",
        ),
        "source date precision without date": lambda: SourceReport(
            slug="undated", title_ar="عنوان", title_en="Title", outlet_ar="منفذ", outlet_en="Outlet",
            summary_ar="ملخص", summary_en="Summary", kind="news", language="ar", published_precision="month",
        ),
        "citation backing the wrong kind of record": lambda: Citation(
            key="wrong-target", source=SourceReport.objects.get(slug="espacemanager-cissa-20-closing"),
            fact="participation", conference=cissa20(), excerpt_ar="نص", excerpt_en="text",
        ),
        "citation backing two records": lambda: Citation(
            key="two-targets", source=SourceReport.objects.get(slug="espacemanager-cissa-20-closing"),
            fact="conference-dates", conference=cissa20(),
            organization=Organization.objects.get(slug="cissa"), excerpt_ar="نص", excerpt_en="text",
        ),
    }


CASES = invalid_cases()


@pytest.mark.parametrize("case", CASES)
def test_full_clean_refuses(case):
    with pytest.raises(ValidationError):
        CASES[case]().full_clean()


@pytest.mark.parametrize("case", CASES)
def test_database_refuses(case):
    instance = CASES[case]()
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_organization_cannot_be_its_own_parent():
    cissa = Organization.objects.get(slug="cissa")
    cissa.parent = cissa
    with pytest.raises(ValidationError):
        cissa.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        cissa.save()


def test_arabic_field_without_arabic_script_is_refused():
    conference = cissa20()
    conference.name_ar = "CISSA 20"
    with pytest.raises(ValidationError) as excinfo:
        conference.full_clean()
    assert "name_ar" in excinfo.value.message_dict


def test_month_precise_date_is_stored_on_the_first():
    conference = new_conference(start_date=datetime.date(2026, 2, 17), start_precision="month")
    conference.full_clean()
    assert conference.start_date == datetime.date(2026, 2, 1)


def test_every_save_bumps_the_version():
    conference = cissa20()
    before = conference.version
    conference.save()
    assert conference.version == before + 1
