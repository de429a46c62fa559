"""Two gunicorn nodes sharing one database and one Redis, as behind a load balancer: an editor's
change made through the admin on one node shows at once on the other, whose page cache had the
page, and leaves the other node's pages that do not show the record cached.

On PostgreSQL when one answers on 127.0.0.1:5432 (as in production), else on a SQLite file."""

import http.cookiejar
import json
import urllib.parse
import urllib.request
import uuid

import pytest
from lxml import html

from tests.served import Gunicorn, environment, manage, shell

pytestmark = pytest.mark.slow

REDIS = "redis://127.0.0.1:6379/13"
POSTGRES = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PASSWORD = "a long editor password"
RECORDS = f"""
from django.contrib.auth import get_user_model
from tests import factories as make
make.conference("cissa-20", name_ar="سيسا 20", name_en="CISSA 20", host_country=make.named_country("LY"))
make.conference("aman-5", name_ar="أمان 5", name_en="Aman 5", host_country=make.named_country("TN"))
get_user_model().objects.create_superuser("amina", "amina@example.org", {PASSWORD!r})
"""


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


@pytest.fixture
def database(tmp_path):
    """A PostgreSQL database of the test's own if PostgreSQL answers, else a SQLite file."""
    try:
        import psycopg

        server = psycopg.connect(POSTGRES, connect_timeout=3, autocommit=True)
    except Exception:
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    name = f"varnish_two_nodes_{uuid.uuid4().hex[:8]}"
    with server:
        server.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgres://postgres@127.0.0.1:5432/{name}"
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def nodes(tmp_path, database):
    client = redis_client()
    prefix = f"two-nodes-{uuid.uuid4().hex}"
    env = environment(database, REDIS_URL=REDIS, DJANGO_CACHE_KEY_PREFIX=prefix, PORTAL_PAGE_CACHE_SECONDS="300")
    manage(env, "migrate", "--verbosity", "0")
    shell(env, RECORDS)
    try:
        with Gunicorn(env, tmp_path / "a.log") as a, Gunicorn(env, tmp_path / "b.log") as b:
            yield a, b
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def get(node, path, opener=None):
    with (opener or urllib.request.build_opener()).open(node.base + path, timeout=30) as response:
        return response.headers.get("X-Cache"), response.read().decode()


def form_values(page, form_id):
    """What a browser sends for the page's form `form_id`."""
    form = html.fromstring(page).get_element_by_id(form_id)
    return form.form_values()


def edit_in_the_admin(node, path, changes):
    """Signs in on `node` as an editor and saves the change form at `path` with `changes`."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.addheaders = [("Accept-Language", "en")]
    _cache, login = get(node, "/admin/login/", browser)
    values = dict(form_values(login, "login-form"), username="amina", password=PASSWORD)
    with browser.open(node.base + "/admin/login/", urllib.parse.urlencode(values).encode(), timeout=30) as response:
        assert response.url.rstrip("/").endswith("/admin"), response.url
    _cache, page = get(node, path, browser)
    values = [(name, changes.get(name, value)) for name, value in form_values(page, "conference_form")]
    with browser.open(node.base + path, urllib.parse.urlencode(values).encode(), timeout=30) as response:
        saved = response.read().decode()
    assert "was changed successfully" in saved, html.fromstring(saved).xpath("string(//*[@class='errornote'])")


def test_an_edit_on_one_node_shows_at_once_on_the_other(nodes):
    a, b = nodes
    edited, other = "/en/conferences/cissa-20/", "/en/conferences/aman-5/"
    for node in (a, b):
        for path in (edited, other):
            get(node, path)
            assert get(node, path)[0] == "hit"

    pk = json.loads(get(a, "/api/v1/conferences/cissa-20/")[1])["id"]
    edit_in_the_admin(a, f"/admin/conferences/conference/{pk}/change/", {"name_en": "CISSA 20 (corrected)"})

    cache, page = get(b, edited)
    assert cache == "miss" and "CISSA 20 (corrected)" in page
    assert get(b, other)[0] == "hit"
