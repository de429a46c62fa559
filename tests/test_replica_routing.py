"""The rules of the read replicas, without a cluster (core/replicas.py, public/replicas.py).

What the replicas themselves do (a real primary and streaming replica) is in tests/test_replicas.py.
Here a replica is either imagined (the router's answers, which replica is fit) or a server that
refuses connections (a request whose replica fails mid-way still gets its page).
"""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as settings_module
from django.core import signing
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from core import replicas, state
from core.models import SiteState
from public.replicas import WROTE_COOKIE, WROTE_SALT, reads_primary
from tests import factories as make
from tests.helpers import PASSWORD, get, parse, record_url, text

ROUTER = replicas.ReplicaRouter()
REPLICA = "replica1"


@pytest.fixture(autouse=True)
def fresh_knowledge():
    replicas.forget()
    yield
    replicas.forget()


# --- The router --------------------------------------------------------------------------------


def test_outside_a_public_request_everything_uses_the_primary():
    """The seed loader, migrations, the shell: no request let them read a replica."""
    assert ROUTER.db_for_read(None) == DEFAULT_DB_ALIAS
    assert ROUTER.db_for_write(None) == DEFAULT_DB_ALIAS


def test_a_public_request_reads_its_replica_until_it_writes():
    with replicas.reading_from(REPLICA):
        assert ROUTER.db_for_read(None) == REPLICA
        assert ROUTER.db_for_read(None) == REPLICA
        assert ROUTER.db_for_write(None) == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_read(None) == DEFAULT_DB_ALIAS
    assert ROUTER.db_for_read(None) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_on_the_primary_reads_the_primary():
    with replicas.reading_from(REPLICA):
        with transaction.atomic():
            assert ROUTER.db_for_read(None) == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_read(None) == REPLICA


def test_migrations_run_on_the_primary_only():
    assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, "conferences")
    assert not ROUTER.allow_migrate(REPLICA, "conferences")
    assert ROUTER.allow_relation(object(), object())


# --- Which replica is fit to read ------------------------------------------------------------


class Replica:
    """An imagined replica: how far it lags, or the error it answers with; counts the questions."""

    def __init__(self, monkeypatch, lag=0.0, error=None):
        self.lag, self.error, self.asked = lag, error, 0
        monkeypatch.setattr(replicas, "lag", self.answer)
        monkeypatch.setattr(replicas, "_connect", lambda alias: None)

    def answer(self, alias):
        self.asked += 1
        if self.error:
            raise self.error
        return self.lag


REPLICA_SETTINGS = {
    "PORTAL_REPLICA_ALIASES": [REPLICA], "PORTAL_REPLICA_MAX_LAG_SECONDS": 5, "PORTAL_REPLICA_CHECK_SECONDS": 60,
    "PORTAL_REPLICA_RETRY_SECONDS": 60,
}


@override_settings(**REPLICA_SETTINGS)
def test_a_replica_in_step_is_read_and_asked_about_its_lag_once_a_second_at_most(monkeypatch):
    replica = Replica(monkeypatch, lag=0.2)
    assert [replicas.choose() for _ in range(3)] == [REPLICA] * 3
    assert replica.asked == 1


@override_settings(**REPLICA_SETTINGS)
def test_a_lagging_replica_is_left_aside_until_it_catches_up(monkeypatch):
    replica = Replica(monkeypatch, lag=12.0)
    assert replicas.choose() == DEFAULT_DB_ALIAS
    replica.lag = 0.0
    assert replicas.choose() == DEFAULT_DB_ALIAS  # not asked again within the check's interval
    with override_settings(PORTAL_REPLICA_CHECK_SECONDS=0):
        replicas.forget()
        assert replicas.choose() == REPLICA


@override_settings(**REPLICA_SETTINGS)
def test_a_replica_that_is_down_is_not_tried_again_before_its_time(monkeypatch):
    replica = Replica(monkeypatch, error=OperationalError("connection refused"))
    assert [replicas.choose() for _ in range(3)] == [DEFAULT_DB_ALIAS] * 3
    assert replica.asked == 1
    replica.error = None
    with override_settings(PORTAL_REPLICA_RETRY_SECONDS=0):
        replicas.forget()
        assert replicas.choose() == REPLICA


@override_settings(**{**REPLICA_SETTINGS, "PORTAL_REPLICA_ALIASES": ["replica1", "replica2"]})
def test_readers_are_spread_over_the_replicas_that_are_fit(monkeypatch):
    replica = Replica(monkeypatch)
    replica.answer = lambda alias: {"replica1": 0.0, "replica2": 0.0, "replica3": 30.0}[alias]
    monkeypatch.setattr(replicas, "lag", replica.answer)
    assert {replicas.choose() for _ in range(50)} == {"replica1", "replica2"}
    with override_settings(PORTAL_REPLICA_ALIASES=["replica2", "replica3"]):
        assert {replicas.choose() for _ in range(20)} == {"replica2"}


@override_settings(**REPLICA_SETTINGS)
def test_without_a_fit_replica_the_primary_is_read(monkeypatch):
    Replica(monkeypatch, lag=99)
    assert replicas.choose() == DEFAULT_DB_ALIAS
    with override_settings(PORTAL_REPLICA_ALIASES=[]):
        assert replicas.choose() == DEFAULT_DB_ALIAS


# --- Which requests may read a replica ----------------------------------------------------------

requests = RequestFactory()


def with_cookies(request, **cookies):
    request.COOKIES.update(cookies)
    return request


@override_settings(PORTAL_READ_YOUR_WRITES_SECONDS=10)
def test_a_readers_public_pages_may_read_a_replica():
    assert not reads_primary(requests.get("/en/conferences/"))
    assert not reads_primary(requests.head("/api/v1/conferences/"))


