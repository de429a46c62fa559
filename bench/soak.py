"""The soak test: `make soak`.

1. Loads the seeds into a fresh PostgreSQL database (or, with --synthetic N, N synthetic
   conferences) and collects the static files.
2. Serves it with gunicorn (gunicorn.conf.py, DEBUG off) on loopback, and checks that every page
   of the mix answers 200.
3. Warms the workers up, then drives the mix with wrk (bench/soak.lua rotates over the pages)
   at 16 connections for 60 seconds, while sampling every worker's resident memory once a second
   from /proc/<pid>/status and noting any worker that appears or disappears (a restart).
4. Checks: zero errors (socket errors, 4xx or 5xx answers), no worker restarts, and each
   worker's memory flat: the median of the last 10 s within 10% of the median of the first 10 s.
5. Prints the figures and writes them into docs/reliability.md (between the soak markers).

The page cache is off unless --page-cache says otherwise, so every request reaches the views,
the templates and the database: that is where a leak would show.
"""

import argparse
import datetime
import os
import re
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import (
    ROOT,
    Server,
    database_has,
    environment,
    fresh_database,
    gunicorn_workers,
    machine,
    median,
    psql,
    rss_kib,
    timed_manage,
    write_section,
    wrk,
)

SOAK_DB = "portal_soak"
LOGS = ROOT / "bench" / "results"
SCRIPT = ROOT / "bench" / "soak.lua"
REPORT = ROOT / "docs" / "reliability.md"
START, END = "<!-- soak:start -->", "<!-- soak:end -->"
WINDOW = 10  # seconds at each end of the run whose memory is compared
MEMORY_LIMIT = 0.10  # at most 10% growth per worker


def prepare(synthetic):
    fresh_database(SOAK_DB)
    env = environment(SOAK_DB)
    timed_manage(env, "migrate", "--noinput", "-v0")
    if synthetic:
        timed_manage(env, "generate_synthetic", "--conferences", str(synthetic))
    else:
        timed_manage(env, "load_seeds", "-v0")
    timed_manage(env, "collectstatic", "--noinput", "-v0")
    psql("ANALYZE", SOAK_DB)


def first(sql):
    value = database_has(SOAK_DB, sql)
    if not value:
        raise RuntimeError(f"nothing found by: {sql}")
    return value.splitlines()


def page_mix(first=first):
    """A mix of what visitors and API clients ask for, in both languages; `first` runs a query on the data."""
    conferences = first("SELECT slug FROM conferences_conference ORDER BY start_date DESC NULLS LAST, slug LIMIT 3")
    country = first(
        "SELECT lower(c.code) FROM participants_country c JOIN conferences_conference f ON f.host_country_id = c.id "
        "GROUP BY c.code ORDER BY count(*) DESC, c.code LIMIT 1"
    )[0]
    person = first("SELECT slug FROM participants_person ORDER BY slug LIMIT 1")[0]
    organization = first("SELECT slug FROM organizations_organization ORDER BY slug LIMIT 1")[0]
    topic = first("SELECT slug FROM conferences_topic ORDER BY slug LIMIT 1")[0]
    arabic_query = urllib.parse.quote("ليبيا")
    return [
        "/ar/",
        "/en/",
        "/ar/conferences/",
        "/en/conferences/",
        f"/en/conferences/?country={country}",
        *(f"/ar/conferences/{slug}/" for slug in conferences),
        *(f"/en/conferences/{slug}/" for slug in conferences[:2]),
        "/en/countries/",
        f"/ar/countries/{country}/",
        f"/en/countries/{country}/",
        "/en/people/",
        f"/ar/people/{person}/",
        f"/en/organizations/{organization}/",
        "/ar/topics/",
        f"/en/topics/{topic}/",
        "/en/sources/",
        "/api/v1/conferences/",
        f"/api/v1/conferences/{conferences[0]}/",
        f"/api/v1/countries/{country.upper()}/",
        "/api/v1/people/",
        "/en/search/?q=CISSA",
        f"/ar/search/?q={arabic_query}",
        "/en/feeds/conferences.atom",
        "/sitemap.xml",
    ]


