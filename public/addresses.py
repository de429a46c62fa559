"""The portal's public address, and the query parameters that make a page what it is.

- PublicAddressMiddleware gives every request the scheme and host of settings.PORTAL_BASE_URL,
  so every absolute URL the portal writes (canonical, og:url, hreflang, JSON-LD, the API's links,
  the sitemap, the feeds, robots.txt) names the public site, whatever Host or X-Forwarded-Proto
  a client sent. Without a base URL (a local run) they are the request's own.
- PAGE_PARAMETERS are the query parameters some page reads. Any other (utm_source, fbclid, …)
  changes nothing, so canonical addresses, pager links and the page cache's key leave it out.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri

# Every parameter a public page or the API reads; a country page's pagers are "<role>-page".
PAGE_PARAMETERS = frozenset({
    "q", "kind", "page", "page_size", "country", "role", "year", "month", "organization", "topic", "status",
    "region", "language",
})
PAGER_SUFFIX = "-page"


def is_page_parameter(name):
    return name in PAGE_PARAMETERS or (name.endswith(PAGER_SUFFIX) and name[: -len(PAGER_SUFFIX)].isalpha())


def page_query(query):
    """The parameters of a QueryDict that change the page, as a query string."""
    return urlencode([(name, value) for name, values in query.lists() if is_page_parameter(name) for value in values])


def page_path(request):
    """The request's path with only the parameters that change the page."""
    query = page_query(request.GET)
    return f"{request.path}?{query}" if query else request.path


def absolute_url(request, path):
    """The absolute URL of a path on this site: `//evil.com/x` is a path here, not another host."""
    return f"{request.scheme}://{request.get_host()}{iri_to_uri(path)}"


class PublicAddressMiddleware:
    """Sets the request's scheme and host to PORTAL_BASE_URL's; see the module's docstring.

    Sits below SecurityMiddleware, whose redirect to https must see the scheme the client used.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PORTAL_BASE_URL:
            base = urlsplit(settings.PORTAL_BASE_URL)
            request.META["HTTP_HOST"] = base.netloc
            request.META["wsgi.url_scheme"] = base.scheme
            if settings.SECURE_PROXY_SSL_HEADER:
                header, secure_value = settings.SECURE_PROXY_SSL_HEADER
                request.META[header] = secure_value if base.scheme == "https" else base.scheme
        return self.get_response(request)