@override_settings(PORTAL_READ_YOUR_WRITES_SECONDS=10)
def test_the_admin_editors_writes_and_recent_writers_read_the_primary(settings):
    assert reads_primary(requests.get("/admin/"))
    assert reads_primary(requests.get("/admin/conferences/conference/"))
    assert reads_primary(requests.post("/en/search/"))
    assert reads_primary(with_cookies(requests.get("/en/"), **{settings.SESSION_COOKIE_NAME: "abc"}))
    assert reads_primary(with_cookies(requests.get("/en/"), **{WROTE_COOKIE: wrote_cookie()}))


def wrote_cookie(seconds_ago=0):
    """The cookie's value as the portal signs it, `seconds_ago`."""
    signer = signing.get_cookie_signer(salt=WROTE_COOKIE + WROTE_SALT)
    if not seconds_ago:
        return signer.sign("1")
    signer.timestamp = lambda: signing.b62_encode(int(time.time() - seconds_ago))
    return signer.sign("1")


@override_settings(PORTAL_READ_YOUR_WRITES_SECONDS=10)
def test_an_old_or_forged_wrote_cookie_does_not_send_a_reader_to_the_primary():
    assert not reads_primary(with_cookies(requests.get("/en/"), **{WROTE_COOKIE: wrote_cookie(seconds_ago=30)}))
    assert not reads_primary(with_cookies(requests.get("/en/"), **{WROTE_COOKIE: "1"}))


# --- The middleware, with a replica that refuses connections ---------------------------------------


@pytest.fixture(scope="module")
def refusing_alias():
    """replica1: a PostgreSQL address where nothing listens. Module-scoped, so that it exists when
    a test that names it among its databases starts."""
    connections.settings[REPLICA] = connections.configure_settings({
        DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS],
        REPLICA: {
            "ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 1, "NAME": "portal",
            "USER": "postgres", "OPTIONS": {"connect_timeout": 1}, "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
        },
    })[REPLICA]
    yield
    connections[REPLICA].close()
    del connections.settings[REPLICA]
    delattr(connections._connections, REPLICA)


@pytest.fixture
def refusing_replica(refusing_alias, monkeypatch):
    """That replica, which the health check found fit a moment ago: it went down since."""
    monkeypatch.setattr(replicas, "choose", lambda: REPLICA)
    with override_settings(PORTAL_REPLICA_ALIASES=[REPLICA], DATABASE_ROUTERS=["core.replicas.ReplicaRouter"]):
        yield


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_a_replica_failing_under_a_page_costs_the_reader_nothing(refusing_replica):
    conference = make.conference(name_en="Sahel Security Dialogue")
    response = get(Client(), record_url(conference, "en"))
    assert text(parse(response).xpath("//h1")[0]) == "Sahel Security Dialogue"


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_a_replica_failing_while_the_view_reads_costs_the_reader_nothing(refusing_replica, monkeypatch):
    """The site's version was read before the replica went away; the view's queries fail, and it runs
    again on the primary."""
    monkeypatch.setattr(state, "current", lambda request=None: SiteState(pk=1, version=1, changed_at=timezone.now()))
    conference = make.conference(name_en="Sahel Security Dialogue")
    response = get(Client(), record_url(conference, "en"))
    assert text(parse(response).xpath("//h1")[0]) == "Sahel Security Dialogue"


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_an_answer_to_a_write_tells_the_browser_to_read_the_primary_for_a_while(refusing_replica, monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "amina", verbosity=0)
    client = Client()
    login = client.post("/admin/login/", {"username": "amina", "password": PASSWORD, "next": "/admin/"})
    assert login.status_code == 302
    assert WROTE_COOKIE in login.cookies
    get(Client(), "/en/")  # the very first request makes the site's state row
    assert WROTE_COOKIE not in get(Client(), "/en/").cookies


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_readyz_reports_the_replica_without_failing_for_it(refusing_alias):
    with override_settings(PORTAL_REPLICA_ALIASES=[REPLICA], DATABASE_ROUTERS=["core.replicas.ReplicaRouter"]):
        response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local", "replicas": {REPLICA: "unreachable"}}


# --- Settings ------------------------------------------------------------------------------------


def settings_with(**env):
    """The replicas' settings as a new process reads them from `env` alone."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "DATABASE_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    printed = (
        "json.dumps([settings.PORTAL_REPLICA_ALIASES, getattr(settings, 'DATABASE_ROUTERS', []), {alias: [db['HOST'],"
        " db.get('OPTIONS', {}), db.get('TEST', {}).get('MIRROR')] for alias, db in settings.DATABASES.items()}])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import json, django; django.setup(); from django.conf import settings; "
                               f"print({printed})"],
        cwd=settings_module.BASE_DIR, env=clean, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_replica_urls_become_aliases_that_tests_mirror_and_the_router_uses():
    aliases, routers, databases = settings_with(
        DATABASE_URL="postgres://portal@primary:5432/portal",
        DATABASE_REPLICA_URLS="postgres://portal@replica-a:5432/portal, postgres://portal@replica-b:5432/portal",
        PORTAL_REPLICA_CONNECT_TIMEOUT="3",
    )
    assert aliases == ["replica1", "replica2"]
    assert routers == ["core.replicas.ReplicaRouter"]
    prepared = {"server_side_binding": True, "prepare_threshold": 5}
    assert databases["replica1"] == [
        "replica-a", {"connect_timeout": 3, "options": "-c jit=off", **prepared}, "default"
    ]
    assert databases["replica2"][0] == "replica-b"
    assert databases["default"][1] == {"options": "-c jit=off", **prepared}


@pytest.mark.slow
def test_without_replica_urls_there_is_no_router():
    assert settings_with() == [[], [], {"default": ["", {}, None]}]
