"""A request id on every request and response, and structured (JSON) log lines that carry it.

The id comes from an incoming `X-Request-ID` header when it looks sane (a proxy's or load
balancer's id, so lines can be matched across them), otherwise it is new. It stays current
until Django's request_finished signal, so the "Not Found" and "Internal Server Error" lines
that Django's handler writes after the middleware have returned carry it too.

Log lines never hold request bodies, query strings, cookies or headers, so no password or
session id is logged.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from django.core.signals import request_finished

REQUEST_ID_HEADER = "X-Request-ID"
_request_id = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

logger = logging.getLogger("portal.request")  # the name log readers filter on


def current_request_id():
    return _request_id.get()


def _forget_request_id(**kwargs):
    _request_id.set("-")


class RequestIdMiddleware:
    """Outermost: names the request, logs one line for it (method, path, status, duration)."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="public.request_log.forget")

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        _request_id.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        logger.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a message's line breaks stay escaped inside it."""

    FIELDS = ("method", "path", "status", "duration_ms", "status_code")

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if isinstance(value, str | int | float):
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
