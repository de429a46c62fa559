from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.seeding import SEED_DIR, Loader, SeedError


class Command(BaseCommand):
    help = (
        "Load the seed fixtures: all or nothing, idempotent, and never over an editor's correction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(SEED_DIR), help="Folder of fixture files (default: seeds/).")

    def handle(self, *args, **options):
        # Validation messages in the fixtures' reports stay in English, whatever the locale.
        with translation.override("en"):
            try:
                report = Loader(options["dir"]).run()
            except SeedError as exc:
                raise CommandError(f"Seeds not loaded, nothing was written. {exc}") from exc
        for line in report.left_alone:
            self.stdout.write(f"left alone: {line}")
        if not report.changed_anything:
            self.stdout.write(
                self.style.SUCCESS(f"Seeds already loaded: nothing to change ({len(report.unchanged)} unchanged, "
                                   f"{len(report.left_alone)} left alone).")
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeds loaded: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.left_alone)} left alone."
            )
        )
