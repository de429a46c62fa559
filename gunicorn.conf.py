"""gunicorn settings for `make run` and production.

Environment: PORT (8000), BIND (127.0.0.1:$PORT), WEB_CONCURRENCY (the number of CPUs),
GUNICORN_FORWARDED_ALLOW_IPS (none).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# One sync worker per CPU: a page is mostly its worker's own CPU, and more workers than CPUs take
# turns on the cores, with each other and with PostgreSQL on the same machine. With 2 CPUs, 2
# workers served more uncached pages a second than 5 (gunicorn's usual 2 x CPUs + 1) in 34 of 36
# pairings, from 5% more for search to 34% more for the API's record (bench/workers.py,
# docs/performance.md). A node whose database is across a network waits longer on it for each page,
# and may take a few more (docs/deployment.md).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are not recycled by default (0); set GUNICORN_MAX_REQUESTS to recycle after that many
# requests, with jitter so they don't all restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# gunicorn's largest request line, far above the portal's own limit on an address
# (PORTAL_MAX_URL_LENGTH, 4096): a longer address gets the portal's clear 414, not gunicorn's
# bare HTML 400.
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The addresses whose X-Forwarded-Proto (and other forwarded headers) gunicorn believes: none by
# default, so no client makes a request look https. Set it to the TLS proxy's address, comma-separated.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "")
# `kill -HUP <master pid>` reloads the code gracefully, worker by worker.
preload_app = False


def post_worker_init(worker):
    """Moves what the worker has loaded (Django, the apps, the address patterns) out of the
    garbage collector's sight, as gc.freeze() is meant for. Each full collection walked every one of
    those objects again: at 10,000 conferences it held the worker for 50 to 150 ms, about once a
    thousand requests, and the requests queued behind it waited as long (docs/performance.md)."""
    from importlib import import_module

    from django.conf import settings

    if settings.configured:  # the portal's application set Django up (a test's may not use Django)
        import_module(settings.ROOT_URLCONF)  # now, with the views it imports, not on the first request
    gc.collect()
    gc.freeze()
