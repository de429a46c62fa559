"""Project-wide views: the language-choosing root, the read-only mixin, the error pages."""

from django.conf import settings
from django.http import HttpResponseRedirect, HttpResponseServerError
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

    Nothing here touches the database or the request's session: whatever failed must
    not fail again while the error page is drawn.
    """
    language = translation.get_language_from_path(request.path_info)
    if not language:
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        body = loader.get_template(template_name).render()
    return HttpResponseServerError(body)


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


class References:
    """The numbered references of one page, [1], [2] … in the order the page cites them.

    Call `cite()` for each fact in the order the template shows the facts; the list at the
    end of the page is `references.citations`, each with its `ref_number`.
    """

    def __init__(self):
        self.citations = []

    def cite(self, citations):
        evidence = Evidence(citations)
        # Number in the order the fact shows them: plain support, then opinions, then disputes.
        for citation in evidence.supports + evidence.opinions + evidence.disputes:
            if getattr(citation, "ref_number", None) is None:
                self.citations.append(citation)
                citation.ref_number = len(self.citations)
        return evidence

    def __bool__(self):
        return bool(self.citations)

    def __iter__(self):
        return iter(self.citations)
