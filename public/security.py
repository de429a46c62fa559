"""Security pieces Django does not ship: the Permissions-Policy header, the Content-Security-Policy
built once, the client's address and django-axes's reset on a successful login, the refusal of
addresses that hold a NUL character or are too long, and the check that a stored address is a web
address before it becomes a link.

The other security headers come from Django's SecurityMiddleware (HSTS, nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy), XFrameOptionsMiddleware and django-csp;
settings.py has them all under "Security".
"""

from functools import cache
from urllib.parse import urlsplit

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpResponse, JsonResponse

from public.api_http import is_api


@cache
def permissions_policy():
    """settings.PERMISSIONS_POLICY as a header value: `camera=(), geolocation=(), …`."""
    parts = []
    for feature, origins in settings.PERMISSIONS_POLICY.items():
        allowed = " ".join("self" if origin == "self" else f'"{origin}"' for origin in origins)
        parts.append(f"{feature}=({allowed})")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy to every response that has none: no camera, microphone, …"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy()
        return response


# What a view's django-csp decorator (csp_exempt, csp_update, …) leaves on its response.
PER_RESPONSE = tuple(
    f"_csp_{what}{suffix}" for what in ("exempt", "config", "update", "replace") for suffix in ("", "_ro")
)


def in_order(policy, directives):
    """`policy` with its directives in the order of `directives` (names), any others after them."""
    order = {name: index for index, name in enumerate(directives)}

    def place(part):
        name = part.split(" ", 1)[0]
        return order.get(name, len(order)), name

    return "; ".join(sorted(policy.split("; "), key=place))


@cache
def content_security_policies():
    """(header, value, excluded path prefixes) of each policy the settings set, built once, its
    directives in the order the settings list them."""
    policies = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        value = build_policy(report_only=report_only)
        if value:
            config = getattr(settings, setting, None) or {}
            excluded = tuple(config.get("EXCLUDE_URL_PREFIXES") or ())
            policies.append((header, in_order(value, config.get("DIRECTIVES", {})), excluded))
    return tuple(policies)


def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        content_security_policies.cache_clear()


setting_changed.connect(_forget_policies, dispatch_uid="public.security.forget_policies")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of a plain response built once per process.

    django-csp builds the header again for every response, /healthz and cached pages included
    (about a tenth of what answering /healthz costs), and lists the directives in the order of a
    Python set, which differs from one worker process to the next. A response that no django-csp
    decorator changed, to a request that asked for no nonce, gets the policies built once, their
    directives in the settings' order; any other, and every response under DEBUG (whose error
    pages django-csp leaves without a policy), goes through django-csp as before.
    """

    def process_response(self, request, response):
        asked = getattr(request, "_csp_nonce", None) is not None
        if settings.DEBUG or asked or any(hasattr(response, name) for name in PER_RESPONSE):
            return super().process_response(request, response)
        for header, value, excluded in content_security_policies():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def client_ip(request):
    """The visitor's address, for django-axes's lockouts by address.

    Without a proxy it is REMOTE_ADDR. Behind DJANGO_PROXY_COUNT trusted proxies it is the
    entry the outermost of them added to X-Forwarded-For, counted from the right: the entries
    further left come from the client and can be forged. With fewer entries than proxies the
    header was not set by them, and REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PORTAL_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


class AxesHandler(AxesDatabaseHandler):
    """django-axes's database handler, whose reset on a successful login clears only the failures
    recorded for that user name.

    axes's own reset clears every lockout parameter the login matches, so with lockouts by address
    too it forgets the failures of every user name tried from that address: anyone with an account
    could guess another editor's password forever, logging in between guesses. The address's count
    keeps the other names' failures.
    """

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def refusal(request, message, status):
    """The answer to an address refused before any view: JSON under /api/, as the API's other
    errors ({"detail": …}), plain text elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, content_type="text/plain; charset=utf-8", status=status)


class RejectNulMiddleware:
    """Answers 400 to an address whose path or query holds a NUL character (%00).

    No real address has one, and PostgreSQL refuses NUL in text, so a lookup with it would
    end in a database error (a 500) instead of "no such record". Checked once here, before any
    view, rather than in every view that passes a slug or code to a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return refusal(request, "Bad request: the address holds a NUL character.", 400)
        return self.get_response(request)


class RejectLongAddressMiddleware:
    """Answers 414 URI Too Long to an address (path and query) longer than PORTAL_MAX_URL_LENGTH.

    gunicorn refuses a request line longer than its own limit (gunicorn.conf.py) with a bare HTML
    400; that limit is set well above this one, so a client gets this clear 414 instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.PORTAL_MAX_URL_LENGTH
        if len(request.get_full_path()) > limit:
            return refusal(request, f"URI too long: an address may have at most {limit} characters.", 414)
        return self.get_response(request)


WEB_SCHEMES = ("http", "https")


def web_address(address):
    """`address` when it is an http or https address with a host, else "".

    The admin accepts only such addresses, but a record can change around it (a data migration, a
    bulk update, a restored backup); whatever becomes a link or a url for machines goes through
    this, so a `javascript:` or `data:` address is never one. urlsplit reads the scheme as a
    browser does: leading spaces and control characters dropped, tabs and newlines removed.
    """
    address = address or ""
    try:
        parts = urlsplit(address)
    except ValueError:
        return ""
    return address if parts.scheme.lower() in WEB_SCHEMES and parts.hostname else ""
