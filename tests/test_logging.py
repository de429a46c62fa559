"""Logging: one JSON line per request, carrying the request id the response's header shows.

capture_log() (tests/helpers.py) points the console handler that settings.LOGGING configures at a buffer, so
the tests read exactly what a deployment writes to standard error.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import capture_log

PASSWORD = "Sahara-Atlas-2025!"


def raw_log(lines):
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)


@pytest.mark.django_db
def test_a_request_logs_one_json_line_with_the_id_of_its_response(client):
    with capture_log() as lines:
        response = client.get("/en/conferences/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    requests = [line for line in lines() if line["logger"] == "portal.request"]
    assert len(requests) == 1
    line = requests[0]
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"]) == ("GET", "/en/conferences/", 200)
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["time"]


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_a_forged_one_replaced(client):
    assert client.get("/healthz", headers={"x-request-id": "lb-7f3a9c01"})["X-Request-ID"] == "lb-7f3a9c01"
    forged = client.get("/healthz", headers={"x-request-id": "x\n{\"level\": \"ERROR\"}"})["X-Request-ID"]
    assert forged != "x" and len(forged) == 32 and "\n" not in forged


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


@pytest.mark.django_db
def test_errors_are_logged_with_the_request_id(client):
    with capture_log() as lines:
        response = client.get("/en/conferences/no-such-conference/")
    assert response.status_code == 404
    warnings = [line for line in lines() if line["logger"] == "django.request"]
    assert warnings and warnings[0]["level"] == "WARNING"
    assert warnings[0]["request_id"] == response["X-Request-ID"]
    assert "/en/conferences/no-such-conference/" in warnings[0]["message"]


@pytest.mark.django_db
def test_a_failed_admin_login_logs_neither_the_password_nor_the_session_cookie(django_user_model):
    django_user_model.objects.create_user("amina", password=PASSWORD, is_staff=True)
    client = Client()
    # A logged-in editor's session, then a mistyped password from the same browser.
    assert client.post(reverse("admin:login"), {"username": "amina", "password": PASSWORD}).status_code == 302
    session_id = client.cookies["sessionid"].value
    csrf = client.cookies.get("csrftoken")
    with capture_log() as lines:
        response = client.post(
            reverse("admin:login"), {"username": "amina", "password": "Typo-" + PASSWORD}, REMOTE_ADDR="192.0.2.4"
        )
    assert response.status_code == 200
    text = raw_log(lines())
    assert "User login failed" in text  # django-axes noted the failure
    assert "amina" in text
    assert PASSWORD not in text
    assert session_id not in text
    if csrf is not None:
        assert csrf.value not in text
    assert all(line["request_id"] == response["X-Request-ID"] for line in lines())
    # Nor does django-axes's record of the failed attempt, which the admin shows.
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="amina")
    assert "password=" in attempt.post_data
    assert PASSWORD not in attempt.post_data
    if csrf is not None:
        assert csrf.value not in attempt.post_data
