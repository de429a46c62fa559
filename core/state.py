"""The site's state: one version counter that every change to the portal's records moves on.

- A save, delete or link change of a tracked record bumps it once, after its transaction
  commits (core.changes): an editor's transaction takes no lock on it, and a rolled-back
  edit changes nothing. A bulk write bumps it once at the end.
- Each public request reads it once (`current(request)`): the page cache keys on the version,
  and Last-Modified is its `changed_at`. Reading it from the database, not from a per-process
  cache, is what makes an edit visible at once in every worker.
- `remember()` keeps a summary that reads whole tables (the home page's counts, the list's
  filter options) in the cache for as long as what it reads is unchanged (its cache tags'
  tokens, in a shared cache), or for the current version; so it is never older than the data.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, connections, router
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from . import tags
from .changes import after_commit, bulk_written, in_bulk_write
from .models import SiteState, TrackedModel
from .release import code_release

STATE_PK = 1
# The m2m_changed actions that have changed the links; the pre_ ones have not yet.
LINK_CHANGES = ("post_add", "post_remove", "post_clear")


def _read(using=None):
    """The row by primary key in plain SQL: every cached page pays for this read, and the
    ORM would cost more than the page cache's own lookup.

    Read where the request reads its data (the router's choice; a replica for a reader, see
    core/replicas.py): a lagging replica gives the old version with the old data, so a page is
    never cached under a version newer than what it shows."""
    connection = connections[using or router.db_for_read(SiteState)]
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
    if request is not None and hasattr(request, "site_state"):
        return request.site_state
    state = _read()
    if state is None:
        state, _created = SiteState.objects.get_or_create(pk=STATE_PK)
    if request is not None:
        request.site_state = state
    return state


def committed_version():
    """The version on the primary database now: as the latest committed change left it."""
    row = _read(DEFAULT_DB_ALIAS)
    return row.version if row is not None else 0


def remember(request, name, compute, seconds=3600, reads=()):
    """compute(), kept in the cache for this language while what it reads is unchanged. The answer
    that uses it carries the cache tags of what compute() read (core.tags), hit or miss.

    `reads`: the tags of everything compute() reads (core.tags.reads), so that an edit that
    changes none of it (a conference's summary, for the counts by country) leaves it kept. In a
    shared cache it is kept under their tokens, read before compute() reads the data: an edit
    that commits after that changes a token, and the value is not found again. A cache of each
    process's own cannot hear of an edit made in another: there, or without `reads`, it is kept
    for the data's version. Either way it is kept for the code's release (core.release), whose
    summaries may be shaped otherwise.
    """
    key, from_replica = None, False
    if reads and settings.PORTAL_PAGE_CACHE_SHARED:
        tagged = tags.tokens(caches[settings.PORTAL_PAGE_CACHE_ALIAS], reads)
        if tagged is not None:
            digest = hashlib.blake2b(repr(tagged[1]).encode(), digest_size=12).hexdigest()
            key = f"{name}:{code_release()}:{get_language()}:{digest}"
            from_replica = router.db_for_read(SiteState) != DEFAULT_DB_ALIAS
    if key is None:
        key = f"{name}:{code_release()}:{current(request).version}:{get_language()}"
    entry = cache.get(key)
    if entry is None:
        with tags.collecting() as shown:
            value = compute()
        entry = (value, frozenset(shown))
        # Read from a replica behind the primary, it may be older than the tokens: kept only if
        # the version it was read at is the primary's.
        if not from_replica or is_latest(current(request).version, unknown=False):
            cache.set(key, entry, seconds)
    value, shown = entry
    tags.add(*shown)
    return value


def is_latest(version, unknown):
    """True while `version` is the primary's; `unknown` when the primary cannot be asked."""
    try:
        return committed_version() <= version
    except (DatabaseError, InterfaceError):
        return unknown


def bump(using=DEFAULT_DB_ALIAS):
    """Record that the portal's data changed just now."""
    updated = SiteState.objects.using(using).filter(pk=STATE_PK).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        SiteState.objects.using(using).get_or_create(pk=STATE_PK)


def _bump_once(items):
    for using in items:
        bump(using)


def record_changed(sender, instance=None, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if raw or in_bulk_write() or not isinstance(instance, TrackedModel):
        return
    after_commit(_bump_once, using, using=using)


def links_changed(sender, instance=None, action="", using=DEFAULT_DB_ALIAS, **kwargs):
    if action in LINK_CHANGES:
        record_changed(sender, instance, using=using)


def bulk_write_finished(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    bump(using)


def connect_signals():
    post_save.connect(record_changed, dispatch_uid="core.state.save")
    post_delete.connect(record_changed, dispatch_uid="core.state.delete")
    m2m_changed.connect(links_changed, dispatch_uid="core.state.links")
    bulk_written.connect(bulk_write_finished, dispatch_uid="core.state.bulk")
