"""Which requests may read a replica (core/replicas.py has the router and the replicas' health).

ReplicaMiddleware, installed only when there are replicas (DATABASE_REPLICA_URLS), lets a
request read a replica when it is a public GET or HEAD from a reader; everything else reads
the primary:

- any other method, and every address of the admin;
- a browser with a session cookie: editors always see what they have just saved;
- a browser that wrote in the last PORTAL_READ_YOUR_WRITES_SECONDS (an editor who saved, then
  logged out): an answer to a request that wrote carries a signed cookie saying so, for that long.

A request the chosen replica fails in the middle (it went down since it was checked) is marked
down and the view runs again on the primary: a reader gets the page, not an error.

An edit drops the cached answers that show what it changed (core/tags.py) as soon as it commits
on the primary; a reader then served by a replica still a moment behind gets the old page, which
must not be stored under the new tags. The page cache (public/middleware.py) stores a page, and
lets a cache in front keep it, only if the site's version read from the replica before the page's
data is still the primary's after it. The site's version is bumped on the primary before the tags
are dropped (core/apps.py connects core.state first), so that comparison is enough: one query on
the primary, for pages that were not in the cache only.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.signing import BadSignature
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError

from core import replicas
from public.middleware import is_public

READ_METHODS = ("GET", "HEAD")
# Says "this browser wrote a moment ago"; signed, so no one else can send readers to the primary
# for long.
WROTE_COOKIE = "portal_wrote"
WROTE_SALT = "public.replicas.wrote"


def wrote_recently(request):
    try:
        request.get_signed_cookie(WROTE_COOKIE, salt=WROTE_SALT, max_age=settings.PORTAL_READ_YOUR_WRITES_SECONDS)
    except (KeyError, BadSignature):
        return False
    return True


def reads_primary(request):
    return (
        request.method not in READ_METHODS
        or not is_public(request)
        or request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        or wrote_recently(request)
    )


class ReplicaMiddleware:
    def __init__(self, get_response):
        if not replicas.aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        alias = DEFAULT_DB_ALIAS if reads_primary(request) else replicas.choose()
        with replicas.reading_from(alias) as route:
            request.replica_route = route
            response = self.get_response(request)
        if route.wrote:
            seconds = settings.PORTAL_READ_YOUR_WRITES_SECONDS
            response.set_signed_cookie(
                WROTE_COOKIE, "1", salt=WROTE_SALT, max_age=seconds, secure=settings.SESSION_COOKIE_SECURE,
                httponly=True, samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        """A replica that failed under the view: once more, on the primary."""
        route = getattr(request, "replica_route", None)
        if (
            route is None
            or route.alias == DEFAULT_DB_ALIAS
            or route.wrote
            or not isinstance(exception, (OperationalError, InterfaceError))
            or request.resolver_match is None
        ):
            return None
        replicas.mark_down(route.alias, exception)
        route.alias = DEFAULT_DB_ALIAS
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response = response.render()
        return response
