"""An editor for the benchmarks: corrects synthetic conferences, as the admin would, through the ORM.

    python bench/editor.py --once              # one edit; prints the conference's slug and its new summary
    python bench/editor.py --per-second 1      # an edit a second until stopped; says EDITING at the first
    python bench/editor.py --seconds 10        # the same for 10 s from the first edit, then the count

Each edit is a transaction of its own, so that its cache tags are dropped after it commits, as
an editor's save in the admin is. The database and the cache come from the environment
(DATABASE_URL, REDIS_URL), as the portal's own.
"""

import argparse
import functools
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


@functools.cache
def synthetic_ids():
    """The synthetic conferences' keys, read once: an editor opens a record by its key, and
    ORDER BY random() over 10,000 conferences would cost PostgreSQL more than the edit."""
    from conferences.models import Conference

    return Conference.objects.filter(slug__startswith="synthetic-").values_list("pk", flat=True).order_by("pk")[::1]


def edit(slug=None):
    from django.db import transaction

    from conferences.models import Conference

    with transaction.atomic():
        conferences = Conference.objects.filter(slug__startswith="synthetic-")
        conference = conferences.get(slug=slug) if slug else conferences.get(pk=random.choice(synthetic_ids()))
        conference.summary_en = f"Corrected by the benchmark's editor, edit {random.randrange(10**9)}."
        conference.save()
    return conference


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--once", action="store_true", help="make one edit and stop")
    parser.add_argument("--slug", help="the conference to edit (default: one at random)")
    parser.add_argument("--per-second", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, help="stop after this long (default: when interrupted)")
    args = parser.parse_args()

    import django

    django.setup()
    if args.once:
        conference = edit(args.slug)
        print(conference.slug, conference.summary_en, sep="\t", flush=True)
        return
    edits = 0
    started = time.monotonic()
    try:
        while args.seconds is None or edits < 1 or time.monotonic() < started + args.seconds:
            edit()
            edits += 1
            if edits == 1:
                # Django and the first edit take a while: the run is timed from here.
                started = time.monotonic()
                print("EDITING", flush=True)
            time.sleep(max(0.0, started + (edits - 1) / args.per_second - time.monotonic()))
    except KeyboardInterrupt:
        pass
    finally:
        print(f"EDITS {edits}", flush=True)


if __name__ == "__main__":
    main()
