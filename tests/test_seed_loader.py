"""The seed loader: all or nothing, idempotent, and never over an editor's correction.

Most tests load a few fixture files of their own, written in tmp_path (`fixtures`); the last ones load the
real seed data, first into an empty database and then again over it (`seeds`, loaded once for them).
"""

import json

import pytest
from django.core.management import CommandError, call_command

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
from core.models import SeedRecord
from core.seeding import Loader
from organizations.models import Organization, OrganizationAlias, Position
from participants.models import Country, Person, PersonAlias

PORTAL_MODELS = [
    Citation, Attendance, Participation, ConferenceOrganization, Conference, Series, Topic, SourceReport,
    Position, OrganizationAlias, Organization, PersonAlias, Person, Country, SeedRecord,
]

pytestmark = pytest.mark.django_db


def row_counts():
    return {model.__name__: model.objects.count() for model in PORTAL_MODELS}


@pytest.fixture
def empty_db():
    """The portal's tables empty, emptied inside the test's transaction (rolled back afterwards) if need be."""
    for model in PORTAL_MODELS:
        if model is Organization:
            model.objects.update(parent=None)
        model.objects.all().delete()
    assert all(count == 0 for count in row_counts().values())


def country(code, name_ar, name_en, region="north-africa"):
    return {"model": "participants.country",
            "fields": {"code": code, "name_ar": name_ar, "name_en": name_en, "region": region}}


def topic(slug, name_ar, name_en):
    return {"model": "conferences.topic", "fields": {"slug": slug, "name_ar": name_ar, "name_en": name_en}}


def conference(slug, short_name_en, short_name_ar, **fields):
    values = {
        "slug": slug, "name_ar": f"مؤتمر {short_name_ar}", "name_en": f"The {short_name_en} conference",
        "short_name_ar": short_name_ar, "short_name_en": short_name_en, "status": "held",
        "summary_ar": "ملخص المؤتمر.", "summary_en": "A summary of the conference.", "topics": [],
    }
    values.update(fields)
    return {"model": "conferences.conference", "fields": values}


# A small world in the seeds' own format and file names: 16 records, each kind referring to those before it.
FIXTURES = {
    "01_countries.json": [
        country("LY", "ليبيا", "Libya"),
        country("EG", "مصر", "Egypt"),
        country("TN", "تونس", "Tunisia"),
    ],
    "02_topics.json": [
        topic("terrorism", "الإرهاب", "Terrorism"),
        topic("cooperation", "التعاون", "Cooperation"),
    ],
    "03_organizations.json": [
        {"model": "organizations.organization", "fields": {
            "slug": "cissa", "name_ar": "لجنة أجهزة الأمن والاستخبارات الأفريقية",
            "name_en": "Committee of Intelligence and Security Services of Africa", "acronym": "CISSA",
            "kind": "intergovernmental", "country": None, "parent": None,
        }},
        {"model": "organizations.organizationalias",
         "fields": {"organization": ["cissa"], "name": "سيسا", "language": "ar", "script": "Arab"}},
    ],
    "05_sources.json": [
        {"model": "conferences.sourcereport", "fields": {
            "slug": "espacemanager-cissa-20-closing", "title_ar": "اختتام أشغال مؤتمر سيسا 20",
            "title_en": "CISSA 20 conference closes", "outlet_ar": "إسباس مانجر", "outlet_en": "Espace Manager",
            "kind": "news", "language": "ar", "published_on": None, "published_precision": "unknown",
            "summary_ar": "ملخص التقرير.", "summary_en": "Our summary of the report.",
        }},
    ],
    "07_conferences.json": [
        {"model": "conferences.series", "fields": {
            "slug": "cissa-conferences", "name_ar": "مؤتمرات سيسا", "name_en": "CISSA conferences",
            "organization": ["cissa"],
        }},
        conference("cissa-20-benghazi-2025", "CISSA 20", "سيسا 20", series=["cissa-conferences"], edition=20,
                   start_date="2025-08-25", start_precision="day", end_date="2025-08-26", end_precision="day",
                   host_country=["LY"], topics=[["terrorism"], ["cooperation"]]),
        conference("cissa-21", "CISSA 21", "سيسا 21", series=["cissa-conferences"], edition=21, status="planned",
                   host_country=["LY"]),
        conference("tripoli-military-intelligence-chiefs-2024", "Tripoli intelligence chiefs", "قادة الاستخبارات",
                   start_date="2024-12-21", start_precision="day", host_country=["LY"]),
    ],
    "08_conference_roles.json": [
        {"model": "conferences.participation",
         "fields": {"conference": ["cissa-20-benghazi-2025"], "country": ["LY"], "role": "host"}},
        {"model": "conferences.participation",
         "fields": {"conference": ["cissa-20-benghazi-2025"], "country": ["EG"], "role": "participant"}},
    ],
    "09_citations.json": [
        {"model": "conferences.citation", "fields": {
            "key": "cissa-20-dates", "source": ["espacemanager-cissa-20-closing"], "fact": "conference-dates",
            "conference": ["cissa-20-benghazi-2025"], "excerpt_ar": "استمرت ليومين 25 و 26 أوت",
            "excerpt_en": "lasted two days, 25 and 26 August",
        }},
    ],
}
RECORDS = sum(len(records) for records in FIXTURES.values())


