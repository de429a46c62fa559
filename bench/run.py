"""The performance benchmark: `make bench`.

1. Loads the seeds into a fresh PostgreSQL database and times it.
2. Generates 10,000 synthetic conferences into another and times it.
3. Serves that database with gunicorn and drives each page with wrk at 16 connections, uncached
   (page cache off) and cached (Redis, as in production, or local memory with --cache locmem),
   beside the trivial /healthz endpoint as the ceiling of the stack. wrk asks for gzip, as
   every browser does.
4. Measures the page weight of a conference page on a first and a repeat visit.
5. Measures the CPU time of one uncached render of each page, in-process (bench/render.py).
6. Prints every figure, checks the targets, and writes docs/performance.md.

Each measurement is repeated (--runs) and the median is reported: these machines are shared.
"""

import argparse
import datetime
import gzip
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import invalidation
import render
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
    python_speed,
    run,
    speed_line,
    timed_manage,
    wrk,
)

BENCH_DB = "portal_bench"
SEEDS_DB = "portal_bench_seeds"
CONFERENCE = "synthetic-5000"
LOGS = ROOT / "bench" / "results"
# What a browser sends: pages travel compressed.
HEADERS = ("Accept-Encoding: gzip, deflate, br",)
REDIS_URL = "redis://127.0.0.1:6379/2"


def pages(country):
    return [
        ("home", "/en/"),
        ("conference list", "/en/conferences/"),
        ("conference page", f"/en/conferences/{CONFERENCE}/"),
        ("country page", f"/en/countries/{country}/"),
        ("search", "/en/search/?q=Hamza"),
        ("API detail", f"/api/v1/conferences/{CONFERENCE}/"),
    ]


def prepare(conferences, reuse, database=BENCH_DB, seeds=True):
    figures = {}
    if seeds:
        fresh_database(SEEDS_DB)
        env = environment(SEEDS_DB)
        timed_manage(env, "migrate", "--noinput", "-v0")
        figures["load_seeds"] = timed_manage(env, "load_seeds", "-v0")
        psql(f'DROP DATABASE IF EXISTS "{SEEDS_DB}"')

    env = environment(database)
    have = database_has(database, "SELECT count(*) FROM conferences_conference WHERE slug LIKE 'synthetic-%'")
    if reuse and have == str(conferences):
        figures["generate"] = None
    else:
        fresh_database(database)
        timed_manage(env, "migrate", "--noinput", "-v0")
        figures["generate"] = timed_manage(env, "generate_synthetic", "--conferences", str(conferences))
    timed_manage(env, "migrate", "--noinput", "-v0")
    timed_manage(env, "collectstatic", "--noinput", "-v0")
    # As autovacuum leaves a production database (it may be off on a test server): the visibility
    # map that index-only scans need, and the planner's statistics.
    psql("VACUUM (ANALYZE)", database)
    return figures, host_country(database)


def host_country(database):
    """The code of CONFERENCE's host country (the country page measured), or None without it."""
    return database_has(
        database,
        "SELECT lower(c.code) FROM conferences_conference f JOIN participants_country c ON c.id = f.host_country_id "
        f"WHERE f.slug = '{CONFERENCE}'",
    )


