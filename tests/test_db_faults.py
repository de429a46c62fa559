"""Database faults: an outage answers 503 in the visitor's language, and service comes back by itself.

- With the database out of reach (a closed port), every public page answers 503 with a short
  page in Arabic or English and Retry-After, the API answers 503 in JSON, /healthz still
  answers 200 and /readyz 503. This runs in a subprocess pointed at that port.
- A connection the database drops (pg_terminate_backend) is replaced on the next request:
  Django checks a reused connection before using it (CONN_HEALTH_CHECKS). This needs a real
  PostgreSQL and is skipped without one.
- An editor's save that fails half-way leaves the record as it was: the admin saves in a
  transaction.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import DatabaseError, OperationalError
from django.test import Client
from django.urls import reverse
from lxml import html

from conferences.admin import ConferenceAdmin
from tests import factories as make
from tests.helpers import parse, text

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
ARABIC_NOTICE = "الخدمة غير متاحة مؤقتًا"
ENGLISH_NOTICE = "Service temporarily unavailable"
SLUG = "summit-2025"


def run_script(script, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.test_settings",
               DJANGO_ALLOWED_HOSTS="testserver,localhost")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_reachable():
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def document(body):
    """A page's body, as the reader's browser reads it."""
    return html.fromstring(body)


# --- The database is out of reach ------------------------------------------------------

OUTAGE_SCRIPT = """
    import json
    import django
    django.setup()
    from django.test import Client

    client = Client(raise_request_exception=False)
    answers = {}
    for path in ["/ar/", "/en/", "/ar/conferences/", "/en/conferences/summit-2025/",
                 "/en/countries/ly/", "/api/v1/conferences/", "/healthz", "/readyz", "/c/1/"]:
        response = client.get(path, headers={"accept-language": "en"})
        answers[path] = {
            "status": response.status_code,
            "retry_after": response.get("Retry-After"),
            "type": response.get("Content-Type"),
            "body": response.content.decode(),
        }
    print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def outage():
    """What a visitor gets from a portal whose PostgreSQL refuses connections."""
    return run_script(OUTAGE_SCRIPT, "postgres://postgres@127.0.0.1:1/portal")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "notice"),
    [
        ("/ar/", ARABIC_NOTICE),
        ("/ar/conferences/", ARABIC_NOTICE),
        ("/en/", ENGLISH_NOTICE),
        (f"/en/conferences/{SLUG}/", ENGLISH_NOTICE),
        ("/en/countries/ly/", ENGLISH_NOTICE),
        ("/c/1/", ENGLISH_NOTICE),  # a short link: the browser's language
    ],
)
def test_pages_answer_503_in_the_visitors_language(outage, path, notice):
    answer = outage[path]
    assert answer["status"] == 503
    assert answer["retry_after"] == "30"
    page = document(answer["body"])
    assert [text(heading) for heading in page.xpath("//h1")] == [notice]
    words = text(page)
    assert "Traceback" not in words and "OperationalError" not in words
    assert "127.0.0.1" not in answer["body"]


@pytest.mark.slow
def test_the_outage_page_shows_no_template_markup(outage):
    """Nothing but the notice and its links: no template comment shows as text."""
    for path in ("/ar/", "/en/"):
        words = text(document(outage[path]["body"]))
        assert "{#" not in words and "#}" not in words, words[:200]


@pytest.mark.slow
def test_arabic_outage_page_reads_right_to_left(outage):
    arabic, english = document(outage["/ar/"]["body"]), document(outage["/en/"]["body"])
    assert (arabic.tag, arabic.get("lang"), arabic.get("dir")) == ("html", "ar", "rtl")
    assert (english.tag, english.get("lang"), english.get("dir")) == ("html", "en", "ltr")


@pytest.mark.slow
def test_the_api_answers_503_in_json(outage):
    answer = outage["/api/v1/conferences/"]
    assert answer["status"] == 503
    assert answer["type"] == "application/json"
    assert json.loads(answer["body"]) == {"detail": "Service temporarily unavailable; please retry later."}


@pytest.mark.slow
def test_health_checks_tell_the_process_from_the_database(outage):
    assert outage["/healthz"]["status"] == 200
    assert outage["/readyz"]["status"] == 503
    assert json.loads(outage["/readyz"]["body"]) == {
        "status": "unavailable", "database": "unreachable", "cache": "local"
    }


@pytest.mark.django_db
def test_a_connection_lost_mid_request_answers_503_not_500(monkeypatch):
    """The same answer when the database goes away while a page is being built."""
    from public.views import conferences as views

    make.conference(SLUG)

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.ConferenceDetailView, "get_context_data", lost)
    client = Client(raise_request_exception=False)
    response = client.get(f"/ar/conferences/{SLUG}/")
    assert response.status_code == 503
    assert [text(heading) for heading in parse(response).xpath("//h1")] == [ARABIC_NOTICE]
    # Any other failure is still a plain server error.
    monkeypatch.setattr(views.ConferenceDetailView, "get_context_data", lambda *a, **k: 1 / 0)
    response = client.get(f"/en/conferences/{SLUG}/")
    assert response.status_code == 500
    assert [text(heading) for heading in parse(response).xpath("//h1")] == ["Server error"]


# --- The database drops the connection and comes back -----------------------------------

