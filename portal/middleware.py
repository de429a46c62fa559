"""HTTP caching that crawlers and link checkers respect.

Every successful GET or HEAD of a public address (not the admin) gets a Last-Modified
header: the time of the portal's last change. Django's ConditionalGetMiddleware, placed
above this one in MIDDLEWARE, then adds an ETag computed from the body and answers 304
to a matching If-None-Match or If-Modified-Since.

The last change is the later of:
- the last write to the portal's data: kept in the cache, set by a signal whenever a
  tracked record is saved, deleted or has its links changed, and otherwise read with one
  aggregate query over the indexed `updated_at` and `history_date` columns (the history
  tables also record deletions);
- the newest template, translation or code file, so a deployment that changes how a page
  looks is not hidden behind an old date.

The cached value lasts PORTAL_LAST_CHANGE_CACHE_SECONDS. Other worker processes see a
change through the cache only if it is shared (Redis, Memcached); with the local-memory
default they may keep an older date for that long, which only matters to a client that
sends If-Modified-Since without If-None-Match (the ETag is always exact).

Pages get `Cache-Control: no-cache` unless they set their own: a browser may keep a copy
but must ask again each time, so an edit shows at once and an unchanged page costs a 304.
"""

import datetime
import os
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

CACHE_KEY = "portal:last-change"
SAFE_METHODS = ("GET", "HEAD")
# What a deployment changes that alters pages without touching the data.
CODE_DIRECTORIES = ("templates", "locale", "portal", "conferences", "organizations", "participants")
CODE_SUFFIXES = (".html", ".txt", ".xml", ".mo", ".py")


def _tracked_model():
    from portal.models import TrackedModel

    return TrackedModel


def change_columns():
    """(table, column) pairs whose maximum is the time of the last write."""
    tracked = _tracked_model()
    columns = []
    for model in apps.get_models():
        if issubclass(model, tracked):
            columns.append((model._meta.db_table, model._meta.get_field("updated_at").column))
        elif getattr(model, "instance_type", None) is not None and issubclass(model.instance_type, tracked):
            # django-simple-history's tables: a deletion leaves a row here, dated.
            columns.append((model._meta.db_table, model._meta.get_field("history_date").column))
    return columns


def data_last_change():
    """The time of the last write to the portal's tables, in one query."""
    quote = connection.ops.quote_name
    arms = " UNION ALL ".join(
        f"SELECT MAX({quote(column)}) AS t FROM {quote(table)}" for table, column in change_columns()
    )
    with connection.cursor() as cursor:
        # The table and column names come from the models, quoted: nothing from outside.
        cursor.execute(f"SELECT MAX(t) FROM ({arms}) changes")
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite keeps datetimes as text
        value = parse_datetime(value)
    if value is None:
        return None
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


@cache
def code_last_change():
    newest = 0.0
    for name in CODE_DIRECTORIES:
        for root, _dirs, files in os.walk(settings.BASE_DIR / name):
            for file_name in files:
                if file_name.endswith(CODE_SUFFIXES):
                    newest = max(newest, os.stat(os.path.join(root, file_name)).st_mtime)
    return datetime.datetime.fromtimestamp(newest, tz=datetime.UTC)


def last_change():
    """The portal's last change, as an aware datetime."""
    data = default_cache.get(CACHE_KEY)
    if data is None:
        data = data_last_change() or code_last_change()
        default_cache.set(CACHE_KEY, data, settings.PORTAL_LAST_CHANGE_CACHE_SECONDS)
    return max(data, code_last_change())


def note_change(sender, instance=None, **kwargs):
    """Receiver for post_save, post_delete and m2m_changed: the data changed just now."""
    if kwargs.get("raw"):
        return
    if isinstance(instance, _tracked_model()):
        default_cache.set(CACHE_KEY, timezone.now(), settings.PORTAL_LAST_CHANGE_CACHE_SECONDS)


def connect_signals():
    post_save.connect(note_change, dispatch_uid="portal.last_change.save")
    post_delete.connect(note_change, dispatch_uid="portal.last_change.delete")
    m2m_changed.connect(note_change, dispatch_uid="portal.last_change.m2m")


@cache
def private_prefixes():
    return (reverse("admin:index"),)


class LastModifiedMiddleware:
    """Adds Last-Modified (and Cache-Control: no-cache) to public GET and HEAD answers.

    Sits below django.middleware.http.ConditionalGetMiddleware, which uses the header
    to answer 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in SAFE_METHODS
            and response.status_code == 200
            and not response.streaming
            and not request.path_info.startswith(private_prefixes())
        ):
            if not response.has_header("Last-Modified"):
                response.headers["Last-Modified"] = http_date(last_change().timestamp())
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, no_cache=True)
        return response
