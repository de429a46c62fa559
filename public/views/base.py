"""What every public view shares: read-only methods, pagination of side lists, old slugs that
redirect, the language-choosing root, short links, and the error pages."""

import sys

from django.conf import settings
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_safe
from django.views.generic.list import MultipleObjectMixin

from conferences.models import Conference, Series, SourceReport, Topic
from core import tags as cache_tags
from core.models import TrackedModel
from core.tags import about_tag, list_tag
from organizations.models import Organization
from participants.models import Country, Person

PAGE_SIZE = 20


class PublicViewMixin:
    """The public site is read-only: GET and HEAD only, every other method answers 405.

    The views change nothing, so they are exempt from the CSRF check; otherwise a POST
    without a token would be refused with 403 before it could be answered with 405.
    """

    http_method_names = ["get", "head"]
    # The kinds of records the page lists or counts: any change to one of them drops the cached
    # page (core.tags), a new record included. A ListView lists its model, unless `reads` says more
    # finely what the page reads.
    lists = ()
    # The tags of what the page reads of whole kinds (core.tags.reads): a new or deleted record, or
    # a change to a field it shows, sorts or filters by, drops it; an edit to another field of a
    # record it does not show leaves it. The records it shows carry their own tags.
    reads = None

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        listed = self.lists
        if self.reads is not None:
            cache_tags.add(*self.reads)
        elif isinstance(self, MultipleObjectMixin):
            listed = (*listed, self.model)
        cache_tags.add(*(list_tag(model) for model in listed))

    def get_context_data(self, **kwargs):
        # The page about a record lists what points to it.
        if isinstance(getattr(self, "object", None), TrackedModel):
            cache_tags.add(about_tag(self.object))
        return super().get_context_data(**kwargs)


def paginate(request, queryset, per_page=PAGE_SIZE, param="page"):
    """A page of a side list on a detail page; out-of-range numbers give the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


# --- Old slugs ------------------------------------------------------------------------------


def moved_to(record, request):
    """A 301 to the record's current page in the active language, keeping the query string."""
    url = record.get_absolute_url()
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(url)


class _Moved(Exception):
    def __init__(self, response):
        self.response = response


class SlugHistoryMixin:
    """For a DetailView of a SluggedModel: any address a reader may hold reaches the page in one 301.

    An old slug, a slug in other letter case (/CISSA-21/), a missing trailing slash, or all of
    them at once, answer one permanent redirect to the current page (the URLs give each detail
    page a twin without the slash). Put it first among the bases. Only an address that is not the
    page's own costs the extra query.
    """

    def get_object(self, queryset=None):
        queryset = queryset if queryset is not None else self.get_queryset()
        slug = self.kwargs.get(self.slug_url_kwarg)
        try:
            record = super().get_object(queryset)
        except Http404:
            lowered = slug.lower()
            model = queryset.model
            record = model.objects.filter(slug=lowered).first() or model.objects.that_had(lowered).first()
            if record is None:
                raise
            raise _Moved(moved_to(record, self.request)) from None
        if not self.request.path_info.endswith("/"):
            raise _Moved(moved_to(record, self.request))
        return record

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except _Moved as moved:
            return moved.response


# --- The language-choosing root and the short links --------------------------------------------


def visitor_language(request):
    language = translation.get_language_from_request(request, check_path=False)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _in_visitor_language(request, url_of):
    """A 302 to url_of() in the visitor's language, which varies, so the redirect is temporary."""
    with translation.override(visitor_language(request)):
        response = HttpResponseRedirect(url_of())
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@csrf_exempt
@require_safe
def language_redirect(request):
    """Send `/` to `/ar/`, or to `/en/` when the browser prefers English."""
    return _in_visitor_language(request, lambda: reverse("pages:home"))


# Short links: /c/<id>/ … never change, whatever happens to slugs; countries use their ISO code.
# /c/<id>/ opens the page in the visitor's language, /c/<id>/en/ always in English.
SHORT_LINKS = {
    "conference": ("c", Conference),
    "person": ("p", Person),
    "organization": ("o", Organization),
    "source": ("s", SourceReport),
    "topic": ("t", Topic),
    "series": ("e", Series),
}


def _to_record(request, record, language):
    """A short link's answer: the page in the link's language, or without one in the visitor's.

    Either is a 302: the page's address changes with its slug, the short link never does.
    """
    if record is None:
        raise Http404
    if language is None:
        return _in_visitor_language(request, record.get_absolute_url)
    with translation.override(language):
        return HttpResponseRedirect(record.get_absolute_url())


@csrf_exempt
@require_safe
def short_link(request, pk, kind, language=None):
    return _to_record(request, SHORT_LINKS[kind][1].objects.filter(pk=pk).first(), language)


@csrf_exempt
@require_safe
def country_short_link(request, code, language=None):
    return _to_record(request, Country.objects.filter(code=code.upper()).first(), language)


# --- Error pages ------------------------------------------------------------------------------


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 500 page in the visitor's language, rendered without context processors.

    When the failure is the database being out of reach (refused, dropped, timed out), the
    answer is 503 with Retry-After instead: the service is down for a while, not broken, and
    comes back by itself (CONN_HEALTH_CHECKS reconnects on the next request). The API gets
    the same as JSON.

    Nothing here touches the database or the request's session: whatever failed must
    not fail again while the error page is drawn.
    """
    language = translation.get_language_from_path(request.path_info)
    if not language:
        language = translation.get_language() or settings.LANGUAGE_CODE
    if database_unreachable(sys.exc_info()[1]):
        return service_unavailable(request, language)
    with translation.override(language):
        body = loader.get_template(template_name).render()
    return HttpResponseServerError(body)


# The errors of a database that cannot be reached or that dropped the connection; not those
# of a query that is wrong (ProgrammingError, DataError, IntegrityError stay 500s).
UNREACHABLE_DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unreachable(exc):
    """True when `exc`, or an exception it was raised from or while handling, is one of those."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, UNREACHABLE_DATABASE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def service_unavailable(request, language):
    """503 with Retry-After: a short page in the visitor's language, or JSON for the API."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": "Service temporarily unavailable; please retry later."}, status=503)
    else:
        with translation.override(language):
            body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