RECONNECT_SCRIPT = """
    import json
    from io import BytesIO

    import django
    django.setup()
    import psycopg
    from django.db import connection
    from portal.wsgi import application

    def get(path):
        # Through the WSGI handler, as gunicorn calls it: request_started and request_finished
        # fire, so Django closes or checks old connections as it does in production.
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "localhost",
            "SERVER_PORT": "8000", "HTTP_HOST": "localhost", "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(b""), "wsgi.errors": BytesIO(), "wsgi.version": (1, 0),
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        status = []
        body = application(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            content = b"".join(body)
        finally:
            body.close()
        return int(status[0].split()[0]), content.decode()

    first = get("/readyz")
    backend = connection.connection.info.backend_pid if connection.connection else None
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as admin:
        terminated = admin.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone()[0]
    second = get("/readyz")
    after = connection.connection.info.backend_pid if connection.connection else None
    print(json.dumps({"first": first, "second": second, "backend": backend, "terminated": terminated,
                      "after": after, "max_age": connection.settings_dict["CONN_MAX_AGE"],
                      "health_checks": connection.settings_dict["CONN_HEALTH_CHECKS"]}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL is not reachable on 127.0.0.1:5432")
def test_service_comes_back_by_itself_after_the_database_drops_the_connection():
    result = run_script(RECONNECT_SCRIPT, POSTGRES)
    # The connection is kept between requests, and checked before it is reused.
    assert result["max_age"] > 0 and result["health_checks"] is True
    assert result["first"][0] == 200
    assert result["backend"] and result["terminated"] is True
    # The very next request succeeds, on a new connection.
    assert result["second"][0] == 200, result["second"]
    assert json.loads(result["second"][1]) == {"status": "ok", "database": "ok", "cache": "local"}
    assert result["after"] and result["after"] != result["backend"]


# --- An edit interrupted by a database error --------------------------------------------

PASSWORD = "Sahara-Atlas-2025!"
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


def form_data(response, form_id):
    """The POST data of the page's form `form_id`, as a browser sends it (lxml's reading of the form).

    A local helper: tests/helpers.py has no form reader, and test modules share nothing else.
    """
    assert response.status_code == 200, response.status_code
    forms = parse(response).xpath(f'//form[@id="{form_id}"]')
    assert forms, f"no form #{form_id} on the page"
    data = {}
    for field in forms[0].inputs:
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("disabled") is not None:
            continue
        if field.tag == "input" and field.get("type", "text") in SKIPPED_INPUTS:
            continue
        if field.tag == "input" and field.get("type") in {"checkbox", "radio"}:
            if field.checked:
                data.setdefault(name, []).append(field.get("value") or "on")
            continue
        if field.tag == "select":
            chosen = [option.get("value", option.text or "") for option in field.xpath(".//option[@selected]")]
            if not chosen and not field.multiple:
                chosen = [option.get("value", option.text or "") for option in field.xpath(".//option")][:1]
            data.setdefault(name, []).extend(chosen)
            continue
        if field.tag == "textarea":
            # A browser drops the line break that follows <textarea>.
            data.setdefault(name, []).append((field.text or "").removeprefix("\n"))
        else:
            data.setdefault(name, []).append(field.get("value") or "")
    return {name: values if len(values) > 1 else values[0] for name, values in data.items() if values}


def inline_row(data, prefix, field, value):
    """The index of the existing inline row whose `field` holds `value`."""
    for index in range(int(data[f"{prefix}-TOTAL_FORMS"])):
        if data.get(f"{prefix}-{index}-{field}") == str(value):
            return index
    raise AssertionError(f"no {prefix} row with {field}={value}")


@pytest.fixture
def editor_client(db, django_user_model):
    user = django_user_model.objects.create_superuser("amina", "amina@example.org", PASSWORD)
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(user)
    return client, user


@pytest.fixture
def conference(db, django_capture_on_commit_callbacks):
    """A conference with its participating countries, as an editor finds it."""
    with django_capture_on_commit_callbacks(execute=True):
        return make.full_conference(SLUG)


def test_an_interrupted_save_leaves_the_record_as_it_was(editor_client, conference, monkeypatch):
    client, _user = editor_client
    before = {
        "name_en": conference.name_en,
        "history": conference.history.count(),
        "notes": list(conference.participations.order_by("pk").values_list("note_en", flat=True)),
    }
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    data = form_data(client.get(url), "conference_form")
    assert data["name_en"] == conference.name_en
    data["name_en"] = "A name that must not be kept"
    row = inline_row(data, "participations", "id", conference.participations.order_by("pk").first().pk)
    data[f"participations-{row}-note_en"] = "A note that must not be kept"

    # The record and its inlines are written, then the database fails before the save ends.
    original = ConferenceAdmin.save_related

    def failing_save_related(self, request, form, formsets, change):
        original(self, request, form, formsets, change)
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(ConferenceAdmin, "save_related", failing_save_related)
    response = client.post(url, data)
    assert response.status_code == 500
    assert [text(heading) for heading in parse(response).xpath("//h1")] == ["Server error"]

    conference.refresh_from_db()
    assert conference.name_en == before["name_en"]
    assert conference.history.count() == before["history"]
    assert list(conference.participations.order_by("pk").values_list("note_en", flat=True)) == before["notes"]
    # And the editor, trying again once the database is back, can save.
    monkeypatch.setattr(ConferenceAdmin, "save_related", original)
    data = form_data(client.get(url), "conference_form")
    data["name_en"] = before["name_en"] + " (corrected)"
    assert client.post(url, data).status_code == 302
    conference.refresh_from_db()
    assert conference.name_en == before["name_en"] + " (corrected)"
