"""The seed data: complete in both languages, every fact cited, and saying what the reports say."""

import datetime

import pytest
from django.apps import apps
from modeltranslation.translator import translator

from conferences.models import Attendance, Citation, Conference, Participation, SourceReport
from organizations.models import Organization
from participants.models import Person
from portal.models import ARABIC_LETTER, LATIN_LETTER, has_arabic

pytestmark = pytest.mark.django_db

PORTAL_APPS = ["participants", "organizations", "conferences"]


def translated_models():
    for app in PORTAL_APPS:
        for model in apps.get_app_config(app).get_models():
            if model in translator.get_registered_models():
                yield model, translator.get_options_for_model(model).fields


def test_every_translated_field_is_filled_in_both_languages_or_neither():
    problems = []
    for model, fields in translated_models():
        for obj in model.objects.all():
            for name in fields:
                ar = (getattr(obj, f"{name}_ar") or "").strip()
                en = (getattr(obj, f"{name}_en") or "").strip()
                if bool(ar) != bool(en):
                    problems.append(f"{model.__name__} {obj.pk} {name}: ar={ar!r} en={en!r}")
    assert problems == []


def test_arabic_fields_are_in_arabic_script_and_english_fields_in_latin():
    problems = []
    for model, fields in translated_models():
        for obj in model.objects.all():
            for name in fields:
                ar = getattr(obj, f"{name}_ar") or ""
                en = getattr(obj, f"{name}_en") or ""
                if ar and not has_arabic(ar):
                    problems.append(f"{model.__name__} {obj.pk} {name}_ar has no Arabic: {ar!r}")
                # English text may quote an Arabic word, but is written in Latin script.
                if en and len(ARABIC_LETTER.findall(en)) * 2 > len(LATIN_LETTER.findall(en)):
                    problems.append(f"{model.__name__} {obj.pk} {name}_en is not in Latin script: {en!r}")
    assert problems == []


def test_every_participation_attendance_date_and_place_cites_a_source():
    assert not Participation.objects.filter(citations__isnull=True).exists()
    assert not Attendance.objects.filter(citations__isnull=True).exists()
    for conference in Conference.objects.all():
        facts = set(conference.citations.values_list("fact", flat=True))
        assert {"conference-dates", "conference-place"} <= facts, conference.slug


def test_every_seed_report_is_a_source():
    seed_files = set(SourceReport.objects.exclude(seed_file="").values_list("seed_file", flat=True))
    assert seed_files == {
        "000_a6ff35896058420f.txt", "001_4b94314976baec8a.txt", "002_c53a8d77ccf2062b.txt",
        "003_5f909a88feebbd19.txt", "004_d7c096f498db7aab.txt",
    }


def test_sources_beyond_the_seeds_carry_their_address():
    assert not SourceReport.objects.filter(seed_file="", url="").exists()


def roles(slug):
    conference = Conference.objects.get(slug=slug)
    result = {}
    for participation in conference.participations.select_related("country"):
        result.setdefault(participation.role, set()).add(participation.country.code)
    return conference, result


def test_cissa_20():
    conference, countries = roles("cissa-20-benghazi-2025")
    assert (conference.start_date, conference.start_precision) == (datetime.date(2025, 8, 25), "day")
    assert (conference.end_date, conference.end_precision) == (datetime.date(2025, 8, 26), "day")
    assert (conference.city_ar, conference.city_en, conference.host_country.code) == ("بنغازي", "Benghazi", "LY")
    assert conference.status == "held"
    assert (conference.series.slug, conference.edition) == ("cissa-conferences", 20)
    assert countries == {"host": {"LY"}}
    chair = conference.attendances.get(role="chair")
    assert chair.person.name_en == "Hussein Mohammed Khalifa al-Ayeb"
    assert chair.person.rank_ar == "الفريق أول"
    assert chair.organization.slug == "libyan-intelligence-service"


