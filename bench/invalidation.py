"""What an edit costs the page cache, measured on a running server (bench/run.py calls these).

- `after_one_edit`: warms a sample of pages (conference, country, organization and person
  pages in both languages, and the lists), edits one conference through the ORM in a process of
  its own (bench/editor.py), then asks for the sample again: the share of the other pages that
  still hit the cache (X-Cache), and whether the edited conference's page shows the edit at once.
- `edit_stream`: wrk over a mix of pages, without and then with an edit a second from
  bench/editor.py; the throughput of both runs.

On its own, against a synthetic database that bench/run.py made (served cached from Redis):

    python bench/invalidation.py --database portal_bench --port 8100 --redis redis://127.0.0.1:6379/2
"""

import argparse
import gzip
import random
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from common import PYTHON, ROOT, Server, environment, median, psql, run, wrk

HERE = Path(__file__).resolve().parent
HEADERS = {"Accept-Encoding": "gzip"}


def fetch(base, path):
    request = urllib.request.Request(base + path, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Cache", ""), response.read()


def sample(database, size, seed=17):
    """Paths of pages readers ask for: mostly conference pages, then countries, organizations, people."""
    randomly = random.Random(seed)

    def column(sql):
        return [value for value in psql(sql, database).stdout.split() if value]

    conferences = column("SELECT slug FROM conferences_conference WHERE slug LIKE 'synthetic-%' ORDER BY id")
    countries = column("SELECT lower(code) FROM participants_country ORDER BY id")
    organizations = column("SELECT slug FROM organizations_organization ORDER BY id")
    people = column("SELECT slug FROM participants_person ORDER BY id")
    paths = ["/en/", "/ar/", "/en/conferences/", "/ar/conferences/", "/en/countries/", "/ar/countries/"]
    for kind, slugs, share in (
        ("conferences", conferences, 0.6), ("countries", countries, 0.2),
        ("organizations", organizations, 0.1), ("people", people, 0.1),
    ):
        for slug in randomly.sample(slugs, min(len(slugs), int(size * share))):
            paths.append(f"/{randomly.choice(('ar', 'en'))}/{kind}/{slug}/")
    return paths


def editor(env, *args):
    return [PYTHON, str(HERE / "editor.py"), *args], dict(env)


def after_one_edit(base, env, database, size=400):
    paths = sample(database, size)
    for path in paths:
        fetch(base, path)
    warm = [path for path in paths if fetch(base, path)[0] == "hit"]
    command, editor_env = editor(env, "--once")
    edited = subprocess.run(command, env=editor_env, cwd=ROOT, check=True, capture_output=True, text=True)
    slug, summary = edited.stdout.strip().split("\t")
    edited_pages = {f"/{language}/conferences/{slug}/" for language in ("ar", "en")}
    others = [path for path in warm if path not in edited_pages]
    hits = sum(1 for path in others if fetch(base, path)[0] == "hit")
    shown = summary.encode() in gzip_body(fetch(base, f"/en/conferences/{slug}/")[1])
    return {
        "sample": len(paths), "warm": len(warm), "others": len(others), "hits": hits,
        "ratio": hits / len(others) if others else 0.0, "edit_shown": shown,
    }


def gzip_body(body):
    try:
        return gzip.decompress(body)
    except OSError:
        return body


def edit_stream(base, env, database, seconds, runs, size=400):
    """Median req/s over a mix of pages, without edits and with an edit a second."""
    paths = sample(database, size, seed=23)
    for path in paths:
        fetch(base, path)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    script_env = {"SOAK_PATHS": listing.name}
    figures = {"quiet": [], "editing": [], "edits": 0}
    for _run in range(runs):
        figures["quiet"].append(wrk(base + "/", seconds, script=HERE / "soak.lua", env=script_env)["rps"])
        command, editor_env = editor(env, "--per-second", "1", "--seconds", str(seconds))
        process = subprocess.Popen(command, env=editor_env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            process.stdout.readline()  # its first edit: Django takes a while to start
            figures["editing"].append(wrk(base + "/", seconds, script=HERE / "soak.lua", env=script_env)["rps"])
            # It stops by itself after as long as wrk ran, with its count.
            output, _ = process.communicate(timeout=seconds + 120)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        figures["edits"] += int(output.split()[-1]) if output.strip() else 0
    Path(listing.name).unlink()
    quiet, editing = median(figures["quiet"]), median(figures["editing"])
    return {"quiet": quiet, "editing": editing, "ratio": editing / quiet if quiet else 0.0, "edits": figures["edits"]}


def report(base, env, database, seconds, runs):
    """Both measurements, printed; their lines for docs/performance.md and their checks."""
    edit = after_one_edit(base, env, database)
    print(f"after one edit: {edit['hits']} of {edit['others']} other warm pages still hit ({edit['ratio']:.1%}); "
          f"the edit {'shows' if edit['edit_shown'] else 'does NOT show'} at once", flush=True)
    stream = edit_stream(base, env, database, seconds, runs)
    print(f"edit stream: {stream['quiet']:.0f} req/s without edits, {stream['editing']:.0f} req/s with an edit a "
          f"second ({stream['edits']} edits, {stream['ratio']:.0%})", flush=True)
    checks = [
        ("after one edit to a conference, ≥ 95% of a warm sample of other pages still hit", edit["ratio"] >= 0.95,
         f"{edit['ratio']:.1%} of {edit['others']}"),
        ("the edited conference's page shows the edit at once", edit["edit_shown"], ""),
        ("an edit a second leaves the cached throughput within 10%", stream["ratio"] >= 0.90,
         f"{stream['ratio']:.0%}"),
    ]
    lines = [
        "## An edit and the page cache",
        "",
        "Cached pages are tagged with the records they show (`core/tags.py`); an edit drops only the pages that "
        "carry its tags (`public/page_cache.py`). Measured on the cached server above (`bench/invalidation.py`):",
        "",
        f"- One edit to a conference (`bench/editor.py`, a transaction through the ORM, as the admin saves): of a "
        f"warm sample of {edit['sample']} pages (conference, country, organization and person pages in both "
        f"languages, and the lists), {edit['hits']} of the {edit['others']} that do not belong to the edited "
        f"conference still hit ({edit['ratio']:.1%}); the conference's own page "
        f"{'showed' if edit['edit_shown'] else 'did not show'} the edit on the next request.",
        f"- wrk at 16 connections over a mix of {400 + 6} pages, {runs} runs of {seconds} s: {stream['quiet']:.0f} "
        f"req/s without edits, {stream['editing']:.0f} req/s with an edit a second from `bench/editor.py` "
        f"({stream['edits']} edits in all): {stream['ratio']:.0%} of the throughput without edits.",
        "",
        "Where an edit's cost goes: it drops the conference's own pages; when it changes the card's name, "
        "dates, status or place (`core.tags.part`), the pages that show its card or a link to it (the lists, "
        "the pages about its host country and its series, and the pages of the topics, countries, "
        "organizations and people at it), and those about a new host country or series "
        "(`core.tags.about_parents`); and the lists that sort or count by a field it changed. Each worker "
        "hears the drop on a Redis channel and forgets those pages' copies, so they render again once and "
        "are read from Redis again once per worker. The summaries drawn from whole tables (the countries "
        "index's counts, the home page's counts, timeline and ways in, the list's "
        "filters) are kept under the tokens of the cache tags of what they read (`core.state.remember`). The "
        "rest is the edit itself, in the same cores: the editor's transaction, its history row and the search "
        "index's rows and words.",
        "",
    ]
    return lines, checks


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="portal_bench", help="A PostgreSQL database of synthetic conferences.")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2", help="The page cache; flushed first.")
    parser.add_argument("--seconds", type=int, default=5, help="Duration of one wrk run.")
    parser.add_argument("--runs", type=int, default=3, help="Runs of each; the median is reported.")
    args = parser.parse_args()
    env = environment(args.database, PORTAL_PAGE_CACHE_SECONDS="300", REDIS_URL=args.redis,
                      DJANGO_CACHE_KEY_PREFIX="portal-bench")
    # Pages kept by an earlier run may come from other code at the same data version.
    run("redis-cli", "-u", args.redis, "FLUSHDB", capture=True)
    logs = ROOT / "bench" / "results"
    logs.mkdir(parents=True, exist_ok=True)
    with Server(env, args.port, logs / "gunicorn-invalidation.log") as server:
        _lines, checks = report(server.base, env, args.database, args.seconds, args.runs)
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}  {detail}")
    return 0 if all(ok for _label, ok, _detail in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
