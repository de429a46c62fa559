"""The site's state: one version counter bumped by every change to the portal's records.

- Every save, delete or link change of a tracked record bumps it (signals below).
- Bulk writers that bypass signals (generate_synthetic) call `bump()` themselves.
- Each public request reads it once (`current(request)`): the page cache keys on the
  version, and Last-Modified is its `changed_at`. Reading it from the database, not from
  a per-process cache, is what makes an edit visible at once in every worker.
- `remember()` keeps a summary that reads whole tables (counts for the home page, the list's
  filter options) in the cache for the current version, so it is never older than the data.
"""

import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from portal.models import SiteState, TrackedModel

STATE_PK = 1


def _read():
    """The row by primary key in plain SQL: every cached page pays for this read, and the
    ORM would cost more than the page cache's own lookup."""
    table = connection.ops.quote_name(SiteState._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {table} WHERE id = %s", [STATE_PK])
        row = cursor.fetchone()
    if row is None:
        return None
    version, changed_at = row
    if timezone.is_naive(changed_at):  # SQLite keeps UTC without a zone
        changed_at = changed_at.replace(tzinfo=datetime.UTC)
    return SiteState(pk=STATE_PK, version=version, changed_at=changed_at)


def current(request=None):
    """The SiteState row, read once per request."""
    if request is not None and hasattr(request, "_site_state"):
        return request._site_state
    state = _read()
    if state is None:
        state, _created = SiteState.objects.get_or_create(pk=STATE_PK)
    if request is not None:
        request._site_state = state
    return state


def remember(request, name, compute, seconds=3600):
    """compute(), kept in the cache for this version of the data and this language."""
    key = f"{name}:{current(request).version}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def bump():
    """Record that the portal's data changed just now."""
    updated = SiteState.objects.filter(pk=STATE_PK).update(version=F("version") + 1, changed_at=timezone.now())
    if not updated:
        SiteState.objects.get_or_create(pk=STATE_PK)


def note_change(sender, instance=None, raw=False, **kwargs):
    """Bump in the writer's own transaction: a rolled-back edit rolls the bump back too."""
    if raw or not isinstance(instance, TrackedModel):
        return
    bump()


def connect_signals():
    post_save.connect(note_change, dispatch_uid="portal.state.save")
    post_delete.connect(note_change, dispatch_uid="portal.state.delete")
    m2m_changed.connect(note_change, dispatch_uid="portal.state.m2m")
