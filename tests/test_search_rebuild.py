"""`rebuild_search_index` beside an editor's save (PostgreSQL, where both run at once): an edit
committed while the index is rebuilt is in the index once both are done, whatever the rebuild read
before it. Each runs in a thread of its own, with its own connection and real commits."""

import threading
import time

import pytest
from django.db import connection, connections

from search import index
from search.models import SearchEntry, SearchKind
from search.query import Query
from tests import factories as make

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time"),
]
WAIT = 30


def in_thread(target, errors):
    def run():
        try:
            target()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def another_session_waits_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_an_edit_committed_during_a_rebuild_is_in_the_index_after_it(monkeypatch):
    conference = make.conference("cissa-21")
    index.rebuild()
    read, go_on = threading.Event(), threading.Event()
    build = index.BUILDERS[SearchKind.CONFERENCE]

    def read_then_pause(ids=None):
        rows = list(build(ids))
        if ids is None:  # the rebuild's: every conference, as it was before the edit
            read.set()
            go_on.wait(WAIT)
        return rows

    monkeypatch.setitem(index.BUILDERS, SearchKind.CONFERENCE, read_then_pause)
    errors = []
    rebuilding = in_thread(index.rebuild, errors)
    assert read.wait(WAIT)

    def edit():
        conference.name_en = "Conference of Zarzis"
        conference.save()

    editing = in_thread(edit, errors)
    # The edit has committed and its rewrite of the index waits for the rebuild: let the rebuild end.
    deadline = time.monotonic() + WAIT
    while not another_session_waits_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    go_on.set()
    rebuilding.join(WAIT)
    editing.join(WAIT)
    assert not rebuilding.is_alive() and not editing.is_alive()
    assert not errors, errors

    entries = SearchEntry.objects.filter(kind=SearchKind.CONFERENCE, object_id=conference.pk)
    assert list(entries.values_list("title_en", flat=True)) == ["Conference of Zarzis"]
    assert list(SearchEntry.objects.matching(Query.parse("Zarzis")).values_list("object_id", flat=True)) == [
        conference.pk
    ]
