"""The render benchmark: the CPU time Django spends drawing each page (and the API's conference
record), in-process.

wrk (bench/run.py) measures a page through gunicorn, with PostgreSQL and wrk itself on the same
cores; this measures what the portal's own code costs. Each page is rendered through the whole
handler (middleware, view, templates) with Django's test client, the page cache off
(PORTAL_PAGE_CACHE_SECONDS=0); what `core.state.remember()` keeps per data version (the home
page's counts, the list's filter options) stays cached, as in production. The figure is the
median process CPU time (time.process_time) of one render, after a warm-up: the time
PostgreSQL spends answering is not in it, the time spent reading its answers is.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> python bench/render.py
    python bench/render.py --profile --write docs/performance.md --section current

The database must hold the synthetic conferences (manage.py generate_synthetic --conferences
10000, which also makes 540 countries). bench/run.py calls `measure()` on its database.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, machine, median
from common import write_section as write_markdown_section

# Milliseconds of CPU per uncached render at 10,000 conferences.
BUDGETS = {
    "home (en)": 8,
    "home (ar)": 8,
    "conference list": 8,
    "conference list, filtered": 8,
    "conference page": 8,
    "country page": 12,
    "countries index": 12,
    "API detail": 8,
}
CONFERENCE = "synthetic-5000"
START = "<!-- render:{section}:start -->"
END = "<!-- render:{section}:end -->"
HEADINGS = {
    "before": "Render CPU before the render work",
    "current": "Render CPU",
}


def pages():
    """(name, path) of each page measured; the country is the one at the most conferences, the
    conference synthetic-5000 (the middle one of 10,000) or, with fewer, the middle one."""
    from django.db.models import Count

    from conferences.models import Conference
    from participants.models import Country

    conference = CONFERENCE
    if not Conference.objects.filter(slug=conference).exists():
        slugs = Conference.objects.order_by("pk").values_list("slug", flat=True)
        conference = slugs[len(slugs) // 2] if slugs else conference

    country = (
        Country.objects.annotate(n=Count("participations")).order_by("-n", "code").values_list("code", flat=True)
    ).first()
    country = (country or "ly").lower()
    return [
        ("home (en)", "/en/"),
        ("home (ar)", "/ar/"),
        ("conference list", "/en/conferences/"),
        ("conference list, filtered", f"/en/conferences/?country={country}&role=participant"),
        ("conference page", f"/en/conferences/{conference}/"),
        ("country page", f"/en/countries/{country}/"),
        ("countries index", "/en/countries/"),
        ("API detail", f"/api/v1/conferences/{conference}/"),
    ]


def setup():
    os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def client():
    from django.test import Client

    return Client(HTTP_HOST="localhost")


def render(browser, path):
    response = browser.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answers {response.status_code}, not 200: fix the path before measuring it.")
    return response


def time_page(browser, path, renders, warm):
    for _ in range(warm):
        render(browser, path)
    times = []
    for _ in range(renders):
        started = time.process_time()
        render(browser, path)
        times.append((time.process_time() - started) * 1000)
    return median(times)


def profile_page(browser, path, renders, top):
    """The functions that take the most time over `renders` renders, by their own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        render(browser, path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    lines = out.getvalue().splitlines()
    # From the table's header on: the totals line first, then the functions.
    total = next((line.strip() for line in lines if "function calls" in line), "")
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    return "\n".join([f"{total}, {renders} renders", *(line.rstrip() for line in lines[start:] if line.strip())])


def run_here(renders, warm, profile_renders, top):
    """Every figure, in this process: {"pages": [...], "profiles": {...}}."""
    setup()
    browser = client()
    figures = []
    for name, path in pages():
        ms = time_page(browser, path, renders, warm)
        figures.append({"name": name, "path": path, "ms": round(ms, 2), "budget": BUDGETS[name]})
    profiles = {}
    if profile_renders:
        for name, path in pages():
            if name in ("home (en)", "conference list", "conference page", "country page", "countries index"):
                profiles[name] = profile_page(browser, path, profile_renders, top)
    return {"pages": figures, "profiles": profiles}


def measure(env, renders=30, warm=5, profile_renders=10, top=12, runs=3):
    """The figures on the database of `env` (its DATABASE_URL), each the median of `runs` runs of
    this script, each run in a fresh process; the profiles of the last run."""
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, str(Path(__file__)), "--json", "--renders", str(renders), "--warm", str(warm),
             "--profile-renders", str(profile_renders), "--top", str(top), "--runs", "1"],
            cwd=ROOT, env=env, text=True, capture_output=True,
        )
        if done.returncode:
            raise SystemExit(f"bench/render.py failed:\n{done.stderr[-3000:]}")
        results.append(json.loads(done.stdout))
    pages_ = []
    for index, page in enumerate(results[0]["pages"]):
        runs_ms = [result["pages"][index]["ms"] for result in results]
        pages_.append(dict(page, ms=round(median(runs_ms), 2), runs=runs_ms))
    return {"pages": pages_, "profiles": results[-1]["profiles"], "runs": runs, "renders": renders}


