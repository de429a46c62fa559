"""Backup and restore (README.md, "Backup and restore"): dumpdata round-trips through loaddata.

A database holding every kind of record the backup keeps is dumped with the README's command,
loaded into a second, empty database of the same kind (a temporary SQLite file, or a temporary
PostgreSQL database), dumped again from there, and the two dumps are compared record by record.

The records are built for the test rather than the whole seed data: a conference with something
of everything (tests/factories.py), alternative names, a renamed slug, an editor's correction in
the history, and one real seed file loaded by the seed loader, for its bookkeeping. Building them
here also lets the test start from what a live database looks like: ids that do not start at 1,
since records come and go (a conference entered by mistake, deleted, its history pruned).
"""

import difflib
import gc
import os
import shutil
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from conferences.models import Conference
from tests import factories as make
from tests.helpers import DUMP_ARGS

ROOT = Path(__file__).resolve().parent.parent


def manage(database_url, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def records(dump):
    """The dump as {(model, pk): the record's XML}, so a difference names its record."""
    tree = ElementTree.fromstring(dump)
    return {
        (element.get("model"), element.get("pk")): ElementTree.tostring(element, encoding="unicode")
        for element in tree.findall("object")
    }


def fields(record):
    """A dumped record's fields, {name: text}; a relation named by natural key gives its key's parts."""
    element = ElementTree.fromstring(record)
    return {
        field.get("name"): [natural.text for natural in field.iter("natural")] or field.text
        for field in element.findall("field")
    }


@pytest.fixture
def empty_database(tmp_path):
    """The address of a new, empty database of the kind the tests run on; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    assert connection.vendor == "postgresql"
    import psycopg

    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
    }
    name = f"issue14_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    try:
        yield f"postgres://{credentials}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def a_live_database(seed_dir):
    """Records of every kind the backup keeps, saved one by one as editors and the seed loader do.

    Returns the editor and the conference she corrected.
    """
    # Ids that do not start at 1: a conference entered by mistake, deleted, and its history pruned.
    mistake = make.conference("entered-by-mistake")
    mistake_id = mistake.pk
    mistake.delete()
    Conference.history.filter(id=mistake_id).delete()

    # The seed loader's rows and its bookkeeping (core.seedrecord): the real countries' file.
    shutil.copy(ROOT / "seeds" / "01_countries.json", seed_dir)
    call_command("load_seeds", dir=str(seed_dir), verbosity=0)

    conference = make.full_conference("summit-2025")
    make.person_alias(conference.attendances.get().person, "Mahmud Hamza")
    make.organization_alias(conference.series.organization, "الاستخبارات العسكرية", language="ar", script="Arab")
    conference.slug = "intelligence-chiefs-2024"  # the old address is kept in the slug history
    conference.save()

    editor = get_user_model().objects.create_user("amina", password="Sahara-Atlas-2025!", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    conference.name_en = conference.name_en + " (corrected)"
    conference._history_user = editor
    conference.save()
    return editor, conference


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_dumpdata_round_trips_through_loaddata_into_an_empty_database(empty_database, tmp_path):
    seed_dir = tmp_path / "seeds"
    seed_dir.mkdir()
    # As `manage.py` runs them, in the default language: modeltranslation gives a translated
    # field's untranslated column (`name`) the value of the language active when it is read.
    with translation.override(settings.LANGUAGE_CODE):
        editor, conference = a_live_database(seed_dir)
        before = StringIO()
        call_command("dumpdata", *DUMP_ARGS, stdout=before)
    backup = tmp_path / "backup.xml"
    backup.write_text(before.getvalue(), encoding="utf-8")

    manage(empty_database, "migrate", "--noinput", "-v0")
    manage(empty_database, "loaddata", str(backup))
    after = manage(empty_database, "dumpdata", *DUMP_ARGS)

    original, restored = records(before.getvalue()), records(after)
    models = {model for model, _pk in original}
    # The dump holds the portal's records, their history, and the editors' accounts.
    assert {"conferences.conference", "conferences.historicalconference", "conferences.historicalconference_topics",
            "participants.country", "participants.person", "participants.personalias", "organizations.organization",
            "organizations.organizationalias", "organizations.position", "conferences.citation", "auth.user",
            "core.seedrecord", "core.slughistory", "search.searchentry", "search.searchword"} <= models
    # Nothing lost, and nothing written by the restore itself (a history row dated the day of the restore).
    assert sorted(set(original) - set(restored)) == []
    assert sorted(set(restored) - set(original)) == []
    different = [key for key in original if original[key] != restored[key]]
    assert different == [], "\n".join(
        line for key in different[:2] for line in difflib.unified_diff(
            original[key].splitlines(), restored[key].splitlines(), "backed up", "restored", lineterm="")
    )
    # Byte for byte, in fact.
    assert before.getvalue().strip() == after.strip()
    corrected = fields(restored[("conferences.conference", str(conference.pk))])
    assert corrected["name_en"].endswith("(corrected)")
    # The editor is still an editor.
    assert fields(restored[("auth.user", str(editor.pk))])["groups"] == ["Editors"]


@pytest.mark.django_db
def test_a_backup_can_be_taken_after_a_conference_is_deleted():
    """A conference deleted after its topics were set: its history stays, and so does the backup command."""
    conference = make.conference("entered-by-mistake")
    conference.topics.add(make.topic("mistaken-topic"))
    conference.delete()

    dump = StringIO()
    try:
        call_command("dumpdata", *DUMP_ARGS, stdout=dump)
        failure = None
    except CommandError as error:
        failure = str(error)
    # A failed dump leaves its reading of a table open: on PostgreSQL a cursor of this test's
    # transaction, which must be closed now, not when a later test's transaction has no such cursor.
    gc.collect()
    assert failure is None, f"the README's backup command fails: {failure}"
    history = [fields(record) for (model, _pk), record in records(dump.getvalue()).items()
               if model == "conferences.historicalconference"]
    assert ("entered-by-mistake", "-") in {(row["slug"], row["history_type"]) for row in history}
