"""Read replicas, against a real PostgreSQL primary and a real streaming replica of it.

scripts/pg_replica.py makes the pair (Debian's pg_createcluster; root or the postgres user) on
free loopback ports; without those tools the module is skipped. Each scenario runs the portal in
a subprocess pointed at the pair (DATABASE_URL, DATABASE_REPLICA_URLS), drives it with Django's
test client and says, for each page, what a reader saw and on which server its queries ran:

- a reader's pages are read from the replica, with no query on the primary;
- an editor's save goes to the primary, the editor sees it at once even while the replica's
  replay is paused, and so does the browser for a few seconds after logging out; readers see it
  once the replica has replayed it;
- with the replica stopped, pages answer 200 from the primary, and the replica is read again
  once it is back;
- a replica whose replay lags more than PORTAL_REPLICA_MAX_LAG_SECONDS is left aside until it
  catches up.

The router's rules without a cluster are in tests/test_replica_routing.py.
"""

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import pg_replica  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(pg_replica.available()), reason=pg_replica.available() or "n/a"),
]

SLUG = "summit-2025"
PAGE = f"/en/conferences/{SLUG}/"
OLD_NAME = "First Conference of Military Intelligence Chiefs"
NEW_NAME = "First Meeting of Military Intelligence Chiefs"


def free_ports(count, start=5450):
    """`count` loopback ports that nothing listens on and no PostgreSQL socket holds, from a start
    of this process's own above `start`: two suites at once (two clones on one machine) would
    otherwise both pick the first, and one cluster would not start."""
    found, port = [], start + os.getpid() % 500 * 4
    while len(found) < count:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0 and not Path(f"/var/run/postgresql/.s.PGSQL.{port}").exists():
                found.append(port)
        port += 1
    return found


@pytest.fixture(scope="module")
def pair():
    primary_port, replica_port = free_ports(2)
    pair = pg_replica.Pair(f"portal-test-{os.getpid()}", primary_port, replica_port, "portal_replicas")
    pair.start()
    try:
        run(pair, SETUP)
        pair.caught_up()
        yield pair
    finally:
        pair.drop()


def run(pair, script, **settings):
    """Run `script` (after PREAMBLE) as the portal pointed at the pair; returns what it printed last, as JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "DATABASE_"))}
    env.update(
        DATABASE_URL=pair.primary_url, DATABASE_REPLICA_URLS=pair.replica_url,
        DJANGO_SETTINGS_MODULE="portal.test_settings", DJANGO_ALLOWED_HOSTS="testserver,localhost",
        DJANGO_LOG_LEVEL="WARNING", REPLICA_PAIR=json.dumps([pair.primary[0].removesuffix("-primary"),
                                                            pair.primary[1], pair.replica[1], pair.database]),
        **{name: str(value) for name, value in settings.items()},
    )
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PREAMBLE) + textwrap.dedent(script)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


PREAMBLE = """
    import json
    import sys
    import time

    import django

    django.setup()
    from django.db import close_old_connections, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from lxml import html

    sys.path.insert(0, "scripts")
    from pg_replica import Pair

    setup_test_environment()  # the test client's response.context

    PAGE = "/en/conferences/summit-2025/"
    pair = Pair(*json.loads(__import__("os").environ["REPLICA_PAIR"]))


    def visit(client, path, replica=True):
        '''What a reader sees of `path` (status, first heading) and how many queries ran on each server.'''
        # What the server does at the start of each request, and Django's test client does not: check
        # the connections kept from the last one.
        close_old_connections()
        with CaptureQueriesContext(connections["default"]) as primary:
            if replica:
                with CaptureQueriesContext(connections["replica1"]) as on_replica:
                    response = client.get(path)
                # The check of the replica's lag is not a read of the page.
                replica_reads = [q for q in on_replica.captured_queries if "pg_last_wal" not in q["sql"]]
            else:
                response = client.get(path)
                replica_reads = []
        heading = ""
        if response.get("Content-Type", "").startswith("text/html") and response.content:
            found = html.fromstring(response.content).xpath("//h1")
            heading = " ".join(found[0].text_content().split()) if found else ""
        # The check of the primary's version (public/replicas.py) is not a read of the page either.
        primary_reads = [q for q in primary.captured_queries if "core_sitestate" not in q["sql"]]
        return {"status": response.status_code, "h1": heading, "primary": len(primary_reads),
                "replica": len(replica_reads), "cookies": sorted(response.cookies),
                "cache_control": response.get("Cache-Control", ""), "x_cache": response.get("X-Cache", ""),
                "headers": sorted(response.headers)}


    def on_replica(sql):
        with connections["replica1"].cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]


    def until(condition, seconds=10):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True
