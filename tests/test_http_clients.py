"""What clients other than a browser on the portal itself get: a page on another site reading the
API, the CSVs and the feeds (CORS), link checkers asking HEAD, and addresses too long to serve."""

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db

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
