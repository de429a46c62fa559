"""Backup and restore (README.md, "Backup and restore"): dumpdata round-trips through loaddata.

The seeded test database, with an editor's account and a correction in its history, is
dumped with the README's command, loaded into a second, empty database of the same kind (a
temporary SQLite file, or a temporary PostgreSQL database), dumped again from there, and the
two dumps are compared record by record.
"""

import difflib
import os
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
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from conferences.models import Conference

ROOT = Path(__file__).resolve().parent.parent
# The README's backup command, less the output file.
DUMP_ARGS = [
    "--natural-foreign",
    "--all",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=axes",
    # migrate makes the Editors group, with its rights; users name their groups by name.
    "--exclude=auth.group",
    # The page cache's version counter (portal/state.py): the running site's state, not content.
    "--exclude=core.sitestate",
    # XML keeps datetimes to the microsecond; Django's JSON stops at the millisecond.
    "--format=xml",
    "--indent=2",
]


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
    name = f"portal_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    try:
        yield f"postgres://{credentials}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_dumpdata_round_trips_through_loaddata_into_an_empty_database(empty_database, tmp_path):
    # As `manage.py` runs them, in the default language: modeltranslation gives a translated
    # field's untranslated column (`name`) the value of the language active when it is read.
    with translation.override(settings.LANGUAGE_CODE):
        call_command("load_seeds", verbosity=0)
        editor = get_user_model().objects.create_user("amina", password="Sahara-Atlas-2025!", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
        conference.name_en = conference.name_en + " (corrected)"
        conference._history_user = editor
        conference.save()

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
    assert {"conferences.conference", "conferences.historicalconference", "participants.country",
            "organizations.organization", "auth.user", "core.seedrecord",
            "search.searchentry"} <= models
    assert sorted(original) == sorted(restored)
    different = [key for key in original if original[key] != restored[key]]
    assert different == [], "\n".join(
        line for key in different[:2] for line in difflib.unified_diff(
            original[key].splitlines(), restored[key].splitlines(), "backed up", "restored", lineterm="")
    )
    # Byte for byte, in fact.
    assert before.getvalue().strip() == after.strip()
    corrected = restored[("conferences.conference", str(conference.pk))]
    assert "(corrected)</field>" in corrected
    # The editor is still an editor.
    assert "<natural>Editors</natural>" in restored[("auth.user", str(editor.pk))]
