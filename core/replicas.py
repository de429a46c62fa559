"""Reads from streaming replicas, everything else from the primary.

Settings turn DATABASE_REPLICA_URLS into the aliases replica1, replica2… (PORTAL_REPLICA_ALIASES)
and install `ReplicaRouter` only when there is at least one.

- Nothing reads a replica unless told to: outside a request that public/replicas.py let go to a
  replica (`reading_from(alias)`), the router answers "default" for reads as for writes. So the
  admin, the seed loader, migrations, backups and every other command use the primary without
  knowing there are replicas.
- Within such a request, every read goes to the one replica chosen at its start: the site's
  version (core/state.py) and the page's data then come from the same server, so a page is never
  cached under a version newer than its data (public/replicas.py keeps caches from storing a page
  from a replica behind the primary).
- A request that writes (the router is asked where to write) reads the primary from then on, as
  does a read inside a transaction on the primary: it sees what it wrote.
- `choose()` leaves aside a replica that is down or lags. Django connects lazily, so a replica
  that is down would show only at the first query, as an error. Instead each request's replica
  is connected (and the kept connection checked, as CONN_HEALTH_CHECKS would at the first query)
  before the request reads it; a failure marks the replica down for PORTAL_REPLICA_RETRY_SECONDS,
  and the request reads the primary. How far the replica's replay lags is asked at most every
  PORTAL_REPLICA_CHECK_SECONDS per process; beyond PORTAL_REPLICA_MAX_LAG_SECONDS the primary is
  read until it catches up.
"""

import contextlib
import contextvars
import logging
import random
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, connections

logger = logging.getLogger("portal.replicas")

# Seconds the replica's replay is behind: 0 when it has replayed all it received (after a restart
# it reports having received less: streaming starts again at the segment's start). Otherwise the
# age of the last transaction it replayed, which can only overstate the lag (after a quiet spell
# on the primary), never understate it; infinite when it has replayed none since it started.
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8, 'Infinity'::float8)
    END
"""


class Route:
    """Where the current request reads: `alias`; `wrote` once it has written."""

    def __init__(self, alias):
        self.alias, self.wrote = alias, False


_route = contextvars.ContextVar("replica_route", default=None)


@contextlib.contextmanager
def reading_from(alias):
    """Within the block, reads go to `alias` (until something writes); yields the Route."""
    route = Route(alias)
    token = _route.set(route)
    try:
        yield route
    finally:
        _route.reset(token)


def aliases():
    return getattr(settings, "PORTAL_REPLICA_ALIASES", [])


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or route.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return route.alias

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None:
            route.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias is the same database.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# --- Which replicas are fit to read -------------------------------------------------------

# alias -> (fit to read, monotonic time until which that holds, why not). Per process: each
# worker finds out for itself, with one cheap query a second at most.
_known = {}


def forget():
    """Drop what this process knows of the replicas (tests)."""
    _known.clear()


def lag(alias):
    """Seconds the replica's replay is behind; raises DatabaseError when it cannot be reached."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def _connect(alias):
    """Connect the replica's connection now, as its first query would."""
    connection = connections[alias]
    connection.close_if_health_check_failed()
    connection.ensure_connection()


def _mark(alias, fit, seconds, reason=""):
    was = _known.get(alias)
    if fit and was is not None and not was[0]:
        logger.info("replica %s is read again", alias)
    elif not fit and (was is None or was[0] or was[2] != reason):
        logger.warning("replica %s is left aside: %s", alias, reason)
    _known[alias] = (fit, time.monotonic() + seconds, reason)


def mark_down(alias, error=None):
    """The replica failed: read the primary instead for PORTAL_REPLICA_RETRY_SECONDS."""
    # Closing a connection that broke may fail in its own way: it is dropped all the same.
    with contextlib.suppress(Exception):
        connections[alias].close()
    _mark(alias, False, settings.PORTAL_REPLICA_RETRY_SECONDS, f"unreachable ({type(error).__name__})")


def fit(alias):
    """True when the replica answers and lags no more than PORTAL_REPLICA_MAX_LAG_SECONDS."""
    known = _known.get(alias)
    try:
        if known is not None and time.monotonic() < known[1]:
            if known[0]:
                _connect(alias)
            return known[0]
        seconds = lag(alias)
    except (DatabaseError, InterfaceError) as error:
        mark_down(alias, error)
        return False
    if seconds > settings.PORTAL_REPLICA_MAX_LAG_SECONDS:
        _mark(alias, False, settings.PORTAL_REPLICA_CHECK_SECONDS, "lagging")
        return False
    _mark(alias, True, settings.PORTAL_REPLICA_CHECK_SECONDS)
    return True


def choose():
    """A replica fit to read from now, at random among them; the primary when there is none."""
    candidates = aliases()
    if len(candidates) > 1:
        candidates = random.sample(candidates, len(candidates))
    for alias in candidates:
        if fit(alias):
            return alias
    return DEFAULT_DB_ALIAS


def status():
    """{alias: "ok", "lagging" or "unreachable"} for each replica, as this process finds it now (/readyz)."""
    found = {}
    for alias in aliases():
        found[alias] = "ok" if fit(alias) else _known[alias][2].split(" ")[0]
    return found
