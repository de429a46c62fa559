"""The seed data: complete in both languages, every fact cited, and saying what the reports say."""

import datetime
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from modeltranslation.translator import translator

from conferences.models import Attendance, Citation, Conference, Participation, SourceReport
from core.bilingual import ARABIC_LETTER, LATIN_LETTER, has_arabic
from organizations.models import Organization
from participants.models import Person
from participants.ranks import english_rank, ranks_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeds")]

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


def test_benghazi_chiefs_of_staff_was_held_and_its_preview_list_kept():
    conference, countries = roles("benghazi-chiefs-of-staff-2026")
    # Reports after the event (its opening, its closing session) say it was held.
    assert conference.status == "held"
    assert conference.short_name_en == "Mediterranean and Sub-Saharan chiefs of staff"
    assert conference.reported_after_start() is not None
    published = {c.source.published_on for c in conference.citations.filter(fact="conference-status")}
    assert any(day and day > conference.start_date for day in published)
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
    assert cissa.citations.filter(stance="contradicts", claim_en="the committee was founded in 2005").exists()
    platform = Organization.objects.get(slug="marrakech-platform")
    assert platform.founding_year == 2022
    assert platform.citations.filter(stance="contradicts", claim_en="Morocco launched the platform in 2020").exists()


def test_names_and_aliases_follow_english_press_spelling():
    ayeb = Person.objects.get(slug="hussein-al-ayeb")
    aliases = set(ayeb.aliases.values_list("name", flat=True))
    assert {"Hussein Al-Aib", "Hussein al-Ayeb", "العايب", "حسين محمد العائب"} <= aliases
    assert Organization.objects.get(slug="cissa").aliases.filter(name="سيسا").exists()
    assert Organization.objects.get(slug="marrakech-platform").name_en == "Marrakech Platform"


# --- The evidence itself ------------------------------------------------------------------------

SEED_REPORTS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.mark.skipif(not SEED_REPORTS.is_dir(), reason="the reports' texts are not beside the project")
def test_every_excerpt_of_a_report_quotes_it_word_for_word():
    out = io.StringIO()
    call_command("check_evidence", str(SEED_REPORTS), stdout=out)
    assert "quote their report word for word" in out.getvalue()


def test_the_experts_meetings_are_disputed_like_the_other_conflicts():
    cissa_20 = Conference.objects.get(slug="cissa-20-benghazi-2025")
    citations = cissa_20.citations.filter(fact="conference-preparations")
    assert citations.filter(stance="supports", source__seed_file__startswith="000_").exists()
    assert {c.claim_en for c in citations.filter(stance="contradicts")} and all(
        "21 August" in c.claim_en for c in citations.filter(stance="contradicts")
    )
    assert "20 August 2025" in cissa_20.preparations_en


def test_the_number_of_countries_at_cissa_20_is_the_one_a_source_states():
    cissa_20 = Conference.objects.get(slug="cissa-20-benghazi-2025")
    assert cissa_20.country_count == 53
    excerpt = cissa_20.citations.get(fact="conference-country-count").excerpt_en
    assert "53 African countries" in excerpt


def test_the_tripoli_background_keeps_its_opinions_attributed():
    tripoli = Conference.objects.get(slug="tripoli-military-intelligence-chiefs-2024")
    background = tripoli.citations.filter(fact="conference-background")
    invitation = background.get(excerpt_ar__contains="أوساط ليبية")
    assert invitation.attributed_to_en == "Libyan circles"
    # The visit itself is confirmed elsewhere, in October 2024.
    assert len([c for c in background.filter(source__seed_file="") if not c.attributed_to_en]) >= 2
    assert "October 2024" in tripoli.background_en


def test_ranks_follow_one_scale_for_every_person_and_every_translated_quotation():
    for person in Person.objects.exclude(rank_ar__isnull=True).exclude(rank_ar=""):
        assert person.rank_en == english_rank(person.rank_ar), person.slug
    wrong = []
    for citation in Citation.objects.filter(quote_language="ar"):
        for arabic, english in ranks_in(citation.excerpt_ar):
            if english not in citation.excerpt_en:
                wrong.append((citation.key, arabic, english))
    assert wrong == []
    # «الفريق أول» and «الفريق» never read alike.
    assert english_rank("الفريق أول") != english_rank("الفريق")


def test_quotations_are_in_the_language_of_their_source():
    for citation in Citation.objects.select_related("source").exclude(source__language="ar"):
        assert citation.quote_language == citation.source.language, citation.key
    for citation in Citation.objects.filter(quote_language__in=["fr", "it"]):
        assert citation.original and citation.original not in (citation.excerpt_ar, citation.excerpt_en)


def test_readers_never_meet_workshop_words():
    texts = []
    for model, fields in translated_models():
        for obj in model.objects.all():
            texts.extend(getattr(obj, f"{name}_{language}") or "" for name in fields for language in ("ar", "en"))
    assert not [text for text in texts if "seed" in text.lower() or "التقرير الأصلي" in text]
    assert not SourceReport.objects.filter(slug__startswith="seed-").exists()
    assert not SourceReport.objects.filter(outlet_en__icontains="unknown").exists()
