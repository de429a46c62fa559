"""Settings for the portal that tests serve under gunicorn (tests/served.py): the suite's, with the
page cache on or off as the environment says, as in production."""

import os

from portal.test_settings import *  # noqa: F403

PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "600"))
# As in production: a cache in each process's own memory keys pages on the site's version too.
PORTAL_PAGE_CACHE_SHARED = bool(REDIS_URL)  # noqa: F405
