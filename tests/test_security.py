"""Security: production settings, the headers every answer carries, and the admin's login lockout.

The production checks run `manage.py` in a subprocess with the environment a deployment
sets; the rest use the test client as a visitor or an editor would.
"""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from public.security import ContentSecurityPolicyMiddleware
from tests import factories as make
from tests.helpers import capture_log, parse, text

ROOT = Path(__file__).resolve().parent.parent
SECRET = "k3y-" + "Zq8rVt2mW9xLp4sN7bYd1cFh6jKg0aEu5iOw3eRy" + "TnMv8QpXz"  # 53 characters, 40+ distinct
PUBLIC_HOST = "conferences.example.org"
PASSWORD = "Sahara-Atlas-2025!"
WRONG = "not-the-password-1"
SLUG = "summit-2025"
# Debian's chromium, headless, with nothing of its own going out to the network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def setting_values(*names, **env):
    """The settings a process started with this environment gets, as printed strings."""
    code = "; ".join(f"print(repr(settings.{name}))" for name in names)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[: len(names)]


# --- Production settings -------------------------------------------------------------


@pytest.mark.slow
def test_deploy_check_passes_in_production():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS=PUBLIC_HOST,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "key",
    ["", "short-but-real-0f9a", "django-insecure-" + "x7" * 30],
    ids=["missing", "too short", "django-insecure"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    result = manage("check", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS=PUBLIC_HOST)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_local_run_stays_on_plain_http():
    """`make run` (DEBUG off, localhost) must not redirect to https nor send secure-only cookies."""
    values = setting_values("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")
    assert values == ["False", "False", "False", "0"]


@pytest.mark.slow
def test_production_is_https_only_with_httponly_cookies():
    values = setting_values(
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
        DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS=PUBLIC_HOST,
    )
    assert values == ["True", "True", "True", "31536000", "True", "True"]


@pytest.mark.slow
def test_tls_proxy_settings_come_from_the_environment():
    values = setting_values(
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS",
        DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS=PUBLIC_HOST,
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="600", DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://conferences.example.org, https://www.example.org",
    )
    assert values == [
        "False", "600", "('HTTP_X_FORWARDED_PROTO', 'https')",
        "['https://conferences.example.org', 'https://www.example.org']",
    ]


@pytest.mark.slow
def test_production_redirects_plain_http_but_not_the_health_checks():
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "r = c.get('/en/', headers={'host': 'conferences.example.org'}); print(r.status_code, r['Location']); "
        "r = c.get('/healthz', headers={'host': 'conferences.example.org'}); print(r.status_code)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS=PUBLIC_HOST)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["301 https://conferences.example.org/en/", "200"]


@pytest.mark.slow
def test_the_admin_can_move_and_robots_txt_follows_it():
    code = (
        "import django; django.setup(); from django.urls import reverse; from django.test import RequestFactory; "
        "from public.sitemaps import robots_txt; print(reverse('admin:index')); "
        "print(robots_txt(RequestFactory().get('/robots.txt', HTTP_HOST='localhost')).content.decode())"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_ADMIN_PATH="/editors-desk/")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("/editors-desk/\n")
    assert "Disallow: /editors-desk/\n" in result.stdout
    assert "/admin/" not in result.stdout


# --- Headers on every answer ---------------------------------------------------------

PAGES = [
    "/ar/",
    "/en/conferences/",
    f"/en/conferences/{SLUG}/",
    "/ar/countries/ly/",
    "/en/no-such-page/",
    "/admin/login/",
    "/api/v1/conferences/",
    "/api/v1/docs",
    "/robots.txt",
    "/healthz",
    "/static/css/site.css",
]


@pytest.fixture
def conference(db, django_capture_on_commit_callbacks):
    """A conference held in Libya, so that its page and Libya's answer 200."""
    with django_capture_on_commit_callbacks(execute=True):
        return make.full_conference(SLUG)


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, conference, path):
    response = client.get(path)
    assert response.status_code in (200, 404), response.status_code
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    if not path.startswith("/static/"):
        # WhiteNoise answers static files above the clickjacking middleware; a stylesheet can't be framed.
        assert response["X-Frame-Options"] == "DENY"


def directive_names(policy):
    return [part.split()[0] for part in policy.split(";") if part.strip()]


def test_the_policy_lists_its_directives_in_the_settings_order(client, settings):
    """The same header from every worker process: django-csp alone orders them as a set, which
    differs from one process to the next."""
    response = client.get("/healthz")
    assert directive_names(response["Content-Security-Policy"]) == list(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])


def test_a_changed_policy_is_the_one_sent(client, settings):
    client.get("/healthz")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"], "img-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    response = client.get("/healthz")
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'"
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"


def through_the_policy(rf, view):
    """What the portal's Content-Security-Policy middleware makes of `view`'s answer to a GET."""
    request = rf.get("/en/")
    middleware = ContentSecurityPolicyMiddleware(view)
    middleware.process_request(request)
    return middleware.process_response(request, view(request))


def empty(request):
    return HttpResponse()


def test_a_view_may_still_change_its_own_policy(rf):
    """django-csp's decorators keep working: such a response is built by django-csp."""
    updated = through_the_policy(rf, csp_update({"img-src": "https://tiles.example.org"})(empty))
    assert "https://tiles.example.org" in updated["Content-Security-Policy"]
    assert "Content-Security-Policy" not in through_the_policy(rf, csp_exempt()(empty))
    plain = through_the_policy(rf, empty)
    assert "tiles.example.org" not in plain["Content-Security-Policy"]


