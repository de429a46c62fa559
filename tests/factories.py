"""Records for tests, built with only what each test cares about; the rest is filled in.

Plain builders rather than a factory library: each takes the fields a test names and gives
sensible bilingual defaults for the others, and saves through the model's own `save()`, so
signals (the site version, the search index, slug history) run as they do for an editor.
"""

import datetime
import itertools

from conferences.models import (
    Attendance,
    Citation,
    Conference,
    ConferenceOrganization,
    Participation,
    Series,
    SourceReport,
    Topic,
)
from organizations.models import Organization, OrganizationAlias, Position
from participants.models import Country, Person, PersonAlias

_counter = itertools.count(1)


def _n():
    return next(_counter)


def _bilingual(prefix, ar=None, en=None):
    number = _n()
    return {f"{prefix}_ar": ar or f"نص {number}", f"{prefix}_en": en or f"Text {number}"}


def country(code="LY", name_ar="ليبيا", name_en="Libya", region="north-africa", **fields):
    record = Country.objects.filter(code=code).first()
    if record is not None:
        return record
    return Country.objects.create(code=code, name_ar=name_ar, name_en=name_en, region=region, **fields)


def topic(slug=None, name_ar="الإرهاب", name_en="Terrorism", **fields):
    return Topic.objects.create(slug=slug or f"topic-{_n()}", name_ar=name_ar, name_en=name_en, **fields)


def organization(slug=None, name_ar="منظمة", name_en="Organization", kind="intergovernmental", **fields):
    return Organization.objects.create(slug=slug or f"organization-{_n()}", name_ar=name_ar, name_en=name_en,
                                       kind=kind, **fields)


def organization_alias(organization, name, language="en", script="Latn", **fields):
    return OrganizationAlias.objects.create(organization=organization, name=name, language=language, script=script,
                                            **fields)


def person(slug=None, name_ar="شخص", name_en="Person", **fields):
    return Person.objects.create(slug=slug or f"person-{_n()}", name_ar=name_ar, name_en=name_en, **fields)


def person_alias(person, name, language="en", script="Latn", **fields):
    return PersonAlias.objects.create(person=person, name=name, language=language, script=script, **fields)


def position(person, organization, key="head", title_ar="رئيس", title_en="Head", **fields):
    return Position.objects.create(person=person, organization=organization, key=key, title_ar=title_ar,
                                   title_en=title_en, **fields)


def series(slug=None, name_ar="سلسلة", name_en="Series", **fields):
    return Series.objects.create(slug=slug or f"series-{_n()}", name_ar=name_ar, name_en=name_en, **fields)


def conference(slug=None, *, start=None, end=None, status="held", **fields):
    """A conference known to the day (`start`, `end` dates), or with unknown dates when none is given."""
    number = _n()
    values = {
        "name_ar": f"مؤتمر {number}", "name_en": f"Conference {number}",
        "short_name_ar": f"مؤتمر {number}", "short_name_en": f"Conference {number}",
        "summary_ar": "ملخص المؤتمر.", "summary_en": "A summary of the conference.",
        "status": status,
    }
    if start is not None:
        values.update(start_date=start, start_precision="day")
    if end is not None:
        values.update(end_date=end, end_precision="day")
    values.update(fields)
    return Conference.objects.create(slug=slug or f"conference-{number}", **values)


def source(slug=None, *, language="ar", published_on=None, **fields):
    number = _n()
    values = {
        "title_ar": f"تقرير {number}", "title_en": f"Report {number}",
        "outlet_ar": "منفذ", "outlet_en": "Outlet",
        "summary_ar": "ملخص التقرير.", "summary_en": "Our summary of the report.",
        "kind": "news", "language": language,
    }
    if published_on is not None:
        values.update(published_on=published_on, published_precision="day")
    values.update(fields)
    return SourceReport.objects.create(slug=slug or f"source-{number}", **values)


def participation(conference, country, role="participant", **fields):
    return Participation.objects.create(conference=conference, country=country, role=role, **fields)


def attendance(conference, person, role="attendee", **fields):
    return Attendance.objects.create(conference=conference, person=person, role=role, **fields)


def conference_organization(conference, organization, role="organizer", **fields):
    return ConferenceOrganization.objects.create(conference=conference, organization=organization, role=role,
                                                 **fields)


FACT_OF_TARGET = {
    "participation": "participation",
    "attendance": "attendance",
    "conference_organization": "conference-organization",
    "position": "position",
    "organization": "founding-year",
}


def citation(source, *, fact=None, excerpt_ar="نص مقتبس", excerpt_en="A quoted text", **target_and_fields):
    """A citation of `source` for one record, named by keyword: conference=…, participation=…, …"""
    if fact is None:
        target = next((name for name in FACT_OF_TARGET if name in target_and_fields), "conference")
        fact = FACT_OF_TARGET.get(target, "conference-dates")
    key = target_and_fields.pop("key", None) or f"citation-{_n()}"
    return Citation.objects.create(
        key=key, source=source, fact=fact, excerpt_ar=excerpt_ar, excerpt_en=excerpt_en,
        **target_and_fields,
    )


def day(text):
    return datetime.date.fromisoformat(text)
