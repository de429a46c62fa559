"""What a deployment is: a digest of the files it changes, and when the newest of them changed.

Cached answers (public/middleware.py) and remembered summaries (core.state.remember) are keyed by
the release, so that what one release kept is never read by another: a page's markup, or a
summary's shape, may differ between them while the data is the same.
"""

import datetime
import hashlib
import os
from functools import cache

from django.conf import settings

# What a deployment changes that alters pages without touching the data.
CODE_DIRECTORIES = (
    "templates", "locale", "portal", "core", "participants", "organizations", "conferences", "search", "public",
)
CODE_SUFFIXES = (".html", ".txt", ".xml", ".mo", ".py")


def code_files():
    for name in CODE_DIRECTORIES:
        for root, _dirs, files in os.walk(settings.BASE_DIR / name):
            for file_name in sorted(files):
                if file_name.endswith(CODE_SUFFIXES):
                    yield os.path.join(root, file_name)


@cache
def code_last_change():
    newest = max((os.stat(path).st_mtime for path in code_files()), default=0.0)
    return datetime.datetime.fromtimestamp(newest, tz=datetime.UTC)


@cache
def code_release():
    """A digest of what a deployment changes: pages cached by another release are not this one's.
    Of the files' contents, not their dates, so that nodes deployed from the same release share."""
    digest = hashlib.sha256()
    for path in sorted(code_files()):
        with open(path, "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:12]
