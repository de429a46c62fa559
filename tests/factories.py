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


COUNTRIES = {
    "LY": ("ليبيا", "Libya", "north-africa"),
    "TN": ("تونس", "Tunisia", "north-africa"),
    "DZ": ("الجزائر", "Algeria", "north-africa"),
    "EG": ("مصر", "Egypt", "north-africa"),
    "MA": ("المغرب", "Morocco", "north-africa"),
    "ML": ("مالي", "Mali", "sahel"),
    "NE": ("النيجر", "Niger", "sahel"),
    "TD": ("تشاد", "Chad", "sahel"),
    "SD": ("السودان", "Sudan", "east-africa"),
    "GA": ("الغابون", "Gabon", "central-africa"),
    "IT": ("إيطاليا", "Italy", "europe"),
    "TR": ("تركيا", "Türkiye", "western-asia"),
}


def named_country(code):
    """A real country by its ISO code, with its names in both languages."""
    name_ar, name_en, region = COUNTRIES[code]
    return country(code, name_ar, name_en, region)


def full_conference(slug="summit-2025", **fields):
    """A conference with something of everything a page shows, as the reports give them.

    Held in Tripoli, Libya, 21–22 December 2024; in a series, as its 2nd edition; Tunisia and Algeria
    took part (one report's list, shared), Egypt stayed away (with an observers' opinion), Mali was
    announced; a chief with a rank opened it for his organization, which organized it; two topics;
    an Arabic report and an English one, whose dates disagree (a dispute).
    """
    libya = named_country("LY")
    agency = organization("military-intelligence", name_ar="إدارة الاستخبارات العسكرية",
                          name_en="Military Intelligence Department", acronym="MID", country=libya,
                          kind="intelligence-service")
    edition_of = series("intelligence-chiefs", name_ar="مؤتمرات قادة الاستخبارات", name_en="Intelligence chiefs",
                        organization=agency)
    record = conference(
        slug, start=day("2024-12-21"), end=day("2024-12-22"),
        name_ar="المؤتمر الأول لقادة الاستخبارات العسكرية", name_en="First Conference of Military Intelligence Chiefs",
        short_name_ar="قادة الاستخبارات 2024", short_name_en="Intelligence chiefs 2024",
        city_ar="طرابلس", city_en="Tripoli", host_country=libya, series=edition_of, edition=2,
        theme_ar="الأمن المشترك", theme_en="Common security",
        summary_ar="اجتمع قادة الاستخبارات العسكرية في طرابلس.",
        summary_en="Military intelligence chiefs met in Tripoli.",
        **fields,
    )
    record.topics.add(topic("terrorism", "الإرهاب", "Terrorism"), topic("smuggling", "التهريب", "Smuggling"))
    report = source("report-ar", title_ar="تقرير عن المؤتمر", title_en="Report on the conference",
                    outlet_ar="الصحيفة", outlet_en="The Paper", published_on=day("2024-12-23"))
    press = source("report-en", language="en", title_ar="خبر بالإنجليزية", title_en="English news item",
                   outlet_ar="ليبيا هيرالد", outlet_en="Libya Herald", url="https://libyaherald.com/item")
    citation(report, conference=record, fact="conference-dates", excerpt_ar="بعد يومين من المشاورات",
             excerpt_en="after two days of consultations")
    citation(press, conference=record, fact="conference-dates", quote_language="en", stance="contradicts",
             excerpt_ar="انعقد في 20 ديسمبر", excerpt_en="held on 20 December",
             claim_ar="انعقد المؤتمر في 20 ديسمبر", claim_en="the conference was held on 20 December")
    citation(report, conference=record, fact="conference-place", excerpt_ar="اختتم في طرابلس",
             excerpt_en="closed in Tripoli")
    participation(record, libya, role="host")
    for code in ("TN", "DZ"):
        row = participation(record, named_country(code))
        citation(report, participation=row, excerpt_ar="بحضور وفود من تونس والجزائر",
                 excerpt_en="with delegations from Tunisia and Algeria")
    absent = participation(record, named_country("EG"), role="absent", note_ar="غابت مصر.",
                           note_en="Egypt stayed away.")
    citation(report, participation=absent, excerpt_ar="في غياب مصر", excerpt_en="in Egypt's absence")
    citation(report, participation=absent, excerpt_ar="مراقبون يرون أن مصر تسعى للنأي بنفسها",
             excerpt_en="observers think Egypt seeks to keep its distance", attributed_to_ar="مراقبون",
             attributed_to_en="observers")
    announced = participation(record, named_country("ML"), role="announced")
    citation(report, participation=announced, excerpt_ar="ومالي", excerpt_en="and Mali")
    chief = person("mahmoud-hamza", name_ar="محمود حمزة", name_en="Mahmoud Hamza", rank_ar="اللواء",
                   rank_en="Major General", country=libya)
    position(chief, agency, key="director", title_ar="مدير الاستخبارات العسكرية",
             title_en="Director of Military Intelligence")
    opened = attendance(record, chief, role="opening-speaker", organization=agency)
    citation(report, attendance=opened, excerpt_ar="رحب اللواء محمود حمزة بالوفود",
             excerpt_en="Major General Mahmoud Hamza welcomed the delegations")
    organizer = conference_organization(record, agency, role="organizer")
    citation(report, conference_organization=organizer, excerpt_ar="بتنظيم إدارة الاستخبارات العسكرية",
             excerpt_en="organized by the Military Intelligence Department")
    return record