@pytest.fixture
def fixtures(tmp_path):
    """The small world above, as fixture files in a folder of the test's own, which it may spoil."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for file_name, records in FIXTURES.items():
        (folder / file_name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return folder


def edit_fixture(folder, file_name, change):
    path = folder / file_name
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def load(folder):
    call_command("load_seeds", dir=str(folder), verbosity=0)


def test_the_fixtures_load_into_an_empty_database(empty_db, fixtures, capsys):
    call_command("load_seeds", dir=str(fixtures))
    assert f"Seeds loaded: {RECORDS} created" in capsys.readouterr().out
    counts = row_counts()
    assert counts.pop("SeedRecord") == RECORDS == sum(counts.values())
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    assert [topic.slug for topic in conference.topics.order_by("slug")] == ["cooperation", "terrorism"]
    assert conference.citations.get().source.slug == "espacemanager-cissa-20-closing"


def test_failure_half_way_leaves_the_database_unchanged(empty_db, fixtures, monkeypatch):
    original_save = Loader.save
    calls = {"n": 0}
    fail_at = RECORDS // 2

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise RuntimeError("disk on fire")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Loader, "save", failing_save)
    with pytest.raises(RuntimeError, match="disk on fire"):
        load(fixtures)
    assert calls["n"] == fail_at
    assert all(count == 0 for count in row_counts().values())


def test_record_deleted_by_an_editor_is_not_brought_back(empty_db, fixtures, capsys):
    load(fixtures)
    Citation.objects.filter(key="cissa-20-dates").delete()
    call_command("load_seeds", dir=str(fixtures))
    assert "cissa-20-dates: deleted by an editor" in capsys.readouterr().out
    assert not Citation.objects.filter(key="cissa-20-dates").exists()


def test_changed_fixture_updates_an_untouched_record(empty_db, fixtures, capsys):
    load(fixtures)

    def retitle(records):
        for record in records:
            if record["fields"].get("slug") == "tripoli-military-intelligence-chiefs-2024":
                record["fields"]["short_name_en"] = "Tripoli military-intelligence conference"

    edit_fixture(fixtures, "07_conferences.json", retitle)
    call_command("load_seeds", dir=str(fixtures))
    assert "1 updated" in capsys.readouterr().out
    assert Conference.objects.get(slug="tripoli-military-intelligence-chiefs-2024").short_name_en == (
        "Tripoli military-intelligence conference"
    )


def test_changed_fixture_does_not_override_an_editor(empty_db, fixtures, capsys):
    load(fixtures)
    conference = Conference.objects.get(slug="cissa-21")
    conference.short_name_en = "CISSA XXI"
    conference.save()

    def retitle(records):
        for record in records:
            if record["fields"].get("slug") == "cissa-21":
                record["fields"]["short_name_en"] = "CISSA 21 (new wording)"

    edit_fixture(fixtures, "07_conferences.json", retitle)
    call_command("load_seeds", dir=str(fixtures))
    assert "cissa-21: changed by an editor" in capsys.readouterr().out
    assert Conference.objects.get(slug="cissa-21").short_name_en == "CISSA XXI"


def set_field(slug_field, slug, name, value):
    def change(records):
        for record in records:
            if record["fields"].get(slug_field) == slug:
                record["fields"][name] = value
    return change


BAD_FIXTURES = [
    pytest.param(
        "01_countries.json", set_field("code", "LY", "name_en", ""),
        ["01_countries.json", "record 1", "LY", "missing English text for 'name'"], id="missing-english-name",
    ),
    pytest.param(
        "07_conferences.json", set_field("slug", "cissa-20-benghazi-2025", "end_date", "2025-08-20"),
        ["07_conferences.json", "cissa-20-benghazi-2025", "end_date", "before the start date"], id="end-before-start",
    ),
    pytest.param(
        "07_conferences.json", set_field("slug", "cissa-21", "slug", "cissa-20-benghazi-2025"),
        ["07_conferences.json", "cissa-20-benghazi-2025", "duplicate key"], id="duplicate-slug",
    ),
    pytest.param(
        "07_conferences.json", set_field("slug", "cissa-21", "host_country", ["XX"]),
        ["07_conferences.json", "cissa-21", "unknown country code 'XX'"], id="unknown-country-code",
    ),
    pytest.param(
        "07_conferences.json", set_field("slug", "cissa-21", "series", ["no-such-series"]),
        ["07_conferences.json", "cissa-21", "broken reference", "no-such-series"], id="broken-reference",
    ),
    pytest.param(
        "01_countries.json", set_field("code", "EG", "name_ar", "Egypt"),
        ["01_countries.json", "EG", "Arabic script"], id="arabic-field-in-latin-script",
    ),
]


@pytest.mark.parametrize(("file_name", "change", "expected"), BAD_FIXTURES)
def test_bad_fixture_stops_the_load_with_a_clear_message_and_writes_nothing(
    empty_db, fixtures, file_name, change, expected
):
    edit_fixture(fixtures, file_name, change)
    with pytest.raises(CommandError) as excinfo:
        load(fixtures)
    message = str(excinfo.value)
    assert message.startswith("Seeds not loaded, nothing was written.")
    for part in expected:
        assert part in message
    assert all(count == 0 for count in row_counts().values())


def test_malformed_json_names_the_file(empty_db, fixtures):
    (fixtures / "02_topics.json").write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match=r"02_topics\.json.*not valid JSON"):
        load(fixtures)
    assert all(count == 0 for count in row_counts().values())


def test_numeric_primary_keys_are_refused(empty_db, fixtures):
    edit_fixture(fixtures, "02_topics.json", lambda records: records[0].update(pk=7))
    with pytest.raises(CommandError, match="use natural keys"):
        load(fixtures)
    assert all(count == 0 for count in row_counts().values())


# --- The real seed data ----------------------------------------------------------------------
# These come last: the module's `seeds` stay loaded from the first test that asks for them to the
# end of the module (the ones above would find them and empty the tables in each test).


@pytest.mark.slow
def test_loads_everything_into_an_empty_database(empty_db, capsys):
    call_command("load_seeds")
    out = capsys.readouterr().out
    assert "Seeds loaded:" in out
    assert Conference.objects.count() == 5
    assert Country.objects.count() == 19
    assert SeedRecord.objects.count() == sum(row_counts()[m.__name__] for m in PORTAL_MODELS if m is not SeedRecord)


@pytest.mark.slow
@pytest.mark.usefixtures("seeds")
def test_second_run_changes_nothing_and_says_so(capsys):
    before = row_counts()
    versions = dict(Conference.objects.values_list("slug", "version"))
    call_command("load_seeds")
    assert "nothing to change" in capsys.readouterr().out
    assert row_counts() == before
    assert dict(Conference.objects.values_list("slug", "version")) == versions


@pytest.mark.slow
@pytest.mark.usefixtures("seeds")
def test_editor_change_survives_a_reload(capsys):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    conference.name_en = "CISSA 20, corrected by an editor"
    conference.save()
    call_command("load_seeds")
    out = capsys.readouterr().out
    assert "left alone: conferences.conference cissa-20-benghazi-2025: changed by an editor" in out
    conference.refresh_from_db()
    assert conference.name_en == "CISSA 20, corrected by an editor"
