"""Control characters XML 1.0 cannot hold (a word processor's line break, \\x0b; a backspace, \\x08):
taken out at every way in (the admin, the seed loader, loaddata), out of the rows and the history
stored before (the data migrations), and left out of the Atom feed and the backup, which keep
working whatever the database holds. And a feed's summaries are plain text, sent as text.
"""

import gc
import importlib
import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import translation
from lxml import etree, html

from conferences.models import Conference, Topic
from participants.models import PersonAlias
from search.models import SearchEntry
from tests import factories as make
from tests.helpers import (
    DUMP_ARGS,
    PASSWORD,
    change_url,
    errors_on,
    form_data,
    get,
    history_changes,
    history_url,
    logged_in,
    page_text,
    parse,
    record_page,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# Word's line break, a form feed, a backspace, an escape, and a noncharacter.
PASTED_EN = "Chiefs met in Tripoli.\x0bThey agreed\x0c on a plan\x08.\x1b\uffff"
CLEAN_EN = "Chiefs met in Tripoli.\nThey agreed\n on a plan."


# --- What a feed reader and a restore see -------------------------------------------------------


def feed_entries(client, language="en"):
    """The feed's entries as a feed reader shows them: title, summary and categories.

    A summary of type "html" is read as markup, as readers do; one of type "text" as it is.
    """
    response = get(client, f"/{language}/feeds/conferences.atom")
    root = etree.fromstring(response.content)
    shown = []
    for entry in root.iter(f"{ATOM}entry"):
        summary = entry.find(f"{ATOM}summary")
        text = summary.text or ""
        if summary.get("type") == "html":
            text = html.fragment_fromstring(text, create_parent="div").text_content() if text else ""
        shown.append({
            "title": entry.findtext(f"{ATOM}title"),
            "summary": text,
            "categories": [category.get("term") for category in entry.iter(f"{ATOM}category")],
        })
    return shown


def backup(tmp_path):
    """The README's backup command, written to a file as the README does; the file, parsed."""
    path = tmp_path / "backup.xml"
    try:
        with translation.override("ar"):
            call_command("dumpdata", *DUMP_ARGS, output=str(path), verbosity=0)
        failure = None
    except CommandError as error:
        failure = str(error)
    gc.collect()  # a failed dump leaves its cursor open
    assert failure is None, f"the README's backup command fails: {failure}"
    return etree.parse(str(path)).getroot()


def dumped(root, model, pk, field):
    return root.find(f'object[@model="{model}"][@pk="{pk}"]/field[@name="{field}"]').text


def stored_raw(conference):
    """A control character stored as an old version of the site, or a raw write, would store it."""
    Conference.objects.filter(pk=conference.pk).update(name_en="Summit\x0b2025\x08", summary_en=PASTED_EN)
    conference.history.update(summary_en=PASTED_EN)
    Topic.objects.filter(slug="terrorism").update(name_en="Terror\x01ism")


# --- Ways in ------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(db, monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "amina", stdout=StringIO())
    return logged_in("amina")


def test_text_pasted_into_the_admin_is_saved_without_control_characters(editor_client, client):
    conference = make.full_conference()
    data = form_data(editor_client.get(change_url(conference)))
    data["summary_en"] = PASTED_EN
    data["name_en"] = "First Meeting\x0bof Military Intelligence Chiefs"

    response = editor_client.post(change_url(conference), data)

    assert response.status_code == 302
    reopened = form_data(editor_client.get(change_url(conference)))
    assert reopened["summary_en"] == CLEAN_EN
    assert reopened["name_en"] == "First Meeting of Military Intelligence Chiefs"
    history = history_changes(parse(editor_client.get(history_url(conference))))
    assert ("Name [en]:", "First Conference of Military Intelligence Chiefs",
            "First Meeting of Military Intelligence Chiefs") in history
    assert ("Summary [en]:", "Military intelligence chiefs met in Tripoli.",
            "Chiefs met in Tripoli. They agreed on a plan.") in history
    [entry] = feed_entries(client)
    assert entry["summary"] == CLEAN_EN
    assert entry["title"] == "First Meeting of Military Intelligence Chiefs"
    assert "They agreed" in page_text(record_page(client, conference, "en"))


def test_a_required_text_of_control_characters_only_is_refused_as_missing(editor_client):
    conference = make.conference("summit-2025")
    data = form_data(editor_client.get(change_url(conference)))
    data["name_en"] = "\x0b\x08"

    response = editor_client.post(change_url(conference), data)

    assert response.status_code == 200
    assert "The English text is required." in errors_on(parse(response), "name_en")
    conference.refresh_from_db()
    assert conference.name_en.startswith("Conference ")


def test_the_seed_loader_takes_control_characters_out(tmp_path, client):
    (tmp_path / "01_topics.json").write_text(json.dumps([{"model": "conferences.topic", "fields": {
        "slug": "terrorism", "name_ar": "الإرهاب\x08", "name_en": "Counter\x0bterrorism",
        "description_ar": "وصف.", "description_en": "One line.\x0bAnother.\x1f",
    }}]), encoding="utf-8")

    call_command("load_seeds", dir=str(tmp_path), verbosity=0)

    topic = Topic.objects.get(slug="terrorism")
    assert (topic.name_ar, topic.name_en) == ("الإرهاب", "Counter terrorism")
    assert topic.description_en == "One line.\nAnother."
    assert topic.history.get().name_en == "Counter terrorism"
    assert "Counter terrorism" in page_text(record_page(client, topic, "en"))


def test_loaddata_takes_control_characters_out(tmp_path):
    fixture = tmp_path / "topics.json"
    fixture.write_text(json.dumps([{"model": "conferences.topic", "fields": {
        "slug": "terrorism", "name": "الإرهاب", "name_ar": "الإرهاب", "name_en": "Counter\x0bterrorism\x08",
        "description_ar": "", "description_en": "One line.\x0cAnother.", "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z", "version": 1,
    }}]), encoding="utf-8")

    call_command("loaddata", str(fixture), verbosity=0)

    topic = Topic.objects.get(slug="terrorism")
    assert topic.name_en == "Counter terrorism"
    assert topic.description_en == "One line.\nAnother."


# --- Rows stored before -------------------------------------------------------------------------


def run_data_migrations():
    for module in [
        "participants.migrations.0005_strip_control_characters",
        "organizations.migrations.0003_strip_control_characters",
        "conferences.migrations.0011_strip_control_characters",
        "search.migrations.0002_strip_control_characters",
        "core.migrations.0002_strip_control_characters",
    ]:
        importlib.import_module(module).strip(apps, None)


def test_the_data_migrations_clean_stored_rows_and_their_history(
    client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written after the commit
        conference = make.full_conference()
        alias = make.person_alias(conference.attendances.get().person, "Mahmud Hamza")
    stored_raw(conference)
    PersonAlias.objects.filter(pk=alias.pk).update(name="Mahmud\x0bHamza")
    PersonAlias.history.filter(id=alias.pk).update(name="Mahmud\x0bHamza")
    SearchEntry.objects.filter(kind="conference", object_id=conference.pk).update(body_en=PASTED_EN)
    LogEntry.objects.create(
        user=admin_user, content_type=ContentType.objects.get_for_model(Conference), object_id=str(conference.pk),
        object_repr="Summit\x0b2025\x08", action_flag=CHANGE, change_message="[]",
    )
    version = conference.version

    run_data_migrations()

    conference.refresh_from_db()
    assert conference.name_en == "Summit 2025"
    assert conference.summary_en == CLEAN_EN
    assert conference.version == version, "cleaning is not an edit"
    assert {row.summary_en for row in conference.history.all()} == {CLEAN_EN}
    assert PersonAlias.objects.get(pk=alias.pk).name == "Mahmud Hamza"
    assert set(PersonAlias.history.filter(id=alias.pk).values_list("name", flat=True)) == {"Mahmud Hamza"}
    assert Topic.objects.get(slug="terrorism").name_en == "Terrorism"
    assert SearchEntry.objects.get(kind="conference", object_id=conference.pk).body_en == CLEAN_EN
    assert LogEntry.objects.get().object_repr == "Summit 2025"
    assert "They agreed on a plan." in page_text(record_page(client, conference, "en"))


# --- Ways out, whatever the database holds -------------------------------------------------------


def test_the_feed_answers_with_a_control_character_stored(client):
    conference = make.full_conference()
    stored_raw(conference)

    [entry] = feed_entries(client)

    assert entry["title"].split() == ["Summit", "2025"]
    assert entry["summary"] == CLEAN_EN
    assert "Terrorism" in entry["categories"]
    assert feed_entries(client, "ar")[0]["title"] == conference.name_ar


def test_the_backup_is_written_whole_with_a_control_character_stored(tmp_path):
    conference = make.full_conference()
    stored_raw(conference)
    history_id = conference.history.latest("history_date").history_id

    root = backup(tmp_path)

    assert dumped(root, "conferences.conference", conference.pk, "name_en") == "Summit\n2025"
    assert dumped(root, "conferences.conference", conference.pk, "summary_en") == CLEAN_EN
    assert dumped(root, "conferences.historicalconference", history_id, "summary_en") == CLEAN_EN


def test_a_plain_text_summary_reaches_the_reader_whole(client):
    make.conference(summary_en="Closed session <!-- not minuted --> & press conference <b>after</b>.")

    [entry] = feed_entries(client)

    assert entry["summary"] == "Closed session <!-- not minuted --> & press conference <b>after</b>."
