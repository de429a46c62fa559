"""The portal served as in production, for the tests that put something in front of it or run two
nodes: gunicorn with the project's gunicorn.conf.py on a loopback port, and Django commands run
in processes of their own against the same database.

    env = environment(database_url, PORTAL_CACHE_TAG_HEADER="xkey")
    manage(env, "migrate")
    shell(env, "from conferences.models import Conference; ...")
    with Gunicorn(env) as node:
        urllib.request.urlopen(node.base + "/en/")
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The test settings (cheap hashing, static files from their sources), with the page cache read from
# the environment as in production.
SETTINGS = "tests.served_settings"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url, **extra):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PORTAL_"))}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=SETTINGS, GUNICORN_ACCESS_LOG="/dev/null",
               WEB_CONCURRENCY="2", **extra)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=300)


def shell(env, code):
    """Runs Python code with Django set up, in a process of its own (as an editor's request would)."""
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_for_port(port, process, log_path, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, Path(log_path).read_text()
            time.sleep(0.2)


class Gunicorn:
    """gunicorn on a free loopback port; its output goes to `log_path`."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.env = dict(env, PORT=str(self.port))
        self.log_path = log_path

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.port, self.process, self.log_path)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
