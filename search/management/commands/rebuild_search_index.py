import time

from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = (
        "Rewrite the public search index from the records. Saves in the admin keep it current; run this "
        "after writing records without signals (loaddata, raw SQL)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = index.rebuild()
        index.vacuum_words()
        self.stdout.write(self.style.SUCCESS(
            f"Search index rebuilt: {count} entries in {time.monotonic() - started:.1f} s."
        ))
