"""Middleware of the whole site.

- When the database is unreachable, answer 503 with Retry-After — never a 500. A client (or a
  phone that queues reports offline) then knows to retry; together with the idempotency keys
  of the write endpoints, a retry never creates a second record. Persistent connections with
  CONN_HEALTH_CHECKS reconnect by themselves once the database is back.
- The machine interfaces (/api/, /open311/) answer every error as JSON, in either DEBUG mode:
  an unhandled exception is logged with its traceback and the client gets only
  ``{"detail": "服务器内部错误…"}`` with status 500.
- The Permissions-Policy header (Django sets the other security headers itself).
- Who may reach the admin (ADMIN_ALLOWED_NETWORKS), and the client's address for the audit trail.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import Http404, HttpRequest, HttpResponse

from dangjian.core import audit, clientip

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
MESSAGE = "数据库暂时不可用，请稍后重试"
INTERNAL_ERROR = "服务器内部错误，请稍后重试；如果一直出现，请联系管理员"
MACHINE_PREFIXES = ("/api/", "/open311/")
# What a machine client reads for an error Django (not our code) answered in HTML.
ERROR_DETAILS = {
    400: "请求有误",
    401: "未登录或令牌无效",
    403: "请求被拒绝（无权访问，或缺少 CSRF 令牌）",
    404: "接口不存在",
    405: "不支持该请求方法",
    413: "请求内容过大",
    429: "请求过于频繁，请稍后重试",
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _default_detail(response: HttpResponse) -> str:
    return INTERNAL_ERROR if response.status_code >= 500 else "请求有误"


def is_machine_path(request: HttpRequest) -> bool:
    return request.path.startswith(MACHINE_PREFIXES)


def json_error(detail: str, status: int) -> HttpResponse:
    body = json.dumps({"detail": detail}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def unavailable(request: HttpRequest) -> HttpResponse:
    if is_machine_path(request):
        response = json_error(MESSAGE, 503)
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


class JsonErrorsMiddleware:
    """/api/ and /open311/ never answer a traceback or an HTML error page.

    ``process_exception`` turns an exception of a view (the API's handler re-raises what it
    does not know, see dangjian/api.py) into a logged JSON 500 — before Django's debug page
    in DEBUG, before the HTML 500 page otherwise. ``__call__`` replaces any other HTML or
    plain-text error on those paths with ``{"detail": …}`` and the same status: Django's 404
    for an unknown URL, a 405, the CSRF 403, a 500 raised in a middleware (already logged by
    Django). Open311's XML answers are left as they are.
    Database outages are left to DatabaseUnavailableMiddleware (503 with Retry-After).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        kind = response.get("Content-Type", "")
        if (
            response.status_code >= 400
            and is_machine_path(request)
            and "json" not in kind
            and "xml" not in kind
        ):
            replacement = json_error(
                ERROR_DETAILS.get(response.status_code, _default_detail(response)), response.status_code
            )
            for header in KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_machine_path(request) or isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("unhandled exception on %s %s", request.method, request.path, exc_info=exception)
        return json_error(INTERNAL_ERROR, 500)


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY (browser features the pages may use) on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


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