"""

SETUP = """
    import os

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests import factories as make
    from tests.helpers import PASSWORD

    make.full_conference()
    os.environ["DJANGO_EDITOR_PASSWORD"] = PASSWORD
    call_command("create_editor", "amina", stdout=open(os.devnull, "w"))
    print(json.dumps({}))
"""


# --- Readers read the replica -------------------------------------------------------------

READS = """
    client = Client()
    pages = {path: visit(client, path) for path in (PAGE, "/ar/", "/en/conferences/", "/api/v1/conferences/")}
    print(json.dumps({"pages": pages, "in_recovery": on_replica("SELECT pg_is_in_recovery()"),
                      "readyz": client.get("/readyz").json()}))
"""


def test_readers_pages_are_read_from_the_replica(pair):
    seen = run(pair, READS)
    assert seen["in_recovery"] is True
    assert seen["readyz"]["replicas"] == {"replica1": "ok"}
    assert seen["pages"][PAGE]["h1"] == OLD_NAME
    for path, page in seen["pages"].items():
        assert page["status"] == 200, path
        assert page["replica"] > 0, path
        assert page["primary"] == 0, path


# --- An editor's save ----------------------------------------------------------------------

EDIT = """
    from conferences.models import Conference
    from tests.helpers import change_url, form_data, logged_in

    reader = Client()
    before = visit(reader, PAGE)
    on_replica("SELECT pg_wal_replay_pause()")
    editor = logged_in("amina")
    conference = Conference.objects.get(slug="summit-2025")
    data = form_data(editor.get(change_url(conference)))
    data["name_en"] = "First Meeting of Military Intelligence Chiefs"
    with CaptureQueriesContext(connections["replica1"]) as admin_on_replica:
        saved = editor.post(change_url(conference), data)
    editor_sees = visit(editor, PAGE)
    reader_sees_while_paused = visit(reader, PAGE)
    logged_out = editor.post("/admin/logout/")
    after_logout = visit(editor, PAGE)
    time.sleep(1.5)
    after_the_window = visit(editor, PAGE)
    on_replica("SELECT pg_wal_replay_resume()")
    replayed = until(lambda: on_replica(
        "SELECT name_en FROM conferences_conference WHERE slug = 'summit-2025'"
    ) == "First Meeting of Military Intelligence Chiefs")
    print(json.dumps({
        "before": before, "saved": saved.status_code, "admin_on_replica": len(admin_on_replica.captured_queries),
        "editor": editor_sees, "reader_while_paused": reader_sees_while_paused,
        "logged_out": {"status": logged_out.status_code, "cookies": sorted(logged_out.cookies)},
        "after_logout": after_logout, "after_the_window": after_the_window,
        "replayed": replayed, "reader_after": visit(reader, PAGE),
    }))
"""


def test_an_editors_save_goes_to_the_primary_and_readers_see_it_once_replayed(pair):
    seen = run(pair, EDIT, PORTAL_REPLICA_MAX_LAG_SECONDS=3600, PORTAL_READ_YOUR_WRITES_SECONDS=1)
    try:
        assert seen["before"]["h1"] == OLD_NAME
        assert seen["saved"] == 302
        assert seen["admin_on_replica"] == 0
        # The editor reads the primary: the change shows at once, though the replica has not replayed it.
        assert (seen["editor"]["h1"], seen["editor"]["replica"]) == (NEW_NAME, 0)
        assert (seen["reader_while_paused"]["h1"], seen["reader_while_paused"]["primary"]) == (OLD_NAME, 0)
        # Logged out, the same browser still reads the primary for PORTAL_READ_YOUR_WRITES_SECONDS.
        assert "portal_wrote" in seen["logged_out"]["cookies"]
        assert (seen["after_logout"]["h1"], seen["after_logout"]["replica"]) == (NEW_NAME, 0)
        assert (seen["after_the_window"]["h1"], seen["after_the_window"]["primary"]) == (OLD_NAME, 0)
        assert seen["replayed"]
        assert (seen["reader_after"]["h1"], seen["reader_after"]["primary"]) == (NEW_NAME, 0)
    finally:
        pair.resume_replay()
        pair.sql(pair.primary, f"UPDATE conferences_conference SET name_en = '{OLD_NAME}' WHERE slug = '{SLUG}'")
        pair.caught_up()


# --- The replica stops ------------------------------------------------------------------------

DOWN = """
    client = Client()
    first = visit(client, PAGE)
    pair.stop_replica()
    try:
        down = [visit(client, path, replica=False) for path in (PAGE, PAGE, "/ar/", "/api/v1/conferences/")]
        ready = client.get("/readyz")
        ready = {**ready.json(), "code": ready.status_code}
    finally:
        pair.start_replica()
    back = until(lambda: visit(client, PAGE)["primary"] == 0)
    print(json.dumps({"first": first, "down": down, "ready": ready, "back": back, "last": visit(client, PAGE)}))
