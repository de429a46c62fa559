"""HTTP caching: Last-Modified for crawlers and link checkers, and a page cache for readers.

- LastModifiedMiddleware gives public 200 answers to GET and HEAD a Last-Modified header (the
  later of the last data change, from the site's state (core/state.py), and the newest template
  or code file) and `Cache-Control: no-cache`. Django's ConditionalGetMiddleware, above it, adds
  the ETag and answers 304.
- PageCacheMiddleware keeps whole public answers (pages under /ar/ and /en/, the API, the
  sitemap and feeds) in Django's cache, with the cache tags of what each shows (core/tags.py,
  public/page_cache.py), so that an edit drops the answers that show what it changed and no
  others. Keyed by the code's release, the page's public address (which holds the language;
  unknown query parameters left out), and whether the client takes gzip. It sits above both, so
  it stores an answer with its ETag and Last-Modified, and a hit is answered (200 or 304) without
  the rest of the stack: no query, session, locale, URL resolving, view or hashing of the body.
  Anyone with a session cookie (an editor) bypasses it both ways, so an editor's page never
  reaches a reader.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from core import state
from core import tags as cache_tags
from core.release import code_last_change, code_release
from public import page_cache
from public.addresses import absolute_url, page_path

SAFE_METHODS = ("GET", "HEAD")
# The request headers that can make a cached answer a 304 or a 412.
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def last_change(request=None):
    """The portal's last change, as an aware datetime."""
    return max(state.current(request).changed_at, code_last_change())


@cache
def private_prefixes():
    return (reverse("admin:index"),)


def is_public(request):
    return not request.path_info.startswith(private_prefixes())


class LastModifiedMiddleware:
    """Adds Last-Modified (and Cache-Control: no-cache) to public GET and HEAD answers.

    Sits below django.middleware.http.ConditionalGetMiddleware, which uses the header
    to answer 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in SAFE_METHODS
            and response.status_code == 200
            and not response.streaming
            and is_public(request)
        ):
            if not response.has_header("Last-Modified"):
                response.headers["Last-Modified"] = http_date(last_change(request).timestamp())
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, no_cache=True)
        return response


class PageCacheMiddleware:
    """Serves public answers from the cache; see the module's docstring."""

    CACHED_PREFIXES = ("/ar/", "/en/", "/api/", "/sitemap.xml", "/robots.txt")

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def seconds():
        return settings.PORTAL_PAGE_CACHE_SECONDS

    def cacheable(self, request):
        return (
            request.method == "GET"
            and request.path_info.startswith(self.CACHED_PREFIXES)
            and is_public(request)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def key(request):
        """What varies the answer: the code's release, compression, and the public address of the
        page with only the parameters that change it (public/addresses.py). A cache of each
        process's own cannot hear of an edit made in another, so it keys on the data's version too."""
        encoding = "gzip" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else "identity"
        address = hashlib.sha256(absolute_url(request, page_path(request)).encode()).hexdigest()
        version = "" if settings.PORTAL_PAGE_CACHE_SHARED else f"{state.current(request).version}:"
        return f"page:{code_release()}:{version}{encoding}:{address}"

    @staticmethod
    def storable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        storing = self.seconds() > 0
        if storing:
            key = self.key(request)
            response = page_cache.get(key)
            if response is not None:
                response.headers["X-Cache"] = "hit"
                if any(name in request.META for name in CONDITIONAL_HEADERS):
                    # What ConditionalGetMiddleware, below, did for the first reader of this page.
                    return get_conditional_response(
                        request,
                        etag=response.get("ETag"),
                        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                        response=response,
                    )
                return response
        tag_header = settings.PORTAL_CACHE_TAG_HEADER
        if storing or tag_header:
            # Where the request reads its data (a replica, perhaps), before the data.
            version = state.current(request).version
        with cache_tags.collecting() as shown:
            response = self.get_response(request)
        if not (storing or tag_header) or not self.storable(response):
            return response
        tagged = page_cache.tokens(shown) if storing else None
        # Kept, here or in front, only if its data is still the latest committed: not if an edit
        # committed while it was rendered (its invalidation may have come first), nor if it was
        # read from a replica behind the primary.
        # When the primary cannot be asked, nothing is committed then: kept.
        latest = state.is_latest(version, unknown=True)
        if tag_header:
            # For a cache in front (Varnish's xkey), which purges by the same tags
            # (public/purge.py), and keeps the answer for as long as Surrogate-Control says.
            response.headers[tag_header] = " ".join(sorted(shown))
            if latest:
                response.headers["Surrogate-Control"] = f"max-age={settings.PORTAL_PROXY_CACHE_SECONDS}"
        if storing:
            response.headers["X-Cache"] = "miss"
            if latest and tagged is not None:
                page_cache.put(key, response, tagged, self.seconds())
        return response
