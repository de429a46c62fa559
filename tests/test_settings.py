"""Settings come from the environment, with safe local defaults and a strict production mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def settings_in_process(printed, **env):
    """Imports the settings in a new process with only `env` set, and prints the expression `printed`."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "PORTAL_")) and k != "DATABASE_URL"}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print({printed})"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )


def django_check(**env):
    return settings_in_process(
        "settings.DEBUG, settings.LANGUAGE_CODE, settings.DATABASES['default']['ENGINE']", **env
    )


@pytest.mark.slow
def test_local_run_needs_no_environment():
    result = django_check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "ar", "django.db.backends.sqlite3"]


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    result = django_check(DJANGO_ALLOWED_HOSTS="conferences.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_production_starts_with_a_real_secret_key():
    result = django_check(DJANGO_ALLOWED_HOSTS="conferences.example.org", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_database_url_selects_postgresql():
    result = django_check(DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.db.backends.postgresql"


def test_modeltranslation_default_language_is_arabic():
    from django.conf import settings

    assert settings.MODELTRANSLATION_DEFAULT_LANGUAGE == "ar"


def public_base_url(**env):
    return settings_in_process("repr(settings.PORTAL_BASE_URL)", **env)


@pytest.mark.slow
def test_the_public_address_defaults_to_the_first_host_in_production_and_to_the_request_locally():
    production = public_base_url(DJANGO_ALLOWED_HOSTS="conferences.example.org,www.example.org",
                                 DJANGO_SECRET_KEY="x" * 50)
    assert production.stdout.strip() == "'https://conferences.example.org'", production.stderr
    assert public_base_url().stdout.strip() == "''"
    configured = public_base_url(PORTAL_BASE_URL="https://portal.example.net/")
    assert configured.stdout.strip() == "'https://portal.example.net'"
    pattern = public_base_url(DJANGO_ALLOWED_HOSTS=".example.org", DJANGO_SECRET_KEY="x" * 50)
    assert pattern.returncode != 0 and "PORTAL_BASE_URL" in pattern.stderr


@pytest.mark.slow
def test_postgresql_statements_are_prepared_with_parameters_bound_on_the_server():
    printed = "settings.DATABASES['default']['OPTIONS']"
    result = settings_in_process(printed, DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        {"options": "-c jit=off", "server_side_binding": True, "prepare_threshold": 5}
    )
    # 0: parameters bound in the SQL text by psycopg and nothing prepared, for a transaction-pooling PgBouncer.
    result = settings_in_process(printed, DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything",
                                 DJANGO_DB_PREPARE_THRESHOLD="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str({"options": "-c jit=off"})
    # SQLite is left as it was.
    result = settings_in_process(printed)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{}"
