"""An HTTP cache in front is told what it may keep and for how long, and an edit purges it by tag
(public/purge.py); a cache that does not answer never fails the edit."""

import http.server
import logging
import threading

import pytest
from django.test.utils import override_settings

from tests import factories as make
from tests.helpers import get, record_url

pytestmark = pytest.mark.django_db


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """Answers PURGE as Varnish does, and keeps the tags it was sent."""

    received = []

    def do_PURGE(self):  # noqa: N802 - the method's name
        self.received.append((self.path, self.headers["xkey-purge"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cache_in_front():
    PurgeRecorder.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", PurgeRecorder.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def conference(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make.conference("cissa-20", name_ar="سيسا 20", name_en="CISSA 20",
                               host_country=make.named_country("LY"))


def edit(conference, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conference.name_en = "CISSA 20 (corrected)"
        conference.save()


def test_an_edit_purges_each_cache_by_the_tags_of_what_it_changed(conference, cache_in_front,
                                                                   django_capture_on_commit_callbacks):
    address, received = cache_in_front
    with override_settings(PORTAL_PURGE_URLS=[address, address]):
        edit(conference, django_capture_on_commit_callbacks)
    changed = {f"conference-{conference.pk}", "conference-list"}
    purges = [(path, tags) for path, tags in received if changed <= set(tags.split())]
    assert [path for path, _tags in purges] == ["/", "/"], received


def test_without_purge_addresses_nothing_is_sent(conference, cache_in_front, django_capture_on_commit_callbacks):
    _address, received = cache_in_front
    edit(conference, django_capture_on_commit_callbacks)
    assert received == []


def test_a_cache_that_does_not_answer_is_logged_and_the_edit_stands(conference, caplog,
                                                                    django_capture_on_commit_callbacks):
    with override_settings(PORTAL_PURGE_URLS=["http://127.0.0.1:9/"]), caplog.at_level(logging.ERROR):
        edit(conference, django_capture_on_commit_callbacks)
    conference.refresh_from_db()
    assert conference.name_en == "CISSA 20 (corrected)"
    assert any("Could not purge http://127.0.0.1:9/" in record.getMessage() for record in caplog.records)


@override_settings(PORTAL_CACHE_TAG_HEADER="xkey", PORTAL_PROXY_CACHE_SECONDS=900)
def test_a_public_answer_says_how_long_a_cache_in_front_may_keep_it(client, conference):
    response = get(client, record_url(conference, "en"))
    assert response["Surrogate-Control"] == "max-age=900"
    assert f"conference-{conference.pk}" in response["xkey"].split()
    # Browsers still revalidate.
    assert response["Cache-Control"] == "no-cache"


@override_settings(PORTAL_CACHE_TAG_HEADER="xkey")
def test_an_editor_answer_is_not_for_a_cache_in_front(client, conference, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", password="x"))
    response = get(client, record_url(conference, "en"))
    assert not response.has_header("Surrogate-Control")
    assert not response.has_header("xkey")


def test_without_the_tag_header_no_cache_in_front_is_addressed(client, conference):
    response = get(client, record_url(conference, "en"))
    assert not response.has_header("Surrogate-Control")


@override_settings(PORTAL_CACHE_TAG_HEADER="xkey")
def test_an_answer_rendered_across_an_edit_is_not_for_a_cache_in_front(client, conference, monkeypatch):
    """The edit's purge may have reached the cache before this answer: it must not be kept there."""
    from core import state
    from public.views.conferences import ConferenceDetailView

    render = ConferenceDetailView.get

    def edited_meanwhile(view, request, *args, **kwargs):
        response = render(view, request, *args, **kwargs)
        # What an editor's save does, once it commits.
        type(conference).objects.filter(pk=conference.pk).update(name_en="Corrected meanwhile")
        state.bump()
        return response

    monkeypatch.setattr(ConferenceDetailView, "get", edited_meanwhile)
    response = get(client, record_url(conference, "en"))
    assert response.has_header("xkey")
    assert not response.has_header("Surrogate-Control")
