"""The page cache: fast repeat answers, never stale after an edit, never mixing languages or readers.

Run against both backends: local memory (the default) and Redis (REDIS_URL, as in production).
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from core import state
from tests import factories as make
from tests.helpers import parse, record_url, text, url

pytestmark = pytest.mark.django_db

REDIS_LOCATION = "redis://127.0.0.1:6379/15"
# Keys of this module's own, so that tests running beside it on the same Redis never meet them.
KEY_PREFIX = "issue14-page-cache"


def backend(name, prefix):
    """A fresh, empty cache: each test's database starts at the same site version."""
    if name == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    return {"BACKEND": "public.cache.RedisCache", "LOCATION": REDIS_LOCATION, "KEY_PREFIX": prefix}


def forget_redis_keys(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_LOCATION)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request):
    prefix = f"{KEY_PREFIX}-{uuid.uuid4().hex}"
    with override_settings(CACHES={"default": backend(request.param, prefix)}, PORTAL_PAGE_CACHE_SECONDS=300):
        yield request.param
    if request.param == "redis":
        forget_redis_keys(prefix)


@pytest.fixture
def conference(db, django_capture_on_commit_callbacks):
    """A conference, committed before the reader comes: a later edit is a transaction of its own."""
    with django_capture_on_commit_callbacks(execute=True):
        return make.conference("cissa-20", name_ar="سيسا 20 في بنغازي", name_en="CISSA 20 in Benghazi",
                               host_country=make.named_country("LY"), start=make.day("2025-08-25"),
                               end=make.day("2025-08-26"))


@pytest.fixture
def address(conference):
    """The conference's English page."""
    return record_url(conference, "en")


def get(client, path, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **kwargs)
    return response, len(queries)


def heading(response):
    return text(parse(response).xpath("//h1")[0])


def saved(record, on_commit, **fields):
    """`record` with `fields` changed, saved in a transaction of its own (its tags dropped on commit)."""
    for name, value in fields.items():
        setattr(record, name, value)
    with on_commit(execute=True):
        record.save()


def test_a_repeat_visit_is_served_from_the_cache(client, page_cache, address):
    first, first_queries = get(client, address)
    second, second_queries = get(client, address)
    assert first.status_code == second.status_code == 200
    assert heading(first) == "CISSA 20 in Benghazi"
    assert second.content == first.content
    assert first_queries > 1
    assert second_queries == 0


def test_the_api_is_cached_too(client, page_cache, conference):
    path = url("api:conference", "en", slug=conference.slug)
    first, _ = get(client, path)
    second, second_queries = get(client, path)
    assert first.json()["slug"] == conference.slug
    assert second.json() == first.json()
    assert second_queries == 0


def test_each_language_keeps_its_own_page(client, page_cache, conference, address):
    arabic_address = record_url(conference, "ar")
    arabic, _ = get(client, arabic_address)
    english, _ = get(client, address)
    arabic_again, arabic_queries = get(client, arabic_address)
    english_again, english_queries = get(client, address, headers={"accept-language": "ar"})
    assert arabic_queries == english_queries == 0
    assert parse(arabic_again).get("lang") == "ar" and heading(arabic_again) == "سيسا 20 في بنغازي"
    assert parse(english_again).get("lang") == "en" and heading(english_again) == "CISSA 20 in Benghazi"
    assert arabic_again.content == arabic.content and english_again.content == english.content


def test_an_edit_shows_at_once(client, page_cache, conference, address, django_capture_on_commit_callbacks):
    get(client, address)
    conference.name_en = "CISSA 20, as corrected"
    with django_capture_on_commit_callbacks(execute=True):  # the editor's transaction commits
        conference.save()
    response, queries = get(client, address)
    assert heading(response) == "CISSA 20, as corrected"
    assert queries > 1