def test_cissa_21_is_announced_for_libya_with_no_date_or_city():
    conference, countries = roles("cissa-21")
    assert conference.status == "planned"
    assert conference.start_date is None and conference.start_precision == "unknown"
    assert conference.end_date is None and conference.end_precision == "unknown"
    assert not conference.city_ar and not conference.city_en
    assert countries == {"host": {"LY"}}
    assert conference.edition == 21


def test_tripoli_conference():
    conference, countries = roles("tripoli-military-intelligence-chiefs-2024")
    assert (conference.start_date, conference.end_date) == (datetime.date(2024, 12, 21), datetime.date(2024, 12, 22))
    assert conference.city_en == "Tripoli" and conference.host_country.code == "LY"
    assert conference.status == "held"
    assert countries == {"host": {"LY"}, "participant": {"TN", "DZ", "SD", "TD", "NE"}, "absent": {"EG"}}
    people = {(a.person.slug, a.role) for a in conference.attendances.select_related("person")}
    assert people == {
        ("mahmoud-hamza", "host"), ("abdul-hamid-dbeibah", "opening-speaker"),
        ("abdulsalam-al-zoubi", "attendee"), ("mohammed-al-haddad", "attendee"), ("salah-al-namroush", "attendee"),
    }
    # The observers' reading of Egypt's absence stays an attributed opinion.
    opinion = Citation.objects.get(key="tripoli-eg-absence-reasons-seed002")
    assert opinion.attributed_to_en == "observers quoted in the report"
    assert opinion.is_opinion


def test_benghazi_chiefs_of_staff_preview():
    conference, countries = roles("benghazi-chiefs-of-staff-2026")
    assert conference.status == "announced"
    assert (conference.start_date, conference.end_date) == (datetime.date(2026, 2, 10), datetime.date(2026, 2, 12))
    assert conference.theme_ar == "تعاون مشترك لمكافحة الجرائم العابرة للحدود"
    assert countries["host"] == {"LY"}
    assert countries["participant"] == {"EG"}
    assert len(countries["announced"]) == 16
    assert sum(len(codes) for codes in countries.values()) == 18
    host = conference.attendances.get(role="host")
    assert host.person.name_en == "Khaled Haftar"
    assert conference.organization_roles.get(role="organizer").organization.slug == "lna-general-staff"


def test_agadir_marrakech_platform_meeting():
    conference, countries = roles("marrakech-platform-4-agadir-2025")
    assert (conference.start_date, conference.start_precision) == (datetime.date(2025, 6, 17), "day")
    assert conference.end_date is None and conference.end_precision == "unknown"
    assert conference.city_en == "Agadir" and countries == {"host": {"MA"}}
    assert (conference.series.slug, conference.edition) == ("marrakech-platform-meetings", 4)
    # Who opened the meeting is disputed: both accounts are kept.
    opening = conference.attendances.get(person__slug="abdellatif-hammouchi")
    stances = set(opening.citations.values_list("stance", flat=True))
    assert stances == {"supports", "contradicts"}
    assert conference.attendances.filter(person__slug="yassine-mansouri", role="chair").exists()


def test_disputed_founding_years_keep_both_versions():
    cissa = Organization.objects.get(slug="cissa")
    assert cissa.founding_year == 2004
    assert cissa.citations.filter(stance="contradicts", claim_en="founded in 2005").exists()
    platform = Organization.objects.get(slug="marrakech-platform")
    assert platform.founding_year == 2022
    assert platform.citations.filter(stance="contradicts", claim_en="launched in 2020").exists()


def test_names_and_aliases_follow_english_press_spelling():
    ayeb = Person.objects.get(slug="hussein-al-ayeb")
    aliases = set(ayeb.aliases.values_list("name", flat=True))
    assert {"Hussein Al-Aib", "Hussein al-Ayeb", "العايب", "حسين محمد العائب"} <= aliases
    assert Organization.objects.get(slug="cissa").aliases.filter(name="سيسا").exists()
    assert Organization.objects.get(slug="marrakech-platform").name_en == "Marrakech Platform"
