"""When the database is unreachable, answer 503 with Retry-After — never a 500.

A client (or a phone that queues reports offline) then knows to retry; together with the
idempotency keys of the write endpoints, a retry never creates a second record. Persistent
connections with CONN_HEALTH_CHECKS reconnect by themselves once the database is back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
MESSAGE = "数据库暂时不可用，请稍后重试"


def unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(("/api/", "/open311/")):
        body = json.dumps({"detail": MESSAGE}, ensure_ascii=False)
        response = HttpResponse(body, status=503, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(MESSAGE, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self._down(request, exc)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return self._down(request, exception)
        return None

    def _down(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        log.warning("database unavailable: %s", exc)
        close_old_connections()  # drop the broken connection so the next request reconnects
        return unavailable(request)
