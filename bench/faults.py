"""The fault run: `make faults`. Redis and PostgreSQL stopped under load, on their own ports.

1. Starts a PostgreSQL cluster of its own (Debian's pg_createcluster, port 5440) and a redis-server
   of its own (port 6390), so stopping them disturbs nothing else; loads the seeds.
2. Serves the portal with gunicorn (gunicorn.conf.py, DEBUG off), the page cache on, in Redis.
3. Drives the soak mix (bench/soak.lua) with wrk at 16 connections, and meanwhile stops Redis,
   starts it again, then stops PostgreSQL and starts it again.
4. Checks: no answer is a 500; while Redis is down pages still answer 200 (uncached); while
   PostgreSQL is down a cached page still answers 200 (from Redis or a worker's copy) and a page
   that needs the database (an editor's, with a session cookie) 503; afterwards every page of the
   mix answers 200 again.
5. Prints the figures and writes them into docs/reliability.md (between the faults markers).
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import PYTHON, ROOT, Server, gunicorn_workers, machine, run, write_section, wrk
from soak import REPORT, SCRIPT, check_pages, page_mix

START, END = "<!-- faults:start -->", "<!-- faults:end -->"
LOGS = ROOT / "bench" / "results"
CLUSTER = "portal-faults"
DATABASE = "portal_faults"


def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


class PrivatePostgres:
    def __init__(self, port):
        self.port, self.version = port, pg_version()

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def create(self):
        self.drop()
        run("pg_createcluster", "-p", str(self.port), self.version, CLUSTER, "--", "--auth=trust", capture=True)
        self.start()
        self.psql(f'CREATE DATABASE "{DATABASE}"', "postgres")

    def psql(self, sql, database=DATABASE):
        return run("psql", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c", sql,
                   database, capture=True)

    def start(self):
        run("pg_ctlcluster", self.version, CLUSTER, "start")

    def stop(self):
        run("pg_ctlcluster", self.version, CLUSTER, "stop", "-m", "fast")

    def drop(self):
        run("pg_dropcluster", "--stop", self.version, CLUSTER, check=False, capture=True)


class PrivateRedis:
    def __init__(self, port):
        self.port, self.process = port, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Probe(threading.Thread):
    """Four times a second, one page, the same page with a session cookie (as an editor, whom the
    page cache neither serves nor stores for) and /readyz: what a reader, an editor and a monitor
    see at each moment."""

    def __init__(self, base, path):
        super().__init__(daemon=True)
        self.base, self.path = base, path
        self.samples = []  # (seconds since start, page status, readyz status, page status for an editor)
        self.stopping = threading.Event()

    @staticmethod
    def status(url, headers=None):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def run(self):
        started = time.monotonic()
        while not self.stopping.is_set():
            self.samples.append((time.monotonic() - started, self.status(self.base + self.path),
                                 self.status(self.base + "/readyz"),
                                 self.status(self.base + self.path, {"Cookie": "sessionid=an-editor"})))
            self.stopping.wait(0.25)

    def during(self, start, end):
        return [sample for sample in self.samples if start + 1 <= sample[0] <= end]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=gunicorn_workers())
    parser.add_argument("--port", type=int, default=8210)
    parser.add_argument("--pg-port", type=int, default=5440)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--output", default=str(REPORT))
    args = parser.parse_args()
    for tool in ("wrk", "redis-server", "pg_createcluster"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed")
    LOGS.mkdir(parents=True, exist_ok=True)

    postgres, redis = PrivatePostgres(args.pg_port), PrivateRedis(args.redis_port)
    # (seconds into the run, what happens)
    timeline = [(8, "stop Redis", redis.stop), (18, "start Redis", redis.start),
                (26, "stop PostgreSQL", postgres.stop), (36, "start PostgreSQL", postgres.start)]
    seconds = 50
    print("Starting a PostgreSQL cluster and a Redis of the run's own…", flush=True)
    postgres.create()
    redis.start()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
        env.update(DATABASE_URL=postgres.url, REDIS_URL=redis.url, DJANGO_DEBUG="0", PORTAL_PAGE_CACHE_SECONDS="600",
                   DJANGO_CACHE_KEY_PREFIX="faults")
        for command in (("migrate", "--noinput", "-v0"), ("load_seeds", "-v0"),
                        ("collectstatic", "--noinput", "-v0")):
            run(PYTHON, "manage.py", *command, env=env)
        paths = soak_paths(postgres)
        paths_file = LOGS / "faults-paths.txt"
        paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        with Server(env, args.port, LOGS / "gunicorn-faults.log", workers=args.workers) as server:
            check_pages(server.base, paths)
            probe = Probe(server.base, paths[2])
            events = []

            def faults():
                started = time.monotonic()
                for at, label, action in timeline:
                    time.sleep(max(0.0, at - (time.monotonic() - started)))
                    action()
                    events.append((round(time.monotonic() - started, 1), label))
                    print(f"  {events[-1][0]:5.1f} s  {label}", flush=True)

            injector = threading.Thread(target=faults, daemon=True)
            print(f"Load: {args.connections} connections for {seconds} s, with faults:", flush=True)
            probe.start()
            injector.start()
            result = wrk(server.base + "/", seconds, connections=args.connections, script=SCRIPT,
                         env=dict(env, SOAK_PATHS=str(paths_file)))
            injector.join()
            probe.stopping.set()
            probe.join()
            time.sleep(2)
            recovered = True
            try:
                check_pages(server.base, paths)
            except (OSError, RuntimeError) as error:
                recovered, result["recovery_error"] = False, str(error)
        log = (LOGS / "gunicorn-faults.log").read_text(errors="replace")
    finally:
        redis.stop()
        postgres.drop()

    counts = {key: int(value) for key, value in
              re.findall(r"(\w+)=(\d+)", re.search(r"^SOAK .*$", result["output"], re.M).group(0))}
    redis_down = [page for _t, page, _ready, _editor in probe.during(8, 18)]
    redis_ready = [ready for _t, _page, ready, _editor in probe.during(8, 18)]
    postgres_down = [page for _t, page, _ready, _editor in probe.during(26, 36)]
    postgres_down_editor = [editor for _t, _page, _ready, editor in probe.during(26, 36)]
    checks = [
        ("no answer is a 500", counts["500"] == 0 and '"status": 500' not in log,
         f"{counts['500']} answers of 500 to wrk, {log.count(chr(34) + 'status' + chr(34) + ': 500')} in the log"),
        ("pages answer 200 while Redis is down", bool(redis_down) and set(redis_down) == {200},
         f"{len(redis_down)} probes: {sorted(set(redis_down))}"),
        ("/readyz answers 200 while Redis is down (the database is fine)", bool(redis_ready)
         and set(redis_ready) == {200}, f"{sorted(set(redis_ready))}"),
        ("a cached page answers 200 while PostgreSQL is down", bool(postgres_down) and set(postgres_down) == {200},
         f"{len(postgres_down)} probes: {sorted(set(postgres_down))}"),
        ("a page that needs the database (an editor's) answers 503 while PostgreSQL is down",
         bool(postgres_down_editor) and set(postgres_down_editor) == {503},
         f"{len(postgres_down_editor)} probes: {sorted(set(postgres_down_editor))}"),
        ("every page answers 200 once both are back", recovered, result.get("recovery_error", "all 200")),
    ]
    print()
    print(f"{result['requests']:,} requests in {seconds} s: 2xx {counts['2xx']:,}, 503 {counts['503']:,}, "
          f"500 {counts['500']}, other 4xx/5xx {counts['4xx'] + counts['5xx'] - counts['503'] - counts['500']}")
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}  ({detail})")
    write_report(Path(args.output), args, seconds, events, result, counts, checks, len(paths))
    return 0 if all(ok for _, ok, _ in checks) else 1


def soak_paths(postgres):
    """The soak's page mix, read from this run's own database."""
    def first(sql):
        value = postgres.psql(sql).stdout.strip()
        if not value:
            raise RuntimeError(f"nothing found by: {sql}")
        return value.splitlines()

    return page_mix(first)


def write_report(path, args, seconds, events, result, counts, checks, pages):
    lines = [
        f"Measured on {datetime.date.today().isoformat()} by `make faults` (`bench/faults.py`) on: {machine()}.",
        f"PostgreSQL (a cluster of the run's own) with the seed data; Redis (its own, 64 MB, allkeys-lru) holding the "
        f"page cache; gunicorn with {args.workers} sync workers, DEBUG off; wrk at {args.connections} connections "
        f"for {seconds} s over the soak's {pages} addresses, while:",
        "",
        *(f"- at {at:.0f} s: {label}" for at, label in events),
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| requests | {result['requests']:,} |",
        f"| answers 2xx | {counts['2xx']:,} |",
        f"| answers 503 (PostgreSQL down) | {counts['503']:,} |",
        f"| answers 500 | {counts['500']} |",
        f"| other 4xx and 5xx | {counts['4xx'] + counts['5xx'] - counts['503'] - counts['500']} |",
        "",
        "Checks:",
        "",
        *(f"- {'PASS' if ok else 'FAIL'}: {label} ({detail})" for label, ok, detail in checks),
    ]
    write_section(path, START, END, lines, "Faults under load")

if __name__ == "__main__":
    sys.exit(main())
