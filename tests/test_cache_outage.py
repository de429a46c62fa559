"""A Redis outage costs speed, never answers: pages are served uncached, /readyz says so, and the
cache is used again once Redis is back. Against a real Redis server that the test stops."""

import logging
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.test.utils import override_settings

from tests import factories as make
from tests.helpers import get, record_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on a loopback port, that the test stops and starts."""

    def __init__(self, tmp_path):
        self.port, self.directory, self.process = free_port(), tmp_path, None

    @property
    def location(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_cache(redis_server):
    backend = {
        "BACKEND": "public.cache.RedisCache",
        "LOCATION": redis_server.location,
        "KEY_PREFIX": f"outage-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    with override_settings(CACHES={"default": backend}, PORTAL_PAGE_CACHE_SECONDS=300,
                           PORTAL_CACHE_RETRY_SECONDS=0.5):
        yield redis_server


@pytest.fixture
def conference(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make.conference("cissa-20", name_ar="سيسا 20", name_en="CISSA 20",
                               host_country=make.named_country("LY"))


def cached_pages(server):
    import redis

    client = redis.Redis.from_url(server.location)
    try:
        return [key for key in client.scan_iter() if b":page:" in key]
    finally:
        client.close()


def test_pages_answer_while_redis_is_down_and_are_cached_again_when_it_is_back(
    client, redis_cache, conference, caplog
):
    address = record_url(conference, "en")
    get(client, address)
    assert cached_pages(redis_cache), "the page was cached while Redis was up"

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="public.cache"):
        for path in (address, record_url(conference, "ar"), "/en/", "/api/v1/conferences/", address):
            response = get(client, path)
            assert response.status_code == 200
        readiness = client.get("/readyz")
    assert readiness.status_code == 200
    assert readiness.json() == {"status": "ok", "database": "ok", "cache": "unreachable"}
    # The outage is logged once, not once a request.
    outage_lines = [record for record in caplog.records if "unreachable" in record.getMessage()]
    assert len(outage_lines) == 1 and outage_lines[0].levelno == logging.ERROR

    redis_cache.start()
    time.sleep(0.6)  # the back-off
    with caplog.at_level(logging.WARNING, logger="public.cache"):
        get(client, "/en/conferences/")
    assert any("reachable again" in record.getMessage() for record in caplog.records)
    assert client.get("/readyz").json()["cache"] == "ok"
    get(client, address)
    assert cached_pages(redis_cache), "pages are cached again once Redis is back"


def test_during_the_back_off_redis_is_not_asked(client, redis_cache, conference, monkeypatch):
    """After one failure, requests don't each wait for a connection timeout."""
    redis_cache.stop()
    with override_settings(PORTAL_CACHE_RETRY_SECONDS=60):
        get(client, record_url(conference, "en"))
        import redis

        def refuse(*args, **kwargs):
            raise AssertionError("Redis was asked during the back-off")

        monkeypatch.setattr(redis.Redis, "execute_command", refuse)
        for _ in range(3):
            assert get(client, record_url(conference, "ar")).status_code == 200