"""


def test_with_the_replica_down_pages_are_read_from_the_primary(pair):
    seen = run(pair, DOWN, PORTAL_REPLICA_RETRY_SECONDS=1)
    assert (seen["first"]["status"], seen["first"]["primary"]) == (200, 0)
    for page in seen["down"]:
        assert page["status"] == 200
        assert page["primary"] > 0
    assert seen["down"][0]["h1"] == OLD_NAME
    assert (seen["ready"]["code"], seen["ready"]["replicas"]) == (200, {"replica1": "unreachable"})
    assert seen["back"]
    assert (seen["last"]["status"], seen["last"]["h1"], seen["last"]["primary"]) == (200, OLD_NAME, 0)


# --- The replica lags ---------------------------------------------------------------------------

LAG = """
    from conferences.models import Conference

    # Restarted from a restartpoint that no transaction follows, the replica has replayed none since
    # it started: it cannot tell its lag by their age.
    pair.sql(pair.primary, "CHECKPOINT")
    pair.caught_up()
    pair.sql(pair.replica, "CHECKPOINT")
    pair.stop_replica()
    pair.start_replica()
    initial_replay = on_replica("SELECT pg_last_xact_replay_timestamp()")
    client = Client()
    first = visit(client, PAGE)
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        Conference.objects.filter(slug="summit-2025").update(name_en="First Meeting of Military Intelligence Chiefs")
        time.sleep(1.5)
        lagging = visit(client, PAGE)
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    back = until(lambda: visit(client, PAGE)["primary"] == 0)
    print(json.dumps({"first": first, "lagging": lagging, "back": back, "last": visit(client, PAGE),
                      "initial_replay": str(initial_replay)}))
"""


def test_a_lagging_replica_is_left_aside_until_it_catches_up(pair):
    try:
        seen = run(pair, LAG, PORTAL_REPLICA_MAX_LAG_SECONDS=1, PORTAL_REPLICA_CHECK_SECONDS=0.2)
    finally:
        pair.resume_replay()
    try:
        assert seen["initial_replay"] == "None"
        assert (seen["first"]["h1"], seen["first"]["primary"]) == (OLD_NAME, 0)
        assert (seen["lagging"]["status"], seen["lagging"]["h1"], seen["lagging"]["replica"]) == (200, NEW_NAME, 0)
        assert seen["lagging"]["primary"] > 0
        assert seen["back"]
        assert (seen["last"]["h1"], seen["last"]["primary"]) == (NEW_NAME, 0)
    finally:
        pair.sql(pair.primary, f"UPDATE conferences_conference SET name_en = '{OLD_NAME}' WHERE slug = '{SLUG}'")
        pair.caught_up()


# --- The page cache ---------------------------------------------------------------------------------

CACHED = """
    from django.conf import settings

    from conferences.models import Conference

    settings.PORTAL_PAGE_CACHE_SECONDS = 600  # off in the test settings
    reader = Client()
    before = visit(reader, PAGE)
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        conference = Conference.objects.get(slug="summit-2025")
        conference.name_en = "First Meeting of Military Intelligence Chiefs"
        conference.save()
        while_paused = visit(reader, PAGE)
        again_while_paused = visit(reader, PAGE)
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    replayed = until(lambda: on_replica(
        "SELECT name_en FROM conferences_conference WHERE slug = 'summit-2025'"
    ) == "First Meeting of Military Intelligence Chiefs")
    print(json.dumps({"before": before, "while_paused": while_paused, "again_while_paused": again_while_paused,
                      "replayed": replayed,
                      "after": visit(reader, PAGE)}))
"""


def test_a_page_read_from_a_lagging_replica_is_not_cached_as_the_new_version(pair):
    """An edit drops the cached pages that show it as soon as it commits on the primary. A page drawn
    meanwhile from a replica that has not replayed it yet shows the old data: it is not stored, here or in front,
    and readers get the new page as soon as the replica has replayed the edit."""
    try:
        seen = run(pair, CACHED, PORTAL_REPLICA_MAX_LAG_SECONDS=3600, PORTAL_CACHE_TAG_HEADER="xkey")
    finally:
        pair.resume_replay()
    try:
        assert seen["before"]["h1"] == OLD_NAME
        assert seen["replayed"]
        assert (seen["after"]["status"], seen["after"]["h1"]) == (200, NEW_NAME)
        assert (seen["while_paused"]["h1"], seen["while_paused"]["primary"]) == (OLD_NAME, 0)
        assert seen["while_paused"]["x_cache"] == seen["again_while_paused"]["x_cache"] == "miss"
        assert "Surrogate-Control" not in seen["while_paused"]["headers"]
        assert "Surrogate-Control" in seen["before"]["headers"]
    finally:
        pair.sql(pair.primary, f"UPDATE conferences_conference SET name_en = '{OLD_NAME}' WHERE slug = '{SLUG}'")
        pair.caught_up()
