from django.core.management.base import BaseCommand, CommandError

from conferences.evidence import check_citations
from conferences.models import Citation


class Command(BaseCommand):
    help = (
        "Check that every excerpt of a report in DIR quotes it word for word (whitespace aside, changes marked "
        "with […] or [sic]). Lists each excerpt that does not, and exits with an error if there is one."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder holding the reports' texts, named as the sources' report files.")

    def handle(self, *args, **options):
        citations = Citation.objects.select_related("source").exclude(source__seed_file="").order_by("key")
        checked = sum(1 for citation in citations)
        problems = check_citations(citations, options["directory"])
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} of {checked} excerpts are not word for word in their report.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} excerpts quote their report word for word."))
