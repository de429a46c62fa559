"""Settings for the portal, read from the environment with safe local defaults.

A local run needs no environment at all: SQLite in the project folder, DEBUG off,
localhost only. A production run (DEBUG off and a public host) must be given a
real DJANGO_SECRET_KEY or it refuses to start.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}
INSECURE_SECRET_KEY = "django-insecure-local-development-key-not-for-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
IS_PRODUCTION = not DEBUG and any(host not in LOCAL_HOSTS for host in ALLOWED_HOSTS)
if not SECRET_KEY or SECRET_KEY == INSECURE_SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a real secret key when DEBUG is off "
            f"and DJANGO_ALLOWED_HOSTS names a public host ({', '.join(ALLOWED_HOSTS)})."
        )
    SECRET_KEY = INSECURE_SECRET_KEY

# --- Applications -------------------------------------------------------------

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # whitenoise.runserver_nostatic before staticfiles: runserver serves like gunicorn.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    # The API (django-ninja): listed so its docs page serves Swagger UI from our static files.
    "ninja",
    # Domain apps. Dependencies point one way:
    # conferences -> organizations -> participants.
    "participants",
    "organizations",
    "conferences",
]

# Order matters:
# - SecurityMiddleware first, then WhiteNoise, so static files skip the rest.
# - SessionMiddleware before LocaleMiddleware, which may read the session.
# - LocaleMiddleware before CommonMiddleware, so APPEND_SLASH redirects keep the language.
# - ConditionalGetMiddleware above everything that shapes a response, so its ETag hashes
#   the final body; LastModifiedMiddleware right below it, so the Last-Modified header is
#   there when ConditionalGetMiddleware decides on a 304 (responses go up the list).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.middleware.LastModifiedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% load permalinks %} gives {% short_link_url record %}; portal is not an app.
            "libraries": {"permalinks": "portal.permalinks"},
        },
    },
]

# --- Database -------------------------------------------------------------------
# DATABASE_URL selects the database; unset means the embedded SQLite file.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Languages ------------------------------------------------------------------
# Arabic is the source language and the default; English is the translation.

LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ar",)

# --- Admin ----------------------------------------------------------------------------
# The Arabic/English tabs need jQuery UI: served from our static files, not a CDN.
JQUERY_UI_URL = "admin-portal/vendor/jquery-ui-tabs-1.13.3.js"
# Editors revert changes from a record's history page.
SIMPLE_HISTORY_REVERT_DISABLED = False

# --- HTTP caching ------------------------------------------------------------------
# How long a worker trusts its cached "last change" (portal/middleware.py) before it asks
# the database again. Saves in the same process update it at once; other processes see
# them through the cache only when CACHES is shared.
PORTAL_LAST_CHANGE_CACHE_SECONDS = int(os.environ.get("PORTAL_LAST_CHANGE_CACHE_SECONDS", "300"))

# --- Static files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Authentication ----------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
