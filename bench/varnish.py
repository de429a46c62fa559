"""Varnish in front of gunicorn: `python bench/varnish.py`.

Serves the seed data on PostgreSQL with gunicorn (the page cache in Redis, as in production) and
the project's VCL (deploy/varnish/portal.vcl) in front, then drives the same pages with wrk at 16
connections through Varnish (its hits) and on gunicorn directly (the page cache's hits), with
/healthz on gunicorn as the ceiling of the stack. Writes the figures into docs/deployment.md.

Needs varnishd with vmod_xkey (Debian's varnish and varnish-modules), wrk, PostgreSQL and Redis
on 127.0.0.1.
"""

import argparse
import datetime
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import (
    ROOT,
    Server,
    database_has,
    environment,
    fresh_database,
    machine,
    median,
    psql,
    run,
    timed_manage,
    write_section,
    wrk,
)

DATABASE = "varnish_bench"
REDIS_URL = "redis://127.0.0.1:6379/14"
HEADERS = ("Accept-Encoding: gzip, deflate, br",)
LOGS = ROOT / "bench" / "results"
START, END = "<!-- varnish-bench -->", "<!-- /varnish-bench -->"


class Varnish:
    def __init__(self, port, backend_port, directory):
        self.port, self.directory = port, Path(directory)
        vcl = (ROOT / "deploy" / "varnish" / "portal.vcl").read_text()
        self.vcl = self.directory / "portal.vcl"
        self.vcl.write_text(vcl.replace('.port = "8000";', f'.port = "{backend_port}";'))

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-a", f"127.0.0.1:{self.port}", "-f", str(self.vcl),
             "-n", str(self.directory / "work"), "-s", "malloc,256m"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2).close()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("varnishd did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(url, seconds, runs):
    wrk(url, 1, headers=HEADERS)  # warms every worker and Varnish
    results = [wrk(url, seconds, headers=HEADERS) for _ in range(runs)]
    return {key: median([r[key] for r in results]) for key in ("rps", "p50", "p99")} | {
        "errors": sum(r["errors"] for r in results)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="Duration of one wrk run.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per measurement; the median is reported.")
    parser.add_argument("--port", type=int, default=18310, help="gunicorn's port; Varnish takes the next one.")
    parser.add_argument("--output", default=str(ROOT / "docs" / "deployment.md"))
    args = parser.parse_args()
    LOGS.mkdir(parents=True, exist_ok=True)

    env = environment(DATABASE, REDIS_URL=REDIS_URL, DJANGO_CACHE_KEY_PREFIX="varnish-bench",
                      PORTAL_PAGE_CACHE_SECONDS="300", PORTAL_CACHE_TAG_HEADER="xkey")
    if database_has(DATABASE, "SELECT count(*) FROM conferences_conference") in (None, "0"):
        fresh_database(DATABASE)
        timed_manage(env, "migrate", "--noinput", "-v0")
        timed_manage(env, "load_seeds", "-v0")
    timed_manage(env, "migrate", "--noinput", "-v0")
    timed_manage(env, "collectstatic", "--noinput", "-v0")
    run("redis-cli", "-u", REDIS_URL, "FLUSHDB", capture=True)
    slug = psql("SELECT slug FROM conferences_conference ORDER BY slug LIMIT 1", DATABASE).stdout.strip()
    pages = [("home", "/en/"), ("conference list", "/en/conferences/"), ("conference page", f"/en/conferences/{slug}/")]

    rows = []
    with Server(env, args.port, LOGS / "gunicorn-varnish.log") as server, \
            tempfile.TemporaryDirectory() as directory, Varnish(args.port + 1, args.port, directory) as varnish:
        ceiling = measure(server.base + "/healthz", args.seconds, args.runs)
        rows.append(("gunicorn", "/healthz", "/healthz", ceiling))
        for name, path in pages:
            for where, base in (("gunicorn, page cache", server.base), ("Varnish", varnish.base)):
                result = measure(base + path, args.seconds, args.runs)
                rows.append((where, name, path, result))
                print(f"{where:22} {name:16} {result['rps']:8.0f} req/s  p50 {result['p50']:6.1f} ms  "
                      f"p99 {result['p99']:6.1f} ms  errors {result['errors']}", flush=True)

    lines = [
        f"Measured on {datetime.date.today().isoformat()} by `bench/varnish.py` on: {machine()}. The seed data on "
        "PostgreSQL, gunicorn with `gunicorn.conf.py` and the page cache in Redis, Varnish with "
        "`deploy/varnish/portal.vcl`; wrk at 16 connections asking for gzip, "
        f"{args.runs} runs of {args.seconds} s, medians. wrk, Varnish, gunicorn, PostgreSQL and Redis share the "
        "machine's cores.",
        "",
        "| served by | page | path | req/s | p50 ms | p99 ms | errors |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
        *(f"| {where} | {name} | `{path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
          for where, name, path, r in rows),
    ]
    write_section(Path(args.output), START, END, lines, "Varnish measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