def measure_render(database):
    """The CPU time of one uncached render of each page (bench/render.py), printed."""
    print("Rendering each page in-process…", flush=True)
    rendered = render.measure(environment(database))
    render.print_figures(rendered)
    return rendered


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def answers_200(url):
    """A redirect would be measured instead of the page: refuse to measure anything but a 200."""
    try:
        status = urllib.request.build_opener(NoRedirects).open(url, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answers {status}, not 200: fix the path before measuring it.")


def measure(base, path, seconds, runs, warm):
    answers_200(base + path)
    if warm:
        # A short run, not counted, so every worker has the page (local memory is per worker).
        wrk(base + path, 1, headers=HEADERS)
    results = [wrk(base + path, seconds, headers=HEADERS) for _ in range(runs)]
    return {
        "rps": median([r["rps"] for r in results]),
        "p50": median([r["p50"] for r in results]),
        "p99": median([r["p99"] for r in results]),
        "errors": sum(r["errors"] for r in results),
        "requests": sum(r["requests"] for r in results),
    }


def fetch(url, encoding="br, gzip"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        return body, response.headers


def page_weight(base):
    """Compressed bytes of a conference page with its CSS and fonts (first visit), and of the page alone."""
    html, headers = fetch(f"{base}/en/conferences/{CONFERENCE}/")
    html_bytes = len(html)
    text = (gzip.decompress(html) if headers.get("Content-Encoding") == "gzip" else html)
    if headers.get("Content-Encoding") == "br":
        import brotli

        text = brotli.decompress(html)
    text = text.decode("utf-8")
    assets = set(re.findall(r'<link[^>]+href="(/static/[^"]+\.(?:css|woff2))"', text))
    assets |= set(re.findall(r'<script[^>]+src="(/static/[^"]+)"', text))
    total = html_bytes
    far_future = True
    for asset in sorted(assets):
        body, asset_headers = fetch(base + asset)
        total += len(body)
        far_future &= "max-age=315360000" in asset_headers.get("Cache-Control", "") or "immutable" in asset_headers.get(
            "Cache-Control", ""
        )
        if asset.endswith(".css"):
            css = body
            if asset_headers.get("Content-Encoding") == "gzip":
                css = gzip.decompress(body)
            elif asset_headers.get("Content-Encoding") == "br":
                import brotli

                css = brotli.decompress(body)
            for font in set(re.findall(r"url\(['\"]?([^)'\"]+\.woff2)", css.decode("utf-8"))):
                font_url = urllib.parse.urljoin(asset, font)
                if font_url not in assets:
                    assets.add(font_url)
                    font_body, _ = fetch(base + font_url)
                    total += len(font_body)
    return {"first": total, "repeat": html_bytes, "assets": sorted(assets), "far_future": far_future}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conferences", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=5, help="Duration of one wrk run.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per measurement; the median is reported.")
    parser.add_argument("--reuse", action="store_true", help="Reuse an existing synthetic database.")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--cache", choices=("redis", "locmem"), default="redis",
                        help=f"Page cache backend of the cached run (redis: {REDIS_URL}).")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--database", default=BENCH_DB, help="The PostgreSQL database of the synthetic conferences.")
    parser.add_argument("--render-only", action="store_true",
                        help="Only the in-process render figures (bench/render.py), without gunicorn and wrk.")
    args = parser.parse_args()
    LOGS.mkdir(parents=True, exist_ok=True)
    speed_before = python_speed()
    print(f"The machine's speed: a fixed Python workload in {speed_before:.1f} ms of CPU", flush=True)

    print(f"Preparing {args.conferences} synthetic conferences on PostgreSQL…", flush=True)
    figures, country = prepare(args.conferences, args.reuse, args.database, seeds=not args.render_only)
    rendered = measure_render(args.database)
    if args.render_only:
        render.write_section(Path(args.output), "current", rendered, machine())
        return 0 if all(render.verdict(page) == "PASS" for page in rendered["pages"]) else 1
    targets = pages(country)
    rows = []
    cache_env = {"REDIS_URL": REDIS_URL, "DJANGO_CACHE_KEY_PREFIX": "portal-bench"} if args.cache == "redis" else {}
    if args.cache == "redis":
        # Pages kept by an earlier run may come from other code at the same data version.
        run("redis-cli", "-u", REDIS_URL, "FLUSHDB", capture=True)
    for mode, cache_seconds in (("uncached", "0"), ("cached", "300")):
        env = environment(args.database, PORTAL_PAGE_CACHE_SECONDS=cache_seconds,
                          **(cache_env if mode == "cached" else {}))
        with Server(env, args.port, LOGS / f"gunicorn-{mode}.log") as server:
            ceiling = measure(server.base, "/healthz", args.seconds, args.runs, warm=False)
            rows.append((mode, "/healthz", "/healthz", ceiling, 1.0))
            print(f"{mode:9} {'/healthz':16} {ceiling['rps']:8.0f} req/s  p50 {ceiling['p50']:6.1f} ms  "
                  f"p99 {ceiling['p99']:6.1f} ms  errors {ceiling['errors']}", flush=True)
            for name, path in targets:
                result = measure(server.base, path, args.seconds, args.runs, warm=mode == "cached")
                ratio = result["rps"] / ceiling["rps"]
                rows.append((mode, name, path, result, ratio))
                print(f"{mode:9} {name:16} {result['rps']:8.0f} req/s  p50 {result['p50']:6.1f} ms  "
                      f"p99 {result['p99']:6.1f} ms  {ratio:6.0%} of /healthz  errors {result['errors']}", flush=True)
            if mode == "cached":
                weight = page_weight(server.base)
                edit_lines, edit_checks = invalidation.report(server.base, env, args.database, args.seconds, args.runs)

    checks = []
    conference = next(r for r in rows if r[0] == "uncached" and r[1] == "conference page")
    checks.append(("uncached conference page ≥ 35% of /healthz throughput", conference[4] >= 0.35,
                   f"{conference[4]:.0%}"))
    cached = [r for r in rows if r[0] == "cached" and r[1] != "/healthz"]
    checks.append(("cached pages ≥ 80% of /healthz throughput", all(r[4] >= 0.80 for r in cached),
                   f"lowest {min(r[4] for r in cached):.0%}"))
    worst_p99 = max(r[3]["p99"] for r in rows)
    checks.append(("p99 < 100 ms for every page at 16 connections", worst_p99 < 100, f"worst {worst_p99:.1f} ms"))
    errors = sum(r[3]["errors"] for r in rows)
    checks.append(("zero errors", errors == 0, f"{errors} errors"))
    checks.append(("conference page < 150 KB compressed on a first visit", weight["first"] < 150_000,
                   f"{weight['first'] / 1024:.1f} KB"))
    checks.append(("conference page < 30 KB on a repeat visit", weight["repeat"] < 30_000,
                   f"{weight['repeat'] / 1024:.1f} KB"))
    checks.append(("static files carry far-future cache headers", weight["far_future"], ""))
    checks += edit_checks
    if figures["generate"] is not None:
        checks.append((f"{args.conferences} conferences generated in < 2 minutes", figures["generate"] < 120,
                       f"{figures['generate']:.1f} s"))

    speed = speed_line(speed_before, python_speed())

    print()
    print(speed)
    print(f"load_seeds: {figures['load_seeds']:.1f} s")
    if figures["generate"] is not None:
        print(f"generate_synthetic --conferences {args.conferences}: {figures['generate']:.1f} s")
    print(f"page weight: first visit {weight['first'] / 1024:.1f} KB, repeat visit {weight['repeat'] / 1024:.1f} KB")
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}  {detail}")
    for page in rendered["pages"]:
        checks.append((f"{page['name']}: uncached render ≤ {page['budget']} ms of CPU", render.verdict(page) == "PASS",
                       f"{page['ms']:.1f} ms"))
    for label, ok, detail in checks[-len(rendered["pages"]):]:
        print(f"{'PASS' if ok else 'FAIL'}  {label}  {detail}")
    write_report(Path(args.output), args, figures, rows, weight, checks, speed, edit_lines)
    render.write_section(Path(args.output), "current", rendered, machine())
    return 0 if all(ok for _, ok, _ in checks) else 1