def test_a_page_that_asks_for_a_nonce_gets_it_in_its_policy(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    nonced = through_the_policy(rf, lambda request: HttpResponse(str(request.csp_nonce)))
    assert f"script-src 'self' 'nonce-{nonced.content.decode()}'" in nonced["Content-Security-Policy"]
    plain = through_the_policy(rf, empty)
    assert "script-src 'self';" in plain["Content-Security-Policy"] + ";"


# --- Password guessing on the admin ----------------------------------------------------


@pytest.fixture
def editor(db, monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "amina", stdout=StringIO())
    return get_user_model().objects.get(username="amina")


def log_in(username, password, address):
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )
    return response


def error_note(response):
    """What the login page says went wrong."""
    return " ".join(text(note) for note in parse(response).xpath('//*[contains(@class, "errornote")]'))


def test_a_right_password_logs_in(editor):
    response = log_in("amina", PASSWORD, "192.0.2.1")
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_a_user_is_locked_out_after_five_failures_from_anywhere(editor):
    for attempt in range(5):
        response = log_in("amina", WRONG, f"192.0.2.{attempt + 1}")
        if attempt < 4:
            assert response.status_code == 200
            assert "Please enter the correct username and password" in error_note(response)
    # Now even the right password, from a new address, is refused, and the page says why.
    with capture_log() as lines:
        response = log_in("amina", PASSWORD, "198.51.100.7")
    assert response.status_code == 429
    assert "too many login attempts" in text(parse(response))
    # Another editor is not affected.
    assert log_in("yusuf", WRONG, "198.51.100.8").status_code == 200
    assert any(line["logger"].startswith("axes") and "amina" in line["message"] for line in lines())


def test_an_address_is_locked_out_after_five_failures_for_any_users(editor):
    with capture_log() as lines:
        for attempt in range(5):
            log_in(f"guess{attempt}", WRONG, "203.0.113.9")
    assert any(line["level"] == "WARNING" and "Locking out" in line["message"] for line in lines())
    assert log_in("amina", PASSWORD, "203.0.113.9").status_code == 429
    # The editor still gets in from her own address.
    response = log_in("amina", PASSWORD, "192.0.2.50")
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_another_editors_login_does_not_clear_a_users_failures(editor):
    """A login only forgives its own user name's failures, not those of others from the same address."""
    call_command("create_editor", "yusuf", stdout=StringIO())
    for _ in range(4):
        log_in("amina", WRONG, "203.0.113.20")
    # Yusuf logs in from the same address.
    response = log_in("yusuf", PASSWORD, "203.0.113.20")
    assert response.status_code == 302 and response.url == reverse("admin:index")
    # Amina's four failures still count: the fifth locks her out, even from another address.
    assert log_in("amina", WRONG, "203.0.113.20").status_code == 429
    response = log_in("amina", PASSWORD, "198.51.100.30")
    assert response.status_code == 429
    assert "too many login attempts" in text(parse(response))


def test_a_login_clears_the_users_own_failures(editor):
    for attempt in range(4):
        log_in("amina", WRONG, f"192.0.2.{attempt + 1}")
    response = log_in("amina", PASSWORD, "192.0.2.60")
    assert response.status_code == 302 and response.url == reverse("admin:index")
    # Her earlier failures are forgiven: one more mistake does not lock her out.
    assert log_in("amina", WRONG, "192.0.2.61").status_code == 200
    response = log_in("amina", PASSWORD, "192.0.2.62")
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_the_lockout_ends_after_the_cool_off(editor):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for attempt in range(5):
        log_in("amina", WRONG, f"192.0.2.{attempt + 1}")
    assert log_in("amina", PASSWORD, "192.0.2.99").status_code == 429
    # An hour and a bit later (the cool-off is one hour).
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=61))
    response = log_in("amina", PASSWORD, "192.0.2.99")
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_behind_a_proxy_the_lockout_uses_the_address_the_proxy_saw(settings, rf):
    from public.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20")
    assert client_ip(request) == "10.0.0.2"
    settings.PORTAL_PROXY_COUNT = 1
    # The client forged the first entry; the proxy added the second.
    assert client_ip(request) == "198.51.100.20"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


# --- No inline script or style, in a real browser ---------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_content_security_policy(live_server):
    """Chromium reports every script or style the policy blocks; none may be blocked.

    The public pages, the admin (login, lists, a conference's tabbed change form with its
    inlines and autocompletes, a history page) and the API's Swagger UI.
    """
    sync_api = pytest.importorskip("playwright.sync_api")

    conference = make.full_conference(SLUG)  # no transaction around a live server's test: saved at once
    conference.theme_en = "Common security, as corrected"
    conference.save()  # something for its history page to show
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    admin_pages = [
        reverse("admin:index"),
        reverse("admin:conferences_conference_changelist"),
        reverse("admin:conferences_conference_change", args=[conference.pk]),
        reverse("admin:conferences_conference_history", args=[conference.pk]),
        reverse("admin:participants_person_add"),
    ]
    public_pages = [
        "/ar/", "/en/conferences/", f"/en/conferences/{SLUG}/", "/ar/countries/ly/",
        "/en/organizations/", "/en/people/", "/en/topics/", "/en/sources/", "/en/no-such-page/", "/api/v1/docs",
    ]
    violations = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on(
            "console",
            lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None,
        )
        for path in public_pages:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
        assert page.locator(".swagger-ui .info .title").first.inner_text().startswith("Security Conferences")
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", "root")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in admin_pages:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
        browser.close()
    assert violations == []
