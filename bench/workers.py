"""gunicorn's worker count, compared: the uncached pages of `make bench` served by N sync workers
and by M, taking turns, on the synthetic database `make bench` made.

    python bench/workers.py                      # 2 x CPUs + 1 against one per CPU
    python bench/workers.py --workers 3 2 --rounds 5

Each round starts a gunicorn for each worker count, side by side, and serves each page from each
in turn, so that a change in what the machine's other tenants take falls on every count alike; the
medians over the rounds are printed. PostgreSQL, wrk and gunicorn share the machine's cores, as in
`make bench`.
"""

import argparse
import contextlib
import os
import sys

from common import Server, environment, median, wrk
from run import BENCH_DB, CONFERENCE, HEADERS, LOGS, answers_200, host_country, pages


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, nargs="+", default=[2 * cpus + 1, cpus])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8, help="Duration of one wrk run.")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--database", default=BENCH_DB)
    args = parser.parse_args()
    country = host_country(args.database)
    if not country:
        raise SystemExit(f"{args.database} has no {CONFERENCE}: run `make bench` first.")
    LOGS.mkdir(parents=True, exist_ok=True)
    env = environment(args.database, PORTAL_PAGE_CACHE_SECONDS="0")
    figures = {}
    for round_ in range(1, args.rounds + 1):
        with contextlib.ExitStack() as servers:
            served = [
                (workers, servers.enter_context(
                    Server(env, args.port + index, LOGS / f"gunicorn-workers-{workers}.log", workers=workers)
                ))
                for index, workers in enumerate(args.workers)
            ]
            # Every count in turn on each page, the first one first in odd rounds and last in even ones.
            if round_ % 2 == 0:
                served.reverse()
            for name, path in pages(country):
                for workers, server in served:
                    answers_200(server.base + path)
                    wrk(server.base + path, 2, headers=HEADERS)  # every worker warm
                    result = wrk(server.base + path, args.seconds, headers=HEADERS)
                    figures.setdefault((name, workers), []).append(result)
                    print(f"round {round_}  {workers} workers  {name:16} {result['rps']:7.0f} req/s  "
                          f"p99 {result['p99']:6.1f} ms  errors {result['errors']}", flush=True)
    print()
    print("| page | " + " | ".join(f"{w} workers: req/s, p99 ms" for w in args.workers) + " |")
    print("| --- |" + " ---: |" * len(args.workers))
    for name, _path in pages(country):
        cells = []
        for workers in args.workers:
            results = figures[name, workers]
            cells.append(f"{median([r['rps'] for r in results]):.0f}, {median([r['p99'] for r in results]):.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    errors = sum(r["errors"] for results in figures.values() for r in results)
    print(f"\nMedians of {args.rounds} rounds of {args.seconds} s at 16 connections; {errors} errors.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