def write_report(path, args, figures, rows, weight, checks, speed, sections=()):
    lines = [
        "# Performance",
        "",
        f"Measured on {datetime.date.today().isoformat()} by `make bench` (`bench/run.py`) on: {machine()}.",
        f"PostgreSQL with {args.conferences:,} synthetic conferences; gunicorn with `gunicorn.conf.py` "
        f"({gunicorn_workers()} sync workers); "
        f"wrk at 16 connections asking for gzip, {args.runs} runs of {args.seconds} s each, medians reported; "
        f"the cached run keeps pages in {'Redis' if args.cache == 'redis' else 'local memory'}.",
        "The /healthz row is the ceiling of the stack on this machine; ratios are to it, measured in the same run.",
        "",
        "Reading the figures: \"uncached\" means the page cache is off; what pages count over whole tables (the "
        "home page's timeline counts and ways in, the countries index, the list's filter options and total, a "
        "country page's groups and map) is still kept while what it reads is unchanged, as in production. /healthz "
        "is answered by a middleware above the rest of the stack. wrk, the gunicorn workers, PostgreSQL and "
        "Redis all share the machine's cores, so a ratio says as much about the machine as about the code.",
        "",
        "| mode | page | path | req/s | p50 ms | p99 ms | ratio to /healthz | errors |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, name, path_, result, ratio in rows:
        lines.append(f"| {mode} | {name} | `{path_}` | {result['rps']:.0f} | {result['p50']:.1f} | "
                     f"{result['p99']:.1f} | {ratio:.0%} | {result['errors']} |")
    lines += [
        "",
        f"- {speed}",
        f"- Time to load the seeds (`load_seeds` into an empty, migrated database): {figures['load_seeds']:.1f} s.",
    ]
    if figures["generate"] is not None:
        lines.append(f"- Time to generate {args.conferences:,} conferences (`generate_synthetic`): "
                     f"{figures['generate']:.1f} s.")
    lines += [
        f"- Page weight of a conference page, compressed: {weight['first'] / 1024:.1f} KB on a first visit "
        f"(page, CSS and fonts), {weight['repeat'] / 1024:.1f} KB on a repeat visit (static files are cached "
        "with far-future headers).",
        "",
        *sections,
        "## Targets",
        "",
    ]
    for label, ok, detail in checks:
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {label}" + (f" ({detail})" if detail else ""))
    lines += [
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench      # needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Debian's wrk",
        "```",
        "",
        "`bench/run.py --help` lists the options (number of conferences, duration and number of runs). "
        "`bench/workers.py` serves the uncached pages with two worker counts side by side (by default "
        "2 × CPUs + 1 and one per CPU), on the same database.",
        "",
        "These machines are shared, and the same code runs faster or slower from one hour to the next: on "
        "one 2-CPU AMD EPYC, the conference page rendered in 9.2 ms of CPU in one run and in 17.4 ms in the "
        "next, an hour later. `make bench` therefore times a fixed Python workload before and after a run, "
        "and writes both under the run's table: compare runs whose workloads took about as long, and measure a "
        "change of the code against the code before it, in turns, on the same day.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    # The render sections (bench/render.py) follow; the figures from before the render work stay.
    kept = render.sections(path.read_text(encoding="utf-8")) if path.exists() else ""
    path.write_text("\n".join(lines) + (f"\n{kept}" if kept else ""), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
