"""Settings for the portal, read from the environment with safe local defaults.

A local run needs no environment at all: SQLite in the project folder, DEBUG off,
localhost only. A production run (DEBUG off and a public host) must be given a
real DJANGO_SECRET_KEY or it refuses to start.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
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
elif IS_PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a real secret key in production: at least 50 characters, not a "
        "'django-insecure' development key. Make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# The public address that every absolute URL names (canonical, og:url, JSON-LD, the API's links,
# the sitemap, feeds, robots.txt), whatever Host or X-Forwarded-Proto a client sends
# (public/addresses.py). In production it defaults to https:// and the first allowed host; a local
# run uses each request's own address.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
if not PORTAL_BASE_URL and IS_PRODUCTION:
    if ALLOWED_HOSTS[0].startswith(".") or "*" in ALLOWED_HOSTS[0]:
        raise ImproperlyConfigured(
            "Set PORTAL_BASE_URL (e.g. https://conferences.example.org): the first of DJANGO_ALLOWED_HOSTS "
            f"({ALLOWED_HOSTS[0]}) is a pattern, not the site's address."
        )
    PORTAL_BASE_URL = f"https://{ALLOWED_HOSTS[0]}"

# --- Applications -------------------------------------------------------------

INSTALLED_APPS = [
    # First, so that its loaddata (which restores history as it was) takes the place of
    # modeltranslation's and Django's (core/management/commands/loaddata.py).
    "core",
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
    # Locks the admin's login after repeated failures (see "Security" below).
    "axes",
    # The Content-Security-Policy header (see "Security" below).
    "csp",
    # Cross-origin reads of the API, the CSVs and the feeds (see "Cross-origin reads" below).
    "corsheaders",
    # The API (django-ninja): listed so its docs page serves Swagger UI from our static files.
    "ninja",
    # The portal's apps, bottom to top (core, first in this list, is the bottom one); each imports
    # only from those before it. The domain: participants <- organizations <- conferences.
    "participants",
    "organizations",
    "conferences",
    # The search index, kept current by its own receivers.
    "search",
    # The public site: every page, the API, feeds, sitemaps, and the HTTP machinery around them.
    "public",
]

# Order matters:
# - RequestIdMiddleware outermost, so every answer (static files and errors included) carries
#   an X-Request-ID and is logged once, with its duration.
# - CorsMiddleware next: it answers preflight requests itself, and every answer it lets through
#   (a cached page, a refusal) leaves with its CORS headers.
# - HeadMiddleware next, so every HEAD answer leaves without a body, and a HEAD to the API is
#   answered by everything below as a GET, page cache included.
# - SecurityMiddleware (its redirect to https sees the client's own scheme), then the public
#   address (public/addresses.py) for everything below, then the other security headers (CSP,
#   Permissions-Policy), then the health checks, which answer before anything that reads the
#   database or checks the host, then the refusal of overlong addresses and of NUL characters,
#   before any view can pass one to the database; then the API's JSON 404 and 405, which take the
#   place of other answers.
# - ReplicaMiddleware (only with read replicas) next, before anything reads the database: it
#   chooses the server each request reads, the site's version included (public/replicas.py).
# - PageCacheMiddleware next: a cached public page is answered from there, with the ETag and
#   Last-Modified it was stored with, and skips everything below.
# - WhiteNoise right after it, so static files skip the rest.
# - SessionMiddleware before LocaleMiddleware, which may read the session.
# - LocaleMiddleware before CommonMiddleware, so APPEND_SLASH redirects keep the language.
# - GZipMiddleware (Django's, at a faster level: public/compression.py) above
#   ConditionalGetMiddleware, so the ETag hashes the uncompressed body: the same in every worker
#   and for every answer (gzip adds random bytes against BREACH), and the page cache keeps pages
#   already compressed. GZipMiddleware marks it weak (W/) when it compresses; If-None-Match
#   compares weakly, so either form revalidates to a 304.
# - ConditionalGetMiddleware above everything else that shapes a response; LastModifiedMiddleware
#   right below it, so the Last-Modified header is there when ConditionalGetMiddleware decides on
#   a 304 (responses go up the list).
MIDDLEWARE = [
    "public.request_log.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "public.api_http.HeadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "public.addresses.PublicAddressMiddleware",
    "public.security.ContentSecurityPolicyMiddleware",
    "public.security.PermissionsPolicyMiddleware",
    "public.health.HealthCheckMiddleware",
    "public.security.RejectLongAddressMiddleware",
    "public.security.RejectNulMiddleware",
    "public.api_http.ApiErrorsMiddleware",
    "public.replicas.ReplicaMiddleware",
    "public.middleware.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "public.compression.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "public.middleware.LastModifiedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
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

# Streaming read replicas of that database (PostgreSQL): DATABASE_REPLICA_URLS, comma-separated,
# each written like DATABASE_URL, become the aliases replica1, replica2… Public pages read from one
# of them; writes, the admin, editors, the seed loader, migrations and every command use the primary
# ("default"). A replica that is down or lags is left aside (core/replicas.py, public/replicas.py).
# Without any, there is no router and nothing changes.
PORTAL_REPLICA_ALIASES = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    replica = dj_database_url.parse(
        url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True,
    )
    if replica["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer this fast counts as down, and reads go to the primary.
        replica.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(os.environ.get("PORTAL_REPLICA_CONNECT_TIMEOUT", "2"))
        )
    # Tests read the primary's test database through it, and never create or flush one of its own.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
    PORTAL_REPLICA_ALIASES.append(f"replica{number}")
# Statements that a kept connection runs again and again (each page's queries, request after
# request) are prepared: from their DJANGO_DB_PREPARE_THRESHOLD-th run on a connection, psycopg has
# PostgreSQL keep them parsed and planned, and the parameters are bound on the server. Parsing and
# planning were most of PostgreSQL's time on a page. 0 turns it off (parameters bound in the SQL
# text by psycopg, nothing prepared), as a PgBouncer in transaction pooling mode before 1.21 needs.
DATABASE_PREPARE_THRESHOLD = int(os.environ.get("DJANGO_DB_PREPARE_THRESHOLD", "5"))
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        # The portal runs many small indexed queries: PostgreSQL's JIT compiler costs more to
        # start (hundreds of milliseconds) than it ever saves on them.
        options["options"] = "-c jit=off"
        if DATABASE_PREPARE_THRESHOLD > 0:
            options["server_side_binding"] = True
            options["prepare_threshold"] = DATABASE_PREPARE_THRESHOLD
if PORTAL_REPLICA_ALIASES:
    DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]
# A browser that wrote (an editor who just saved, then logged out) reads the primary for this many
# seconds after: longer than replicas normally lag.
PORTAL_READ_YOUR_WRITES_SECONDS = float(os.environ.get("PORTAL_READ_YOUR_WRITES_SECONDS", "10"))
# A replica whose replay is further behind than this is left aside until it catches up.
PORTAL_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("PORTAL_REPLICA_MAX_LAG_SECONDS", "5"))
# Each process asks each replica how far behind it is at most this often.
PORTAL_REPLICA_CHECK_SECONDS = float(os.environ.get("PORTAL_REPLICA_CHECK_SECONDS", "1"))
# A replica found down is tried again after this many seconds; meanwhile reads go to the primary.
PORTAL_REPLICA_RETRY_SECONDS = float(os.environ.get("PORTAL_REPLICA_RETRY_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# dumpdata --format=xml (the backup) can write a history row whose record was deleted since
# (core/xml_serializer.py).
SERIALIZATION_MODULES = {"xml": "core.xml_serializer"}

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

# --- Caching ----------------------------------------------------------------------------
# Local memory by default; Redis when REDIS_URL is set (shared by every worker process and node).
# An edit drops the cached pages that show what it changed, by tag (core/tags.py,
# public/page_cache.py). Each process's own memory cannot hear of an edit made in another, so
# there pages also key on the site's version (core/state.py): any edit drops them all.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "public.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "portal"),
            # A Redis that does not answer within these seconds counts as down (public/cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Whole public answers, for this many seconds (0 turns the page cache off).
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "600"))
PORTAL_PAGE_CACHE_ALIAS = "default"
PORTAL_PAGE_CACHE_SHARED = bool(REDIS_URL)
# The header that names a public answer's cache tags, for an HTTP cache in front that purges by
# them (Varnish's xkey module reads "xkey"); empty: not sent.
PORTAL_CACHE_TAG_HEADER = os.environ.get("PORTAL_CACHE_TAG_HEADER", "")
# While Redis is unreachable, pages are served uncached and Redis is asked again after this many seconds.
PORTAL_CACHE_RETRY_SECONDS = float(os.environ.get("PORTAL_CACHE_RETRY_SECONDS", "5"))

# --- An HTTP cache in front (Varnish: deploy/varnish/portal.vcl, docs/deployment.md) --------
# With the tag header on, an answer the page cache could keep also says how long a cache in front
# may keep it (Surrogate-Control: max-age); browsers still get Cache-Control: no-cache.
PORTAL_PROXY_CACHE_SECONDS = int(os.environ.get("PORTAL_PROXY_CACHE_SECONDS", "3600"))
# Where an edit sends `PURGE` with the tags it drops (`xkey-purge: tag1 tag2`): each Varnish's
# address, comma-separated; none by default, so nothing is sent.
PORTAL_PURGE_URLS = [url.strip() for url in os.environ.get("PORTAL_PURGE_URLS", "").split(",") if url.strip()]
PORTAL_PURGE_TIMEOUT = float(os.environ.get("PORTAL_PURGE_TIMEOUT", "2"))

# --- The About page -----------------------------------------------------------------

# Where readers send corrections; without one the About page names no address.
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "").strip()

# --- Static files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files clients ask for at the site's root, served there by WhiteNoise: /favicon.ico, /apple-touch-icon.png.
WHITENOISE_ROOT = BASE_DIR / "public" / "root"
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

# Password guessing on the admin's login (django-axes): after AXES_FAILURE_LIMIT failures for
# one user name, or from one address, further logins for it are refused for AXES_COOLOFF_TIME,
# and each lockout is logged (logger "axes"). AxesStandaloneBackend must come first: it refuses
# a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
# Per user, and separately per address: either one locks.
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# A successful login clears the failures of its own user name only, not those of the other names
# tried from the same address (public/security.py).
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "public.security.AxesHandler"
# Masked in axes's records of failed logins: the password (even a mistyped one) and the form's
# CSRF token. The user name and the address stay visible: a lockout's log line says who and where.
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]
# The visitor's address: REMOTE_ADDR, or behind DJANGO_PROXY_COUNT trusted proxies the entry
# they added to X-Forwarded-For (public/security.py).
AXES_CLIENT_IP_CALLABLE = "public.security.client_ip"
PORTAL_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))

# --- Security -----------------------------------------------------------------------
# `manage.py check --deploy --fail-level WARNING` passes in production (.ci/run checks it).
# HTTPS-only settings (secure cookies, the redirect to https, HSTS) are on in production only
# (DEBUG off and a public host), so `make run` on http://127.0.0.1 keeps working; each one can
# be set from the environment either way.

# The admin's address, e.g. DJANGO_ADMIN_PATH=editors-7f3a/ (robots.txt follows it).
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# The admin reads the CSRF token from its forms, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", IS_PRODUCTION)
# Load balancers probe the health checks over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if IS_PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# e.g. https://conferences.example.org: needed for the admin's forms behind some proxies.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses (public.security.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb",
    )
}

# Content-Security-Policy (django-csp): our own files only, no inline script or style anywhere
# (the admin and the API's Swagger UI included). `data:` images are the admin's and Swagger
# UI's small SVG icons in their stylesheets. The one style attribute allowed, by its hash, is
# django-simple-history's `style="border-top: 0"` on a history page's paginator.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Longer addresses (path and query) are answered 414 (public.security.RejectLongAddressMiddleware);
# gunicorn's own limit on the request line (gunicorn.conf.py) is set above it.
PORTAL_MAX_URL_LENGTH = 4096

# --- Cross-origin reads ------------------------------------------------------------
# A page on another site (a newsroom's) may read the API, its CSVs and the feeds from the
# browser (django-cors-headers): any origin, reading only, never with cookies, asking again with
# If-None-Match and reading the ETag. Nothing else (the pages, the admin) is open to other origins.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/|[a-z]{2}/feeds/)"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-modified-since", "if-none-match", "x-requested-with"]
CORS_EXPOSE_HEADERS = ["ETag", "X-Request-ID"]
CORS_ALLOW_CREDENTIALS = False

# --- Logging ------------------------------------------------------------------------
# One JSON object per line on standard error, each with the request id that the response's
# X-Request-ID header carries (public/request_log.py). Lines hold the method, path, status and
# duration, never a body, a cookie or a header: no password or session id reaches the log.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "public.request_log.RequestIdFilter"}},
    "formatters": {"json": {"()": "public.request_log.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json"},
    },
    "loggers": {
        "portal.request": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
                           "propagate": False},
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A read replica left aside (down, lagging) and read again.
        "portal.replicas": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Not its start-up banner on every command.
        "axes.apps": {"level": "WARNING"},
    },
}
