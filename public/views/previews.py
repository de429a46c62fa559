"""The preview images of conference, country and series pages (public/previews.py).

Each answers a PNG in the address's language. The page links it with the site's version in
`?v=`: that address always shows the same picture, so clients may keep it for a year; any other
(an old version, or none) is the current picture, kept for a few minutes only.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from conferences.models import Conference, Participation, ParticipationRole, Series
from core import state
from core import tags as cache_tags
from core.tags import about_tag, list_tag
from participants.models import Country

from .. import previews

VERSIONED_SECONDS = 365 * 24 * 3600
UNVERSIONED_SECONDS = 300


def answer(request, preview):
    response = HttpResponse(previews.image_bytes(preview), content_type="image/png")
    if request.GET.get("v") == str(state.current(request).version):
        patch_cache_control(response, public=True, max_age=VERSIONED_SECONDS, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=UNVERSIONED_SECONDS)
    return response


class Moved(Exception):
    def __init__(self, response):
        self.response = response


def by_slug(queryset, slug, view_name):
    """The record of `slug`; a 301 to the image under its new slug if it had this one before."""
    record = queryset.filter(slug=slug).first()
    if record is not None:
        cache_tags.add(about_tag(record))
        return record
    record = queryset.model.objects.that_had(slug).first()
    if record is None:
        raise Http404
    raise Moved(HttpResponsePermanentRedirect(reverse(view_name, kwargs={"slug": record.slug})))


def follows_moves(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Moved as moved:
            return moved.response

    return csrf_exempt(require_safe(wrapper))


@follows_moves
def conference_preview(request, slug):
    queryset = Conference.objects.select_related("host_country").prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("country"))
    )
    conference = by_slug(queryset, slug, "conferences:preview")
    return answer(request, previews.for_conference(conference, get_language()))


@follows_moves
def series_preview(request, slug):
    series = by_slug(Series.objects.all(), slug, "series:preview")
    editions = Conference.objects.filter(series=series, host_country__isnull=False)
    cache_tags.add(list_tag(Participation))  # the hosts of its editions
    hosts = set(editions.values_list("host_country__code", flat=True))
    hosts.update(
        Participation.objects.filter(conference__series=series, role=ParticipationRole.HOST).values_list(
            "country__code", flat=True
        )
    )
    return answer(request, previews.for_series(series, hosts, get_language()))


@csrf_exempt
@require_safe
def country_preview(request, code):
    # The address carries the ISO code in lower case, as the country's page does.
    if len(code) != 2 or not code.isascii() or not code.isalpha() or code != code.lower():
        raise Http404
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404
    cache_tags.add(about_tag(country))
    return answer(request, previews.for_country(country, get_language()))