def check_pages(base, paths):
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")


class MemorySampler(threading.Thread):
    """Once a second: every worker's RSS. Workers that appear or vanish are restarts."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.samples = []  # (seconds since start, {pid: KiB})
        self.initial = set(server.worker_pids())
        self.seen = set(self.initial)
        self.stopping = threading.Event()

    def run(self):
        started = time.monotonic()
        while not self.stopping.is_set():
            pids = self.server.worker_pids()
            self.seen.update(pids)
            self.samples.append((time.monotonic() - started, {pid: rss_kib(pid) for pid in pids}))
            self.stopping.wait(1.0)

    def stop(self):
        self.stopping.set()
        self.join()

    @property
    def restarts(self):
        return len(self.seen - self.initial)

    def per_worker(self):
        """For each worker present from start to end: first-window and last-window median RSS, KiB."""
        end = self.samples[-1][0]
        rows = []
        for pid in sorted(self.initial):
            head = [s[pid] for t, s in self.samples if t < WINDOW and s.get(pid)]
            tail = [s[pid] for t, s in self.samples if t > end - WINDOW and s.get(pid)]
            if head and tail:
                rows.append({"pid": pid, "first": median(head), "last": median(tail),
                             "peak": max(s.get(pid) or 0 for _t, s in self.samples)})
        return rows


def wait_for_workers(server, count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(server.worker_pids()) >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start {count} workers")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=10, help="Seconds of load before measuring.")
    parser.add_argument("--workers", type=int, default=gunicorn_workers(),
                        help="gunicorn workers (default: as gunicorn.conf.py, WEB_CONCURRENCY or one per CPU).")
    parser.add_argument("--synthetic", type=int, default=0, help="Soak N synthetic conferences instead of the seeds.")
    parser.add_argument("--page-cache", type=int, default=0, help="PORTAL_PAGE_CACHE_SECONDS (0: off).")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--output", default=str(REPORT))
    args = parser.parse_args()
    LOGS.mkdir(parents=True, exist_ok=True)

    print(f"Preparing {'synthetic data' if args.synthetic else 'the seeds'} on PostgreSQL…", flush=True)
    prepare(args.synthetic)
    paths = page_mix()
    paths_file = LOGS / "soak-paths.txt"
    paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    env = environment(SOAK_DB, PORTAL_PAGE_CACHE_SECONDS=str(args.page_cache))
    wrk_env = dict(env, SOAK_PATHS=str(paths_file))
    log_path = LOGS / "gunicorn-soak.log"

    with Server(env, args.port, log_path, workers=args.workers) as server:
        wait_for_workers(server, args.workers)
        check_pages(server.base, paths)
        print(f"{len(paths)} pages answer 200; warming up for {args.warmup} s…", flush=True)
        warmup = wrk(server.base + "/", args.warmup, connections=args.connections, script=SCRIPT, env=wrk_env)
        load_before = os.getloadavg()[0]
        sampler = MemorySampler(server)
        sampler.start()
        print(f"Soaking: {args.connections} connections for {args.seconds} s…", flush=True)
        result = wrk(server.base + "/", args.seconds, connections=args.connections, script=SCRIPT, env=wrk_env)
        load_after = os.getloadavg()[0]
        time.sleep(1.5)  # one more sample after the load
        sampler.stop()
        # Restarts are also logged by gunicorn's master.
        booted = log_path.read_text(errors="replace").count("Booting worker")

    counts = dict(re.findall(r"(\w+)=(\d+)", re.search(r"^SOAK .*$", result["output"], re.M).group(0)))
    counts = {key: int(value) for key, value in counts.items()}
    workers = sampler.per_worker()
    for row in workers:
        row["growth"] = (row["last"] - row["first"]) / row["first"]
    errors = result["errors"] + counts["4xx"] + counts["5xx"] + warmup["errors"]
    restarts = sampler.restarts + max(0, booted - args.workers)
    checks = [
        ("zero errors (socket errors, 4xx and 5xx answers)", errors == 0, f"{errors} errors"),
        ("no worker restarts", restarts == 0, f"{restarts} restarts"),
        (f"memory per worker within {MEMORY_LIMIT:.0%} between the first and last {WINDOW} s",
         bool(workers) and all(abs(row["growth"]) <= MEMORY_LIMIT for row in workers),
         "largest change " + (f"{max((row['growth'] for row in workers), key=abs):+.1%}" if workers else "n/a")),
    ]

    print()
    print(f"{result['requests']} requests in {args.seconds} s: {result['rps']:.0f} req/s, "
          f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms")
    print(f"answers: 2xx {counts['2xx']}, 3xx {counts['3xx']}, 4xx {counts['4xx']}, 5xx {counts['5xx']}; "
          f"socket errors and non-2xx/3xx (wrk): {result['errors']}")
    for row in workers:
        print(f"worker {row['pid']}: {row['first'] / 1024:.1f} MiB → {row['last'] / 1024:.1f} MiB "
              f"({row['growth']:+.1%}), peak {row['peak'] / 1024:.1f} MiB")
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}  ({detail})")
    print(f"load average (1 min) before and after: {load_before:.1f}, {load_after:.1f}")
    write_report(Path(args.output), args, paths, result, counts, workers, restarts, checks, (load_before, load_after))
    return 0 if all(ok for _, ok, _ in checks) else 1


def write_report(path, args, paths, result, counts, workers, restarts, checks, load):
    data = f"{args.synthetic:,} synthetic conferences" if args.synthetic else "the seed data"
    lines = [
        f"Measured on {datetime.date.today().isoformat()} by `make soak` (`bench/soak.py`) on: {machine()}.",
        f"PostgreSQL with {data}; gunicorn (`gunicorn.conf.py`, {args.workers} sync workers, DEBUG off, "
        f"page cache {'off' if not args.page_cache else f'{args.page_cache} s'}); wrk on loopback at "
        f"{args.connections} connections for {args.seconds} s after a {args.warmup} s warm-up, rotating over "
        f"{len(paths)} addresses (`bench/soak.lua`): home, lists, conference, country, person, organization and "
        "topic pages in Arabic and English, the API, search, the feed and the sitemap.",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| requests | {result['requests']:,} |",
        f"| throughput | {result['rps']:.0f} req/s |",
        f"| latency p50 / p99 | {result['p50']:.1f} ms / {result['p99']:.1f} ms |",
        f"| answers 2xx / 3xx / 4xx / 5xx | {counts['2xx']:,} / {counts['3xx']} / {counts['4xx']} / {counts['5xx']} |",
        f"| socket errors and non-2xx/3xx answers (wrk) | {result['errors']} |",
        f"| worker restarts | {restarts} |",
        f"| machine load average (1 min) before / after | {load[0]:.1f} / {load[1]:.1f} |",
        "",
        f"Resident memory of each worker, median of the first and of the last {WINDOW} s of the run "
        "(sampled once a second from `/proc/<pid>/status`):",
        "",
        "| worker | first 10 s | last 10 s | change | peak |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for number, row in enumerate(workers, 1):
        lines.append(f"| {number} | {row['first'] / 1024:.1f} MiB | {row['last'] / 1024:.1f} MiB | "
                     f"{row['growth']:+.1%} | {row['peak'] / 1024:.1f} MiB |")
    lines += ["", "Checks:", ""]
    for label, ok, detail in checks:
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {label} ({detail})")
    write_section(path, START, END, lines, "Soak test")

if __name__ == "__main__":
    sys.exit(main())
