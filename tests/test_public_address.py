"""Every absolute URL names the public site, whatever a client sends: Host, X-Forwarded-Proto, a path
that looks like another host, or tracking parameters. And the page cache keys on what varies the answer."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.test.utils import override_settings
from lxml import etree

from tests import factories as make
from tests.helpers import get, head_links, json_ld, meta, parse, record_url, url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "https://conferences.example.org"
HOSTILE = {"HTTP_HOST": "127.0.0.1:1", "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "evil.example"}


@pytest.fixture
def conference(db):
    return make.conference("cissa-20", name_ar="سيسا 20", name_en="CISSA 20", host_country=make.named_country("LY"))


@pytest.fixture
def page_cache():
    backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    with override_settings(CACHES={"default": backend}, PORTAL_PAGE_CACHE_SECONDS=300):
        yield


def addresses_in(document):
    """Every absolute address a page gives of itself: canonical, hreflang, og:url, JSON-LD."""
    links = head_links(document, "canonical") + head_links(document, "alternate")
    found = [link.get("href") for link in links if link.get("rel") == "canonical" or link.get("hreflang")]
    found.append(meta(document, "og:image"))
    found.append(meta(document, "og:url"))
    strings = json.dumps(json_ld(document) or {}).split('"')
    found.extend(value for value in strings if value.startswith("http") and "schema.org" not in value)
    return found


@override_settings(PORTAL_BASE_URL=PUBLIC, ALLOWED_HOSTS=["conferences.example.org", "127.0.0.1"])
def test_absolute_urls_name_the_public_site_whatever_the_request_says(client, conference):
    document = parse(client.get(record_url(conference, "en"), **HOSTILE))
    found = addresses_in(document)
    assert found and all(address.startswith(f"{PUBLIC}/") for address in found), found

    api = client.get("/api/v1/conferences/?page_size=1", **HOSTILE).json()
    make.conference("cissa-21")
    api = client.get("/api/v1/conferences/?page_size=1", **HOSTILE).json()
    assert api["next"].startswith(f"{PUBLIC}/api/v1/conferences/")
    assert api["results"][0]["url"]["en"].startswith(f"{PUBLIC}/en/")

    robots = client.get("/robots.txt", **HOSTILE).content.decode()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots
    index = etree.fromstring(client.get("/sitemap.xml", **HOSTILE).content)
    assert all(loc.startswith(f"{PUBLIC}/") for loc in index.xpath("//*[local-name()='loc']/text()"))
    feed = etree.fromstring(client.get(url("feeds:conferences", "en"), **HOSTILE).content)
    hrefs = feed.xpath("//*[local-name()='link']/@href") + feed.xpath("//*[local-name()='id']/text()")
    assert hrefs and all(PUBLIC in href or href.startswith(("tag:", "urn:")) for href in hrefs), hrefs


def test_a_hostile_host_does_not_poison_the_cached_page_of_the_real_one(client, conference, page_cache):
    """Without a configured base URL (a local run), each host and scheme has its own cached answers."""
    address = record_url(conference, "en")
    poisoned = parse(client.get(address, HTTP_HOST="127.0.0.1:1", HTTP_X_FORWARDED_PROTO="https"))
    assert meta(poisoned, "og:url") == f"http://127.0.0.1:1{address}"
    document = parse(get(client, address, HTTP_HOST="localhost"))
    assert meta(document, "og:url") == f"http://localhost{address}"


def test_tracking_parameters_are_not_canonical_and_share_the_cached_page(client, conference, page_cache):
    address = record_url(conference, "en")
    document = parse(get(client, f"{address}?utm_source=x&fbclid=abc"))
    assert [link.get("href") for link in head_links(document, "canonical")] == [f"http://testserver{address}"]
    assert meta(document, "og:url") == f"http://testserver{address}"
    assert all("utm_source" not in href for href in addresses_in(document))
    # A second reader with other tracking parameters gets the cached answer: no render, no query.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        get(client, f"{address}?utm_source=y&gclid={uuid.uuid4().hex}")
    assert len(queries) <= 1


def test_parameters_that_change_the_page_stay_in_its_canonical_and_pager(client, conference):
    for slug in ("a", "b", "c"):
        make.conference(slug, host_country=conference.host_country)
    address = url("conferences:list", "en")
    document = parse(get(client, f"{address}?country=LY&utm_medium=mail"))
    assert [link.get("href") for link in head_links(document, "canonical")] == [
        f"http://testserver{address}?country=LY"
    ]


def test_a_path_that_looks_like_another_host_stays_on_this_one(client):
    document = parse(get(client, "//evil.com/path", status=404))
    assert meta(document, "og:url").startswith("http://testserver/")
    assert all("//evil.com" not in (href or "").split("testserver", 1)[0] for href in addresses_in(document))


@pytest.mark.slow
def test_gunicorn_trusts_no_forwarded_scheme_unless_configured():
    """gunicorn.conf.py: X-Forwarded-Proto from loopback does not make a request https."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GUNICORN_", "FORWARDED"))}
    env.update(PORT=str(port), WEB_CONCURRENCY="1", GUNICORN_ACCESS_LOG="-")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "tests.wsgi_echo:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=2) as answer:
                    scheme = answer.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert scheme == "http"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
