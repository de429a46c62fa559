"""gunicorn settings for `make run` and production.

Environment: PORT (8000), BIND (127.0.0.1:$PORT), WEB_CONCURRENCY (2 x CPUs + 1).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is recycled after this many requests, with jitter so they don't restart together.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# `kill -HUP <master pid>` reloads the code gracefully, worker by worker.
preload_app = False
