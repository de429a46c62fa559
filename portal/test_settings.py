"""Fast settings for the test suite: cheap password hashing, plain static storage."""

from .settings import *  # noqa: F403
from .settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No collectstatic before the tests: WhiteNoise finds static files in the source folders,
# looking each up when asked (so it does not warn about a missing STATIC_ROOT either).
# The browser test's live server serves the stylesheet and the Arabic font this way.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The page cache is off in tests, so one test's cached page can't answer another's;
# tests/test_page_cache.py turns it on with a clean cache.
PORTAL_PAGE_CACHE_SECONDS = 0
# The suite runs in one process, whose memory is then the whole cache: pages key on their tags
# only, as with Redis.
PORTAL_PAGE_CACHE_SHARED = True
