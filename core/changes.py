"""Work that follows a change to the records, done once per transaction, after it commits.

Receivers of post_save, post_delete and m2m_changed (core.state for the site's version, search
for its index) hand what they learnt to `after_commit(handler, *items)`: `handler(items)` runs
once when the outermost transaction commits, with every item collected during it, and never
when it rolls back. Outside a transaction it runs at once.

Bulk writers (the seed loader, the synthetic data generator) work inside `bulk_write()`:
receivers then collect nothing, and at the end `bulk_written` is sent once, after the commit,
for each kind of derived data to be rebuilt as a whole.
"""

import contextlib
import contextvars
import threading
import weakref

from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import Signal

# Sent after a bulk write commits: receivers rebuild what they derive from the records.
bulk_written = Signal()

_bulk = contextvars.ContextVar("bulk_write", default=False)
_waiting = threading.local()


class _Batch:
    """The items of one handler, waiting for one transaction's commit."""

    def __init__(self, handler):
        self.handler, self.items, self.done = handler, set(), False

    def run(self):
        self.done = True
        self.handler(self.items)


def after_commit(handler, *items, using=DEFAULT_DB_ALIAS):
    """Collect `items` for `handler`, which runs once after the current transaction commits.

    The batch waiting for this transaction is known by a weak reference: Django holds its
    callback until the commit, and lets it go with a rollback, so the next transaction starts
    a batch of its own.
    """
    waiting = _waiting.__dict__.setdefault(using, {})
    reference = waiting.get(handler)
    batch = reference() if reference is not None else None
    if batch is not None and not batch.done:
        batch.items.update(items)
        return
    batch = _Batch(handler)
    batch.items.update(items)
    waiting[handler] = weakref.ref(batch)
    transaction.on_commit(batch.run, using=using)


def in_bulk_write():
    return _bulk.get()


class BulkWrite:
    """What `bulk_write()` yields: set `changed` to False when nothing was written after all."""

    changed = True


@contextlib.contextmanager
def bulk_write(using=DEFAULT_DB_ALIAS):
    """Write many records at once: no work per record; `bulk_written` once after the commit."""
    token = _bulk.set(True)
    write = BulkWrite()
    try:
        yield write
    finally:
        _bulk.reset(token)
    if write.changed:
        transaction.on_commit(lambda: bulk_written.send(sender=None, using=using), using=using)
