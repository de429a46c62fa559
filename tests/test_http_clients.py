"""What clients other than a browser on the portal itself get: a page on another site reading the
API, the CSVs and the feeds (CORS), link checkers asking HEAD, and addresses too long to serve."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests import factories as make

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
NEWSROOM = "https://newsroom.example.com"
# What a page on another origin may read: the API, its CSVs and the feeds.
OPEN_TO_OTHER_ORIGINS = [
    "/api/v1/conferences/",
    "/api/v1/conferences/summit-2025/",
    "/api/v1/conferences.csv",
    "/api/v1/participations.csv",
    "/en/feeds/conferences.atom",
    "/ar/feeds/conferences.atom",
]
# What it may not: the pages and the admin.
CLOSED_TO_OTHER_ORIGINS = ["/en/", "/ar/conferences/", "/en/conferences/summit-2025/", "/admin/login/"]


@pytest.fixture
def conference():
    return make.full_conference()


# --- Cross-origin reads ---------------------------------------------------------------------


@pytest.mark.parametrize("path", OPEN_TO_OTHER_ORIGINS)
def test_a_page_on_another_origin_may_read_the_api_the_csvs_and_the_feeds(client, conference, path):
    response = client.get(path, headers={"origin": NEWSROOM})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    # Never with the reader's cookies.
    assert "Access-Control-Allow-Credentials" not in response
    # The page may ask again with If-None-Match.
    assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("path", OPEN_TO_OTHER_ORIGINS)
def test_a_preflight_request_is_answered(client, conference, path):
    response = client.options(
        path, headers={"origin": NEWSROOM, "access-control-request-method": "GET",
                       "access-control-request-headers": "if-none-match"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")} == {
        "GET", "HEAD", "OPTIONS"
    }
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_an_error_of_the_api_is_readable_from_another_origin(client, conference):
    response = client.get("/api/v1/conferences/?year=abc", headers={"origin": NEWSROOM})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", CLOSED_TO_OTHER_ORIGINS)
def test_pages_and_the_admin_stay_closed_to_other_origins(client, conference, path):
    response = client.get(path, headers={"origin": NEWSROOM})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(path, headers={"origin": NEWSROOM, "access-control-request-method": "GET"})
    assert "Access-Control-Allow-Origin" not in preflight
    assert "Access-Control-Allow-Methods" not in preflight


def test_a_cached_api_answer_is_readable_from_another_origin(client, conference, settings):
    """The page cache keeps the first reader's answer; a later reader from another origin may read it all the same."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/conferences/")
    response = client.get("/api/v1/conferences/", headers={"origin": NEWSROOM})
    assert response["Access-Control-Allow-Origin"] == "*"


# --- HEAD ------------------------------------------------------------------------------------


@pytest.fixture
def wsgi(conference):
    """Calls the WSGI application as gunicorn does: the answer's status, headers and the body it sends.

    Django's test client drops a HEAD answer's body itself, so it cannot show what gunicorn would
    send. The calls stay inside the test's transaction (request_started/finished close no connection).
    """
    from portal.wsgi import application

    def call(method, path, query=""):
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "localhost",
            "SERVER_PORT": "8000", "HTTP_HOST": "localhost", "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(b""), "wsgi.errors": BytesIO(), "wsgi.version": (1, 0),
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        started = []
        body = application(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        try:
            content = b"".join(body)
        finally:
            body.close()
        status, headers = started[0]
        return int(status.split()[0]), dict(headers), content

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield call
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/conferences/", "/api/v1/conferences/summit-2025/", "/api/v1/conferences.csv",
     "/api/v1/participations.csv", "/en/conferences/", "/ar/conferences/summit-2025/", "/en/feeds/conferences.atom",
     "/healthz"],
)
def test_head_is_answered_as_get_without_a_body(wsgi, path):
    get_status, get_headers, get_body = wsgi("GET", path)
    status, headers, body = wsgi("HEAD", path)
    assert status == get_status == 200
    assert body == b""
    assert get_body
    assert headers["Content-Type"] == get_headers["Content-Type"]
    if "Content-Length" in headers:
        assert int(headers["Content-Length"]) == len(get_body)


def test_head_to_a_missing_page_has_no_body_either(wsgi):
    status, _headers, body = wsgi("HEAD", "/en/conferences/nothing/")
    assert (status, body) == (404, b"")


# --- Addresses too long to serve --------------------------------------------------------------


def test_an_address_too_long_for_the_api_gets_414_in_json(client, settings):
    response = client.get("/api/v1/conferences/", {"topic": "x" * settings.PORTAL_MAX_URL_LENGTH})
    assert response.status_code == 414
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "URI too long: an address may have at most 4096 characters."}


@pytest.mark.parametrize(
    "address", ["/en/conferences/?q=" + "x" * 5000, "/ar/search/?q=" + "x" * 5000, "/en/people/" + "x" * 5000 + "/"],
    ids=["query", "search", "path"],
)
def test_an_address_too_long_for_a_page_gets_414_in_plain_words(client, conference, address):
    response = client.get(address)
    assert response.status_code == 414
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "URI too long: an address may have at most 4096 characters."


def test_an_address_at_the_limit_is_served(client, conference, settings):
    path = "/en/conferences/?country="
    address = path + "x" * (settings.PORTAL_MAX_URL_LENGTH - len(path))
    assert len(address) == settings.PORTAL_MAX_URL_LENGTH
    assert client.get(address).status_code == 200
    assert client.get(address + "x").status_code == 414


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn with the project's gunicorn.conf.py, one worker, on a migrated SQLite database of its own."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="portal.test_settings",
               PORT=str(port), WEB_CONCURRENCY="1", GUNICORN_ACCESS_LOG="/dev/null")
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_under_gunicorn_a_long_address_gets_414_and_head_no_body(gunicorn):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=30)
    # Longer than gunicorn's default request line (4094), shorter than the one gunicorn.conf.py sets.
    connection.request("GET", "/api/v1/conferences/?topic=" + "x" * 5000)
    response = connection.getresponse()
    assert response.status == 414
    assert json.loads(response.read()) == {"detail": "URI too long: an address may have at most 4096 characters."}
    connection.request("GET", "/en/conferences/?q=" + "x" * 5000)
    response = connection.getresponse()
    assert (response.status, response.read()) == (414, b"URI too long: an address may have at most 4096 characters.")
    # HEAD, then GET on the same connection: a body sent after the HEAD answer would be read as
    # the GET's answer.
    connection.request("HEAD", "/api/v1/conferences.csv")
    response = connection.getresponse()
    assert response.status == 200
    assert int(response.getheader("Content-Length")) > 0
    response.read()
    connection.request("GET", "/api/v1/")
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["version"] == "1"
    connection.close()