def test_an_edit_keeps_the_pages_that_do_not_show_it(client, page_cache, conference, address,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        other = make.conference("tripoli-2025", name_en="Tripoli meeting")
    other_address = record_url(other, "en")
    get(client, address)
    get(client, other_address)
    conference.name_en = "CISSA 20, as corrected"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    assert get(client, other_address)[1] == 0
    assert heading(get(client, address)[0]) == "CISSA 20, as corrected"


def test_a_change_by_another_process_shows_at_once_in_a_cache_of_its_own(client, page_cache, conference, address):
    """With each process's own memory for a cache, pages key on the shared site state's version,
    which another worker's edit bumps."""
    with override_settings(PORTAL_PAGE_CACHE_SHARED=False):
        get(client, address)
        assert get(client, address)[1] == 1  # the site state's version
        type(conference).objects.filter(pk=conference.pk).update(name_en="Renamed elsewhere")
        state.bump()
        assert heading(get(client, address)[0]) == "Renamed elsewhere"


def test_a_page_rendered_before_an_edit_is_not_stored_after_it(client, page_cache, conference, address,
                                                               monkeypatch):
    """The edit commits while the page is being rendered from the data as it was."""
    from public import page_cache as pages
    from public.views.conferences import ConferenceDetailView

    render = ConferenceDetailView.get

    def edited_meanwhile(view, request, *args, **kwargs):
        response = render(view, request, *args, **kwargs)
        response.render()
        # What an editor's save does, once it commits.
        type(conference).objects.filter(pk=conference.pk).update(name_en="Corrected meanwhile")
        state.bump()
        pages.invalidate({f"conference-{conference.pk}"})
        return response

    monkeypatch.setattr(ConferenceDetailView, "get", edited_meanwhile)
    assert heading(get(client, address)[0]) == "CISSA 20 in Benghazi"
    monkeypatch.setattr(ConferenceDetailView, "get", render)
    assert heading(get(client, address)[0]) == "Corrected meanwhile"


def test_a_lost_tag_makes_a_miss_not_a_stale_page(client, page_cache, conference, address):
    from django.core.cache import cache

    get(client, address)
    cache.delete(f"tag:conference-{conference.pk}")
    assert get(client, address)[1] > 0


def test_a_bulk_write_drops_every_page(client, page_cache, conference, address, django_capture_on_commit_callbacks):
    from core.changes import bulk_write

    get(client, address)
    with django_capture_on_commit_callbacks(execute=True), bulk_write():
        type(conference).objects.filter(pk=conference.pk).update(name_en="Reloaded")
    assert heading(get(client, address)[0]) == "Reloaded"


def test_an_editor_neither_reads_nor_fills_the_cache(client, page_cache, address, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="not-used-here", is_staff=True)
    client.force_login(editor)
    _, editor_first = get(client, address)
    _, editor_second = get(client, address)
    assert editor_first > 1 and editor_second > 1  # never served from the cache

    client.logout()
    client.cookies.clear()
    _, reader_first = get(client, address)
    assert reader_first > 1  # the editor's visits stored nothing for readers
    _, reader_second = get(client, address)
    assert reader_second == 0


def test_compressed_and_plain_answers_are_kept_apart(client, page_cache, address):
    plain, _ = get(client, address)
    zipped, _ = get(client, address, headers={"accept-encoding": "gzip"})
    zipped_again, queries = get(client, address, headers={"accept-encoding": "gzip"})
    plain_again, _ = get(client, address)
    assert zipped["Content-Encoding"] == zipped_again["Content-Encoding"] == "gzip"
    assert not plain_again.has_header("Content-Encoding")
    assert plain_again.content == plain.content
    assert heading(plain_again) == "CISSA 20 in Benghazi"
    assert queries == 0


def test_errors_are_not_cached(client, page_cache):
    missing = url("conferences:detail", "en", slug="no-such-conference")
    assert get(client, missing)[0].status_code == 404
    assert get(client, missing)[1] > 1


def test_a_cached_page_keeps_its_validators_and_answers_304(client, page_cache, address):
    first, _ = get(client, address)
    second, second_queries = get(client, address)
    assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]
    assert second_queries == 0
    revalidated, queries = get(client, address, headers={"if-none-match": first["ETag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated["ETag"] == first["ETag"]
    assert queries == 0
    since, _ = get(client, address, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_cached_page_still_carries_the_security_headers(client, page_cache, address):
    get(client, address)
    cached, queries = get(client, address)
    assert queries == 0
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-ID"):
        assert cached.has_header(header), header


def test_an_edit_while_the_cache_was_unreachable_shows_once_it_is_back(client, page_cache, conference, address,
                                                                       django_capture_on_commit_callbacks):
    """The edit's invalidation could not reach Redis: the pages it kept are not served after."""
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    if page_cache != "redis":
        pytest.skip("only a shared cache is out of reach")
    get(client, address)
    client_of_cache = cache._cache
    client_of_cache.failed(RedisConnectionError("unreachable"))
    conference.name_en = "CISSA 20, corrected during the outage"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    client_of_cache.down_until = 1.0  # the back-off is over: Redis is asked again, and answers
    assert heading(get(client, address)[0]) == "CISSA 20, corrected during the outage"


def test_the_lists_keep_an_edit_off_them_and_show_at_once_one_that_moves_a_conference_onto_them(
    client, page_cache, django_capture_on_commit_callbacks
):
    """The home page and the conference list carry the tags of the fields they sort, count and
    filter by, not every conference's."""
    with django_capture_on_commit_callbacks(execute=True):
        oldest = make.conference("oldest", name_en="The oldest meeting", start=make.day("2001-01-01"))
        for number in range(25):
            make.conference(start=make.day(f"2020-01-{number + 1:02d}"))
    listed = url("conferences:list", "en")
    lists = [url("pages:home", "en"), listed, listed + "?status=announced"]
    for address in lists:
        assert "The oldest meeting" not in get(client, address)[0].content.decode()
    oldest.summary_en = "A corrected summary of a meeting on no list's first page."
    with django_capture_on_commit_callbacks(execute=True):
        oldest.save()
    assert [get(client, address)[1] for address in lists] == [0, 0, 0]
    oldest.status = "announced"
    with django_capture_on_commit_callbacks(execute=True):
        oldest.save()
    assert "The oldest meeting" in get(client, lists[2])[0].content.decode()
    oldest.start_date = make.day("2030-01-01")
    with django_capture_on_commit_callbacks(execute=True):
        oldest.save()
    for address in lists:
        assert "The oldest meeting" in get(client, address)[0].content.decode(), address


def redis_only(page_cache):
    if page_cache != "redis":
        pytest.skip("each process's copies are kept with a shared cache only")


@pytest.fixture
def copies(monkeypatch):
    """This test's own copies of answers, as a fresh process has."""
    from public import page_cache as pages

    fresh = pages.Copies(pages.COPIES_BYTES)
    monkeypatch.setattr(pages, "_copies", fresh)
    return fresh


def stored_pages():
    from django.core.cache import cache

    redis = cache._cache.get_client()
    return list(redis.scan_iter(match=cache.make_key("page:*")))


def test_a_hit_keeps_every_header_of_the_answer(client, page_cache, copies, address):
    first, _ = get(client, address, headers={"accept-encoding": "gzip"})
    for _ in range(2):  # checked tag by tag, then (with Redis) from this process's copy
        again, queries = get(client, address, headers={"accept-encoding": "gzip"})
        assert queries == 0 and again["X-Cache"] == "hit"
        assert again.status_code == first.status_code and again.content == first.content
        left_out = {"X-Cache", "X-Request-ID"}
        assert {(name, value) for name, value in again.items() if name not in left_out} == {
            (name, value) for name, value in first.items() if name not in left_out
        }


@pytest.fixture
def asked(monkeypatch):
    """How many times the page cache asked Redis for an answer (each a round trip)."""
    from public.cache import TolerantRedisCacheClient

    calls = []
    get_tagged = TolerantRedisCacheClient.get_tagged

    def counted(self, *args):
        calls.append(args)
        return get_tagged(self, *args)

    monkeypatch.setattr(TolerantRedisCacheClient, "get_tagged", counted)
    return calls


def listener():
    from django.core.cache import cache

    from public import page_cache as pages

    return cache.listener(pages.ANNOUNCEMENTS)


def cut_off(listening):
    """Redis closes the listener's connection, as when it restarts or a network cuts it."""
    import redis

    port = listening.connection._sock.getsockname()[1]
    client = redis.Redis.from_url(REDIS_LOCATION)
    try:
        assert client.client_kill_filter(_type="pubsub", addr=f"127.0.0.1:{port}") == 1
    finally:
        client.close()


def announce_from_elsewhere(conference):
    """What another process's edit of `conference` writes: its tags dropped, and announced."""
    from django.core.cache import cache

    from core.tags import tag
    from public import page_cache as pages

    replaced = pages.cache_tags.replacements({tag(type(conference), conference.pk)}, also=[pages.EPOCH_KEY])
    keys = [cache.make_key(key) for key in replaced if key != pages.EPOCH_KEY]
    assert cache.set_and_publish(replaced, pages.ANNOUNCEMENTS, " ".join([str(replaced[pages.EPOCH_KEY]), *keys]))


def test_while_the_drops_are_heard_a_copy_is_served_without_asking_redis(
    client, page_cache, copies, asked, address, django_capture_on_commit_callbacks
):
    """Even once its entry is gone, and after an edit of what it does not show."""
    redis_only(page_cache)
    get(client, address)
    get(client, address)
    assert len(copies.entries) == 1
    asked.clear()
    cache_entries = stored_pages()
    from django.core.cache import cache

    cache._cache.get_client().delete(*cache_entries)
    assert get(client, address)[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        make.conference("tripoli-2025", name_en="Tripoli meeting")  # shown elsewhere only
    response, queries = get(client, address)
    assert queries == 0 and response["X-Cache"] == "hit" and asked == []


def test_an_edit_drops_the_copies_too(client, page_cache, copies, conference, address,
                                      django_capture_on_commit_callbacks):
    redis_only(page_cache)
    for _ in range(3):
        get(client, address)
    assert len(copies.entries) == 1
    conference.name_en = "CISSA 20, as corrected"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    response, queries = get(client, address)
    assert heading(response) == "CISSA 20, as corrected"
    assert queries > 1


def test_an_edit_in_this_process_drops_its_copies_before_the_announcement_comes_back(
    client, page_cache, copies, conference, address, django_capture_on_commit_callbacks, monkeypatch
):
    from public.cache import Listener

    redis_only(page_cache)
    get(client, address)
    get(client, address)
    monkeypatch.setattr(Listener, "heard", lambda self: [])  # the announcement is on its way
    conference.name_en = "CISSA 20, as corrected"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    assert heading(get(client, address)[0]) == "CISSA 20, as corrected"


def test_an_edit_in_another_process_drops_the_copies_it_concerns(client, page_cache, copies, conference, address):
    redis_only(page_cache)
    other = make.conference("tripoli-2025", name_en="Tripoli meeting")
    other_address = record_url(other, "en")
    for _ in range(2):
        get(client, address)
        get(client, other_address)
    assert len(copies.entries) == 2
    conference.name_en = "CISSA 20, corrected elsewhere"
    type(conference).objects.filter(pk=conference.pk).update(name_en=conference.name_en)  # no signal here
    announce_from_elsewhere(conference)
    response, queries = get(client, address)
    assert heading(response) == "CISSA 20, corrected elsewhere" and queries > 1
    assert get(client, other_address)[1] == 0


def test_a_backlog_of_drops_empties_the_copies_rather_than_checking_each(
    client, page_cache, copies, asked, conference, address
):
    from public import page_cache as pages

    redis_only(page_cache)
    other = make.conference("tripoli-2025", name_en="Tripoli meeting")
    get(client, address)
    get(client, address)
    for _ in range(pages.MANY_DROPS):
        announce_from_elsewhere(other)
    asked.clear()
    assert get(client, address)[1] == 0 and len(asked) == 0  # as many as it checks one by one
    announce_from_elsewhere(other)
    for _ in range(pages.MANY_DROPS):
        announce_from_elsewhere(other)
    assert get(client, address)[1] == 0 and len(asked) == 1 and len(copies.entries) == 1


def test_an_edit_elsewhere_moves_the_copies_it_leaves_to_the_new_epoch(
    client, page_cache, copies, address, django_capture_on_commit_callbacks
):
    """So that, asked again (after a cut subscription), Redis compares the epoch alone."""
    redis_only(page_cache)
    get(client, address)
    get(client, address)
    checked_at = next(iter(copies.entries.values())).epoch
    with django_capture_on_commit_callbacks(execute=True):
        make.conference("tripoli-2025", name_en="Tripoli meeting")
    assert get(client, address)[1] == 0
    assert next(iter(copies.entries.values())).epoch != checked_at


def test_a_cut_subscription_has_every_copy_checked_again(client, page_cache, copies, asked, conference, address):
    """Announcements made while it was cut are lost: what they dropped is not served."""
    redis_only(page_cache)
    get(client, address)
    get(client, address)
    cut_off(listener())
    conference.name_en = "CISSA 20, corrected while cut off"
    type(conference).objects.filter(pk=conference.pk).update(name_en=conference.name_en)
    announce_from_elsewhere(conference)
    asked.clear()
    response, queries = get(client, address)
    assert heading(response) == "CISSA 20, corrected while cut off" and queries > 1 and len(asked) == 1
    get(client, address)  # subscribed again, and checked under the new subscription
    asked.clear()
    assert get(client, address)[1] == 0 and asked == []


def test_without_the_subscription_or_the_epoch_a_copy_is_not_trusted(client, page_cache, copies, address):
    """An evicted epoch cannot tell whether a tag was dropped since."""
    from django.core.cache import cache

    from public import page_cache as pages

    redis_only(page_cache)
    get(client, address)
    get(client, address)
    cut_off(listener())
    cache._cache.get_client().delete(*stored_pages(), cache.make_key(pages.EPOCH_KEY))
    assert get(client, address)[1] > 0


def test_a_subscription_refused_leaves_the_cache_in_use_and_is_not_asked_for_on_every_request(
    client, page_cache, copies, asked, address, monkeypatch
):
    """Redis may refuse SUBSCRIBE (an ACL without Pub/Sub): copies are checked in Redis instead."""
    from redis.exceptions import ResponseError

    from public.cache import Listener

    redis_only(page_cache)
    tried = []

    def refused(self):
        tried.append(self)
        raise ResponseError("NOPERM this user has no permissions to access the channel")

    monkeypatch.setattr(Listener, "_subscribe", refused)
    get(client, address)
    for _ in range(3):
        response, queries = get(client, address)
        assert queries == 0 and response["X-Cache"] == "hit"
    assert len(tried) == 1 and len(asked) == 4


def test_a_silent_subscription_is_not_trusted_until_redis_answers_it(
    client, page_cache, copies, asked, address, monkeypatch
):
    """Nothing heard for a while may be a network that lost the announcements: Redis is asked,
    and pinged on the subscription; once it answers, copies are trusted again."""
    from public import cache as public_cache

    redis_only(page_cache)
    get(client, address)
    get(client, address)
    listening = listener()
    listening.heard_at -= public_cache.HEARTBEAT_SECONDS
    asked.clear()
    assert get(client, address)[1] == 0 and len(asked) == 1
    assert listening.connection.can_read(timeout=1)  # the answer to the PING
    assert get(client, address)[1] == 0 and len(asked) == 1


def test_an_edit_during_an_outage_drops_the_copies_once_redis_is_back(
    client, page_cache, copies, conference, address, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    redis_only(page_cache)
    for _ in range(3):
        get(client, address)
    client_of_cache = cache._cache
    client_of_cache.failed(RedisConnectionError("unreachable"))
    conference.name_en = "CISSA 20, corrected during the outage"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    assert heading(get(client, address)[0]) == "CISSA 20, corrected during the outage"  # uncached
    client_of_cache.down_until = 1.0  # the back-off is over: Redis is asked again, and answers
    assert heading(get(client, address)[0]) == "CISSA 20, corrected during the outage"
    assert heading(get(client, address)[0]) == "CISSA 20, corrected during the outage"


def test_copies_live_no_longer_than_their_entry_and_within_their_room(monkeypatch):
    from public import page_cache as pages

    now = [100.0]
    monkeypatch.setattr(pages.time, "monotonic", lambda: now[0])
    copies = pages.Copies(limit=80)

    def copy(size=10):
        return copies.Copy(b"1", now[0] + 10, (200, {}, b"x" * size), size, frozenset(), 1)

    copies.put("a", copy())
    now[0] += 9
    assert copies.get("a").thawed[2] == b"x" * 10
    now[0] += 1
    assert copies.get("a") is None and copies.size == 0
    for key in "bcd":
        copies.put(key, copy())
    copies.get("b")  # used last: kept
    for key in "efghij":
        copies.put(key, copy())
    assert copies.size <= 80 and copies.get("b") is not None and copies.get("c") is None
    copies.put("big", copy(size=11))  # more than an eighth of the room: not kept
    assert copies.get("big") is None


def test_the_pages_that_show_a_conferences_card_keep_an_edit_of_the_rest_and_show_one_of_the_card(
    client, page_cache, conference, django_capture_on_commit_callbacks
):
    """A country page shows a conference it took part in as a card; the page of another edition of
    its series, and the pages of an organization and a person at it, show it as a link with its
    dates: they carry the card's tag (core.tags.part), not the conference's, so a corrected summary
    leaves them cached and a new name shows at once."""
    with django_capture_on_commit_callbacks(execute=True):
        series = make.series("cissa-conferences", name_en="CISSA conferences")
        conference.series = series
        conference.short_name_en = "CISSA 20"
        conference.save()
        other = make.conference("cissa-21", series=series, name_en="CISSA 21", start=make.day("2026-08-25"))
        make.participation(conference, make.named_country("TN"))
        organization = make.organization("libyan-intelligence", name_en="Libyan Intelligence")
        make.conference_organization(conference, organization)
        person = make.person("hussein-al-ayeb", name_en="Hussein al-Ayeb")
        make.attendance(conference, person)
    pages = [url("countries:detail", "en", code="tn"), record_url(other, "en"), record_url(organization, "en"),
             record_url(person, "en")]
    for address in pages:
        assert "CISSA 20" in get(client, address)[0].content.decode(), address
    saved(conference, django_capture_on_commit_callbacks, summary_en="A corrected summary.")
    assert [get(client, address)[1] for address in pages] == [0, 0, 0, 0]
    saved(conference, django_capture_on_commit_callbacks, name_en="CISSA XX", short_name_en="CISSA XX")
    for address in pages:
        assert "CISSA XX" in get(client, address)[0].content.decode(), address


def test_the_pages_about_a_conferences_host_series_and_topics_keep_an_edit_of_the_rest_of_it(
    client, page_cache, conference, django_capture_on_commit_callbacks
):
    """The pages about a conference's host country and its series (their pages, preview images and
    API records), and its topics' pages, show it as its card (core.tags.about_parents): a corrected
    summary leaves them cached, a new name shows at once, and so does a move to another series, on
    the page of each series."""
    with django_capture_on_commit_callbacks(execute=True):
        series = make.series("cissa-conferences", name_en="CISSA conferences")
        other = make.series("sahel-meetings", name_en="Sahel meetings")
        topic = make.topic("terrorism")
        conference.series = series
        conference.short_name_en = "CISSA 20"
        conference.save()
        conference.topics.add(topic)
    host = conference.host_country
    shown = [record_url(host, "en"), record_url(series, "en"), record_url(topic, "en"), record_url(host, "ar")]
    pages = [*shown, url("countries:preview", "en", code="ly"), url("series:preview", "en", slug=series.slug),
             url("api:country", "en", code="ly")]
    for address in pages:
        assert get(client, address)[0].status_code == 200, address
    saved(conference, django_capture_on_commit_callbacks, summary_en="A corrected summary.", theme_en="A theme.")
    assert [get(client, address)[1] for address in pages] == [0] * len(pages)
    saved(conference, django_capture_on_commit_callbacks, name_en="CISSA XX in Benghazi")
    for address in shown[:3]:
        assert "CISSA XX in Benghazi" in get(client, address)[0].content.decode(), address
    saved(conference, django_capture_on_commit_callbacks, series=other)
    assert "CISSA XX" not in text(parse(get(client, record_url(series, "en"))[0]).xpath("//main")[0])
    assert "CISSA XX" in text(parse(get(client, record_url(other, "en"))[0]).xpath("//main")[0])


def test_the_series_list_keeps_an_edit_of_a_conferences_text_and_counts_a_new_edition_at_once(
    client, page_cache, conference, django_capture_on_commit_callbacks
):
    """The series list carries the tags of what it counts (each series' editions), not every
    conference's: a corrected summary leaves it cached, a conference added to a series shows."""
    with django_capture_on_commit_callbacks(execute=True):
        series = make.series("cissa-conferences", name_en="CISSA conferences")
    listed = url("series:list", "en")
    assert "(0 editions)" in text(parse(get(client, listed)[0]).xpath("//main")[0])
    saved(conference, django_capture_on_commit_callbacks, summary_en="A corrected summary.")
    assert get(client, listed)[1] == 0
    saved(conference, django_capture_on_commit_callbacks, series=series)
    assert "(1 edition)" in text(parse(get(client, listed)[0]).xpath("//main")[0])


def test_the_countries_index_keeps_an_edit_of_a_conferences_text_and_shows_a_new_host_at_once(
    client, page_cache, conference, django_capture_on_commit_callbacks
):
    """The countries index carries the tags of what it counts (hosts, participations, countries),
    not every conference's: a corrected summary leaves it cached, a new host country shows."""
    index = url("countries:list", "en")

    def hosted(code):
        cells = parse(get(client, index)[0]).xpath(f'//tr[.//a[contains(@href, "/countries/{code}/")]]/td')
        return [text(cell) for cell in cells]

    with django_capture_on_commit_callbacks(execute=True):
        morocco = make.named_country("MA")
    libya = hosted("ly")
    assert get(client, index)[1] == 0
    saved(conference, django_capture_on_commit_callbacks, summary_en="A corrected summary.")
    assert get(client, index)[1] == 0
    saved(conference, django_capture_on_commit_callbacks, host_country=morocco)
    assert hosted("ly") != libya
    assert hosted("ma") == libya
