"""A conference page as a reference manager reads it: RIS and CSL-JSON downloads, in the
address's language (public/cite_box.py writes them). An old slug answers 301 to the new address."""

from django.http import HttpResponse
from django.utils.translation import get_language

from conferences.models import Conference

from .. import cite_box
from .previews import by_slug, follows_moves


def attachment(body, content_type, filename):
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@follows_moves
def conference_ris(request, slug):
    conference = by_slug(Conference.objects.all(), slug, "conferences:ris")
    ref = cite_box.reference(request, conference, get_language())
    return attachment(cite_box.ris(ref), "application/x-research-info-systems", f"{ref.key}.ris")


@follows_moves
def conference_csl(request, slug):
    conference = by_slug(Conference.objects.all(), slug, "conferences:csl")
    ref = cite_box.reference(request, conference, get_language())
    return attachment(cite_box.csl_json(ref), "application/vnd.citationstyles.csl+json", f"{ref.key}.json")
