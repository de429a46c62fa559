"""Health endpoints: /healthz (the process answers) and /readyz (the database answers).

What they do while the database is down is in tests/test_db_faults.py.
"""

import pytest
from django.urls import resolve, reverse


@pytest.mark.django_db
def test_healthz_says_the_process_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_says_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_head_and_refuse_writes(client, path):
    assert client.head(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_load_balancer_probing_by_address_gets_an_answer(client, path):
    """A probe sends the server's address as Host; that host is not in ALLOWED_HOSTS."""
    response = client.get(path, headers={"host": "10.20.30.40:8000"})
    assert response.status_code == 200
    # A page, by contrast, refuses the unknown host.
    assert client.get("/en/", headers={"host": "10.20.30.40:8000"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_are_not_language_prefixed(client, path):
    assert client.get(f"/en{path}").status_code == 404
    assert client.get(f"{path}/").status_code == 404


def test_health_checks_have_names():
    assert reverse("healthz") == "/healthz"
    assert reverse("readyz") == "/readyz"
    assert resolve("/readyz").url_name == "readyz"
