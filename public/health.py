"""Health endpoints for load balancers and monitors. Neither is cached nor language-prefixed.

- /healthz: the process is alive and answering. It touches nothing else, so it answers 200
  while the database is down.
- /readyz: the database answers a query; 503 when it does not. It reports the cache too, but
  an unreachable cache does not fail it: pages are then served uncached (public/cache.py). With
  read replicas it reports each one as well ("ok", "lagging", "unreachable"); none fails it,
  since readers then read the primary (core/replicas.py).

HealthCheckMiddleware answers both before the middleware that reads the database (the site's
state, for caching) or validates the Host header, which a load balancer probing by address
may not send. They are in public/urls.py too, by name, for reverse() and for a deployment
without the middleware.
"""

from django.db import DatabaseError, InterfaceError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from core import replicas
from public.cache import cache_status


@csrf_exempt
@require_safe
@never_cache
@xframe_options_deny
def healthz(request):
    """The process is alive and answering. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@csrf_exempt
@require_safe
@never_cache
@xframe_options_deny
def readyz(request):
    """The database answers a query; the cache's state is reported, not required."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except (DatabaseError, InterfaceError):
        response = JsonResponse(
            {"status": "unavailable", "database": "unreachable", "cache": cache_status(), **replica_status()},
            status=503,
        )
        response["Retry-After"] = "10"
        return response
    return JsonResponse({"status": "ok", "database": "ok", "cache": cache_status(), **replica_status()})


def replica_status():
    return {"replicas": replicas.status()} if replicas.aliases() else {}


HEALTH_VIEWS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers /healthz and /readyz itself; see the module's docstring for why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
