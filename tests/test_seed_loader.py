"""The seed loader: all or nothing, idempotent, and never over an editor's correction."""

import json
import shutil

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
from core.seeding import SEED_DIR, Loader
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
    """The portal's tables emptied inside the test's transaction (rolled back afterwards)."""
    for model in PORTAL_MODELS:
        if model is Organization:
            model.objects.update(parent=None)
        model.objects.all().delete()
    assert all(count == 0 for count in row_counts().values())


@pytest.fixture
def seed_copy(tmp_path):
    """A private copy of the seed folder that a test may spoil."""
    target = tmp_path / "seeds"
    shutil.copytree(SEED_DIR, target)
    return target


def edit_fixture(folder, file_name, change):
    path = folder / file_name
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def load(folder=SEED_DIR):
    call_command("load_seeds", dir=str(folder), verbosity=0)


def test_loads_everything_into_an_empty_database(empty_db, capsys):
    call_command("load_seeds")
    out = capsys.readouterr().out
    assert "Seeds loaded:" in out
    assert Conference.objects.count() == 5
    assert Country.objects.count() == 19
    assert SeedRecord.objects.count() == sum(row_counts()[m.__name__] for m in PORTAL_MODELS if m is not SeedRecord)


def test_second_run_changes_nothing_and_says_so(capsys):
    before = row_counts()
    versions = dict(Conference.objects.values_list("slug", "version"))
    call_command("load_seeds")
    assert "nothing to change" in capsys.readouterr().out
    assert row_counts() == before
    assert dict(Conference.objects.values_list("slug", "version")) == versions


def test_failure_half_way_leaves_the_database_unchanged(empty_db, monkeypatch):
    original_save = Loader.save
    calls = {"n": 0}

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 150:
            raise RuntimeError("disk on fire")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Loader, "save", failing_save)
    with pytest.raises(RuntimeError, match="disk on fire"):
        call_command("load_seeds")
    assert calls["n"] == 150
    assert all(count == 0 for count in row_counts().values())


def test_editor_change_survives_a_reload(capsys):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    conference.name_en = "CISSA 20, corrected by an editor"
    conference.save()
    call_command("load_seeds")
    out = capsys.readouterr().out
    assert "left alone: conferences.conference cissa-20-benghazi-2025: changed by an editor" in out
    conference.refresh_from_db()
    assert conference.name_en == "CISSA 20, corrected by an editor"


def test_record_deleted_by_an_editor_is_not_brought_back(capsys):
    Citation.objects.filter(key="tripoli-dbeibah-libyaalahrar").delete()
    call_command("load_seeds")
    assert "tripoli-dbeibah-libyaalahrar: deleted by an editor" in capsys.readouterr().out
    assert not Citation.objects.filter(key="tripoli-dbeibah-libyaalahrar").exists()


def test_changed_fixture_updates_an_untouched_record(seed_copy, capsys):
    def retitle(records):
        for record in records:
            if record["fields"].get("slug") == "tripoli-military-intelligence-chiefs-2024":
                record["fields"]["short_name_en"] = "Tripoli military-intelligence conference"

    edit_fixture(seed_copy, "07_conferences.json", retitle)
    call_command("load_seeds", dir=str(seed_copy))
    assert "1 updated" in capsys.readouterr().out
    assert Conference.objects.get(slug="tripoli-military-intelligence-chiefs-2024").short_name_en == (
        "Tripoli military-intelligence conference"
    )


def test_changed_fixture_does_not_override_an_editor(seed_copy, capsys):
    conference = Conference.objects.get(slug="cissa-21")
    conference.short_name_en = "CISSA XXI"
    conference.save()

    def retitle(records):
        for record in records:
            if record["fields"].get("slug") == "cissa-21":
                record["fields"]["short_name_en"] = "CISSA 21 (new wording)"

    edit_fixture(seed_copy, "07_conferences.json", retitle)
    call_command("load_seeds", dir=str(seed_copy))
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
    empty_db, seed_copy, file_name, change, expected
):
    edit_fixture(seed_copy, file_name, change)
    with pytest.raises(CommandError) as excinfo:
        load(seed_copy)
    message = str(excinfo.value)
    assert message.startswith("Seeds not loaded, nothing was written.")
    for part in expected:
        assert part in message
    assert all(count == 0 for count in row_counts().values())


def test_malformed_json_names_the_file(empty_db, seed_copy):
    (seed_copy / "02_topics.json").write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match=r"02_topics\.json.*not valid JSON"):
        load(seed_copy)
    assert all(count == 0 for count in row_counts().values())


def test_numeric_primary_keys_are_refused(empty_db, seed_copy):
    edit_fixture(seed_copy, "02_topics.json", lambda records: records[0].update(pk=7))
    with pytest.raises(CommandError, match="use natural keys"):
        load(seed_copy)
