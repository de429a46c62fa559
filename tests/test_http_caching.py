"""Crawlers and link checkers can ask "changed since?" and get a cheap 304 when nothing changed."""

import datetime
import time

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date, parse_http_date

from core.models import SiteState
from tests import factories as make
from tests.helpers import parse, text

pytestmark = pytest.mark.django_db

SLUG = "summit-2025"
PAGE = f"/en/conferences/{SLUG}/"
API = f"/api/v1/conferences/{SLUG}/"
PUBLIC = [PAGE, "/ar/", "/ar/countries/ly/", API, "/api/v1/people/", "/sitemap.xml", "/robots.txt",
          "/en/feeds/conferences.atom", "/api/v1/conferences.csv"]


@pytest.fixture
def conference(db, django_capture_on_commit_callbacks):
    """A conference held in Libya, with its people and reports, committed before anyone asks for it."""
    with django_capture_on_commit_callbacks(execute=True):
        return make.full_conference(SLUG)


def last_modified(response):
    return parse_http_date(response["Last-Modified"])


@pytest.mark.parametrize("path", PUBLIC)
def test_public_answers_carry_etag_and_last_modified(client, conference, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert last_modified(response) > 0


@pytest.mark.parametrize("path", [PAGE, API])
def test_a_matching_etag_gets_304(client, conference, path):
    first = client.get(path)
    second = client.get(path, headers={"if-none-match": first["ETag"]})
    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", [PAGE, "/ar/", API, "/sitemap.xml", "/en/feeds/conferences.atom"])
def test_the_etag_of_a_compressed_answer_is_the_same_every_time_and_revalidates(client, conference, path):
    """Browsers take gzip; the ETag must not change with gzip's random bytes, or a reader never gets a 304."""
    answers = [client.get(path, headers={"accept-encoding": "gzip"}) for _ in range(3)]
    assert all(answer["Content-Encoding"] == "gzip" for answer in answers)
    etags = {answer["ETag"] for answer in answers}
    assert len(etags) == 1, etags
    plain = client.get(path)
    # The same body under both encodings: one validator, weak once compressed.
    assert etags == {f"W/{plain['ETag']}"}
    again = client.get(path, headers={"accept-encoding": "gzip", "if-none-match": etags.pop()})
    assert again.status_code == 304


@pytest.mark.parametrize("path", [PAGE, API])
def test_an_unchanged_date_gets_304_and_an_earlier_one_the_page(client, conference, path):
    first = client.get(path)
    assert client.get(path, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304

    an_hour_earlier = http_date(last_modified(first) - 3600)
    again = client.get(path, headers={"if-modified-since": an_hour_earlier})
    assert again.status_code == 200
    assert again.content == first.content


def test_an_edit_shows_at_once_to_a_client_that_kept_a_copy(client, conference, django_capture_on_commit_callbacks):
    first = client.get(PAGE)
    assert "Common security" in text(parse(first).xpath("//main")[0])
    conference.theme_en = "A corrected theme"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()

    second = client.get(PAGE, headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    main = text(parse(second).xpath("//main")[0])
    assert "A corrected theme" in main and "Common security" not in main
    assert second["ETag"] != first["ETag"]
    assert last_modified(second) >= last_modified(first)


def test_pages_must_be_revalidated_rather_than_served_stale(client, conference):
    assert "no-cache" in client.get(PAGE)["Cache-Control"]
    assert "no-cache" in client.get(API)["Cache-Control"]


def test_last_modified_follows_a_change_made_by_another_process(client):
    """Another worker's edit is read from the database, not from this process's memory."""
    later = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    SiteState.objects.get_or_create(pk=1)
    SiteState.objects.update(version=F("version") + 1, changed_at=later)
    response = client.get("/ar/topics/")
    assert response["Last-Modified"] == "Wed, 02 Jan 2030 03:04:05 GMT"


def test_a_deletion_moves_last_modified_on(client, django_capture_on_commit_callbacks):
    """A deleted record leaves no updated_at behind; the deletion itself moves the date on."""
    with django_capture_on_commit_callbacks(execute=True):
        topic = make.topic("piracy", "القرصنة", "Piracy")
    SiteState.objects.update(changed_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    deleted_at = int(time.time())
    with django_capture_on_commit_callbacks(execute=True):
        type(topic).objects.filter(pk=topic.pk).delete()
    assert last_modified(client.get("/ar/topics/")) >= deleted_at


def test_the_admin_and_errors_are_left_alone(client, conference):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert not login.has_header("Last-Modified")
    missing = client.get("/en/conferences/no-such-conference/")
    assert missing.status_code == 404
    assert not missing.has_header("Last-Modified")
    assert not client.post(PAGE).has_header("Last-Modified")


def test_head_gets_last_modified_too(client, conference):
    response = client.head(PAGE)
    assert response.status_code == 200
    assert last_modified(response) > 0


def test_the_last_change_costs_one_query_before_and_after_a_save(client, django_capture_on_commit_callbacks):
    """robots.txt runs no query of its own: what is counted is the site state's one read."""
    client.get("/robots.txt")  # the site state's row exists from the first request on
    with CaptureQueriesContext(connection) as before:
        client.get("/robots.txt")
    with django_capture_on_commit_callbacks(execute=True):
        make.topic("piracy", "القرصنة", "Piracy")
    with CaptureQueriesContext(connection) as after_a_save:
        client.get("/robots.txt")
    assert len(before) == len(after_a_save) == 1
