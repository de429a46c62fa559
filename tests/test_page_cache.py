"""The page cache: fast repeat answers, never stale after an edit, never mixing languages or readers.

Run against both backends: local memory (the default) and Redis (REDIS_URL, as in production).
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from conferences.models import Conference

pytestmark = pytest.mark.django_db

PAGE = "/en/conferences/cissa-20-benghazi-2025/"
REDIS_LOCATION = "redis://127.0.0.1:6379/15"



def backend(name):
    """A fresh, empty cache: each test's database starts at the same site version."""
    prefix = f"portal-tests-{uuid.uuid4().hex}"
    if name == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    return {"BACKEND": "public.cache.RedisCache", "LOCATION": REDIS_LOCATION, "KEY_PREFIX": prefix}


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request):
    with override_settings(CACHES={"default": backend(request.param)}, PORTAL_PAGE_CACHE_SECONDS=300):
        yield request.param


def get(client, path, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **kwargs)
    return response, len(queries)


def test_a_repeat_visit_is_served_from_the_cache(client, page_cache):
    first, first_queries = get(client, PAGE)
    second, second_queries = get(client, PAGE)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert first_queries > 1
    assert second_queries == 1  # only the site state's version


def test_the_api_is_cached_too(client, page_cache):
    path = "/api/v1/conferences/cissa-20-benghazi-2025/"
    first, _ = get(client, path)
    second, second_queries = get(client, path)
    assert second.json() == first.json()
    assert second_queries == 1


def test_each_language_keeps_its_own_page(client, page_cache):
    arabic, _ = get(client, "/ar/conferences/cissa-20-benghazi-2025/")
    english, _ = get(client, PAGE)
    arabic_again, arabic_queries = get(client, "/ar/conferences/cissa-20-benghazi-2025/")
    english_again, english_queries = get(client, PAGE, headers={"accept-language": "ar"})
    assert arabic_queries == english_queries == 1
    assert 'lang="ar"' in arabic_again.content.decode() and "سيسا 20" in arabic_again.content.decode()
    assert 'lang="en"' in english_again.content.decode() and "CISSA 20" in english_again.content.decode()
    assert arabic_again.content == arabic.content and english_again.content == english.content


def test_an_edit_shows_at_once(client, page_cache, django_capture_on_commit_callbacks):
    get(client, PAGE)
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    conference.name_en = "CISSA 20, as corrected"
    with django_capture_on_commit_callbacks(execute=True):  # the editor's transaction commits
        conference.save()
    response, queries = get(client, PAGE)
    assert "CISSA 20, as corrected" in response.content.decode()
    assert queries > 1


def test_a_change_by_another_process_shows_at_once(client, page_cache):
    """Another worker bumps the shared site state; this one sees it on the next request."""
    get(client, PAGE)
    Conference.objects.filter(slug="cissa-20-benghazi-2025").update(name_en="Renamed elsewhere")
    from core import state

    state.bump()
    assert "Renamed elsewhere" in get(client, PAGE)[0].content.decode()


def test_an_editor_neither_reads_nor_fills_the_cache(client, page_cache, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="not-used-here", is_staff=True)
    client.force_login(editor)
    _, editor_first = get(client, PAGE)
    _, editor_second = get(client, PAGE)
    assert editor_first > 1 and editor_second > 1  # never served from the cache

    client.logout()
    client.cookies.clear()
    _, reader_first = get(client, PAGE)
    assert reader_first > 1  # the editor's visits stored nothing for readers
    _, reader_second = get(client, PAGE)
    assert reader_second == 1


def test_compressed_and_plain_answers_are_kept_apart(client, page_cache):
    plain, _ = get(client, PAGE)
    zipped, _ = get(client, PAGE, headers={"accept-encoding": "gzip"})
    zipped_again, queries = get(client, PAGE, headers={"accept-encoding": "gzip"})
    plain_again, _ = get(client, PAGE)
    assert zipped["Content-Encoding"] == zipped_again["Content-Encoding"] == "gzip"
    assert not plain_again.has_header("Content-Encoding")
    assert plain_again.content == plain.content
    assert queries == 1


def test_errors_are_not_cached(client, page_cache):
    missing = "/en/conferences/no-such-conference/"
    assert get(client, missing)[0].status_code == 404
    assert get(client, missing)[1] > 1


def test_a_cached_page_keeps_its_validators_and_answers_304(client, page_cache):
    first, _ = get(client, PAGE)
    second, second_queries = get(client, PAGE)
    assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]
    assert second_queries == 1
    revalidated, queries = get(client, PAGE, headers={"if-none-match": first["ETag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated["ETag"] == first["ETag"]
    assert queries == 1
    since, _ = get(client, PAGE, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_cached_page_still_carries_the_security_headers(client, page_cache):
    get(client, PAGE)
    cached, queries = get(client, PAGE)
    assert queries == 1
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-ID"):
        assert cached.has_header(header), header
