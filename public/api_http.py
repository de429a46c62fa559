"""HTTP that clients expect and the API's framework does not give: HEAD, and JSON errors.

- HeadMiddleware: django-ninja answers only the methods an endpoint declares, so HEAD (what link
  checkers send) got 405 on every endpoint and both CSVs. Under /api/ a HEAD request is answered
  as GET would be, page cache and ETag included, and the OpenAPI schema still lists GET only.
  Every HEAD answer, the pages' too, leaves without its body: gunicorn sends whatever body it is
  given, and Django strips it only under runserver and in the test client.
- ApiErrorsMiddleware: under /api/, an address that matches no endpoint (404) and a method an
  endpoint does not take (405) are answered in JSON, {"detail": …}, as the API's other errors,
  not with the site's HTML page or ninja's plain text.
"""

from django.http import JsonResponse

API_PREFIX = "/api/"


def is_api(request):
    return request.path_info.startswith(API_PREFIX)


class HeadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        if is_api(request):
            request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        # Content-Length, when set, stays the GET answer's, as HEAD means.
        if response.streaming:
            response.streaming_content = []
        else:
            response.content = b""
        return response


class ApiErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code in (404, 405)
            and is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            if response.status_code == 404:
                return JsonResponse({"detail": "Not Found"}, status=404)
            allowed = [method.strip() for method in response.get("Allow", "").split(",") if method.strip()]
            if "GET" in allowed and "HEAD" not in allowed:
                allowed.append("HEAD")
            answer = JsonResponse({"detail": "Method not allowed"}, status=405)
            answer["Allow"] = ", ".join(allowed)
            return answer
        return response
