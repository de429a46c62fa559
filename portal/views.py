"""Project-wide views: the language-choosing root, the read-only mixin, the error pages."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_safe


class PublicViewMixin:
    """The public site is read-only: GET and HEAD only, every other method answers 405.

    The views change nothing, so they are exempt from the CSRF check; otherwise a POST
    without a token would be refused with 403 before it could be answered with 405.
    """

    http_method_names = ["get", "head"]

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))


@csrf_exempt
@require_safe
def language_redirect(request):
    """Send `/` to `/ar/`, or to `/en/` when the browser prefers English."""
    language = translation.get_language_from_request(request, check_path=False)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        response = HttpResponseRedirect(reverse("conferences:home"))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


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


def related_count(model, related_name, **filters):
    """An annotation counting the rows of a reverse relation, as a correlated subquery.

    Several of these on one queryset stay cheap, where Count() over several joins would
    multiply the rows; the foreign key's index answers each count.
    """
    relation = model._meta.get_field(related_name)
    rows = relation.related_model._default_manager.filter(**{relation.field.name: OuterRef("pk")}, **filters)
    counted = rows.order_by().values(relation.field.name).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)


def related_queryset(model, related_name):
    """The default queryset of the model behind a reverse relation, found by its related_name.

    Apps lower in the dependency chain (participants, organizations) build Prefetch
    objects over relations that point at them from apps above, without importing those.
    """
    return model._meta.get_field(related_name).related_model._default_manager.all()


# Citation.stance's values (conferences.models.Stance); the project package sits below the apps.
CONTRADICTS = "contradicts"


class Evidence:
    """The citations behind one fact, sorted the way the page shows them.

    - `supports`: sources that state the fact; they become plain references [1] [2].
    - `opinions`: citations with `attributed_to` set; shown as attributed, never as fact.
    - `disputes`: sources that contradict the fact; each shows its own version (`claim`).
    """

    def __init__(self, citations):
        self.citations = list(citations)
        self.supports = [c for c in self.citations if c.stance != CONTRADICTS and not c.attributed_to]
        self.opinions = [c for c in self.citations if c.stance != CONTRADICTS and c.attributed_to]
        self.disputes = [c for c in self.citations if c.stance == CONTRADICTS]

    def __bool__(self):
        return bool(self.citations)

    @property
    def is_disputed(self):
        return bool(self.disputes)

    @property
    def numbers(self):
        """What the fact shows, as a value: two rows with equal numbers point to the same references."""
        return tuple(citation.ref_number for citation in self.supports + self.opinions + self.disputes)


class References:
    """The numbered references of one page, [1], [2] … in the order the page cites them.

    Call `cite()` for each fact in the order the template shows the facts; the list at the
    end of the page is `references.citations`, each with its `ref_number`.

    Citations that say the same thing (the same source, words, stance and note: one report's
    list backing each of its countries) share one number, and the list shows them once. Only
    the first to be cited carries the `anchor` the list links back to.
    """

    def __init__(self):
        self.citations = []
        self._numbers = {}

    def cite(self, citations):
        evidence = Evidence(citations)
        # Number in the order the fact shows them: plain support, then opinions, then disputes.
        for citation in evidence.supports + evidence.opinions + evidence.disputes:
            if getattr(citation, "ref_number", None) is not None:
                continue
            key = citation.identity
            number = self._numbers.get(key)
            if number is None:
                self.citations.append(citation)
                number = self._numbers[key] = len(self.citations)
                citation.anchor = f"cite-{number}"
            citation.ref_number = number
        return evidence

    def __bool__(self):
        return bool(self.citations)

    def __iter__(self):
        return iter(self.citations)