def verdict(page):
    return "PASS" if page["ms"] <= page["budget"] else "FAIL"


def report_lines(figures):
    lines = [
        "| page | path | median CPU ms per render | budget ms | |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for page in figures["pages"]:
        lines.append(f"| {page['name']} | `{page['path']}` | {page['ms']:.1f} | {page['budget']} | {verdict(page)} |")
    lines += [
        "",
        f"Each figure is the median of {figures['runs']} runs, each the median of {figures['renders']} renders in a "
        "fresh process after a warm-up; the runs' own figures: "
        + "; ".join(f"{page['name']} {', '.join(f'{ms:.1f}' for ms in page['runs'])}" for page in figures["pages"])
        + ".",
    ]
    for name, text in figures["profiles"].items():
        lines += ["", f"Profile of the {name} (cProfile, by own time):", "", "```", text, "```"]
    return lines


def sections(text):
    """The render sections of a report, from the heading of the first one to the end."""
    found = [text.index(START.format(section=section)) for section in HEADINGS if START.format(section=section) in text]
    if not found:
        return ""
    heading = text.rfind("\n## ", 0, min(found))
    return text[heading + 1:] if heading >= 0 else ""


def write_section(path, section, figures, described=""):
    """Puts the figures in `path` between this section's markers, or at the end under its heading."""
    on = f" on: {described}." if described else "."
    intro = f"Measured on {time.strftime('%Y-%m-%d')} by `bench/render.py`{on}"
    write_markdown_section(path, START.format(section=section), END.format(section=section),
                           [intro, "", *report_lines(figures)], HEADINGS[section])


def print_figures(figures):
    for page in figures["pages"]:
        print(f"{verdict(page)}  {page['name']:26} {page['ms']:6.1f} ms  (budget {page['budget']} ms)  {page['path']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--renders", type=int, default=30, help="Timed renders per page; the median is reported.")
    parser.add_argument("--warm", type=int, default=5, help="Renders per page before timing.")
    parser.add_argument("--runs", type=int, default=3, help="Runs, each in a fresh process; the median is reported.")
    parser.add_argument("--profile", action="store_true", help="Print a profile of each main page.")
    parser.add_argument("--profile-renders", type=int, default=10)
    parser.add_argument("--top", type=int, default=12, help="Functions shown per profile.")
    parser.add_argument("--write", metavar="MARKDOWN", help="Write the figures into this file.")
    parser.add_argument("--section", choices=sorted(HEADINGS), default="current")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run_here(args.renders, args.warm, args.profile_renders, args.top)))
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL should name a PostgreSQL database with the synthetic conferences.", file=sys.stderr)
    profile_renders = args.profile_renders if args.profile or args.write else 0
    figures = measure(dict(os.environ), args.renders, args.warm, profile_renders, args.top, args.runs)
    print_figures(figures)
    if args.profile:
        for name, text in figures["profiles"].items():
            print(f"\n{name}\n{text}")
    if args.write:
        write_section(Path(args.write), args.section, figures, machine())
    return 0 if all(verdict(page) == "PASS" for page in figures["pages"]) else 1


if __name__ == "__main__":
    sys.exit(main())
