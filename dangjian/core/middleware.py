"""Request-wide guards: the database being down, who may reach the admin, the client's
address for the audit trail.

When the database is unreachable, answer 503 with Retry-After — never a 500. A client (or a phone that queues reports offline) then knows to retry; together with the
idempotency keys of the write endpoints, a retry never creates a second record. Persistent
connections with CONN_HEALTH_CHECKS reconnect by themselves once the database is back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import Http404, HttpRequest, HttpResponse

from dangjian.core import audit, clientip

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


class AdminNetworkMiddleware:
    """The Django admin answers 404 outside ``ADMIN_ALLOWED_NETWORKS`` (CIDR list).

    Applies to every URL of the admin site, its log-in page included. A request that says it
    was forwarded (``X-Forwarded-For``) by a peer that is not a trusted proxy is refused too:
    its real client is unknown — typically a proxy left out of ``TRUSTED_PROXIES``, which
    would otherwise make every visitor look like the proxy's own (allowed) address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args: Any, kwargs: Any) -> None:
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        networks = clientip.networks_of("ADMIN_ALLOWED_NETWORKS")
        if clientip.forwarded_by_untrusted_peer(request) or not clientip.in_networks(
            clientip.client_ip(request), networks
        ):
            raise Http404
        return None


class RequestAddressMiddleware:
    """Makes the client's address of this request known to the audit rows written in it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit.request_address.set(clientip.client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.request_address.reset(token)
