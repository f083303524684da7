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
- Hostile input (NUL, lone surrogates, invalid UTF-8, JSON nested too deep) refused with 400.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import Http404, HttpRequest, HttpResponse

from dangjian.core import audit, clientip
from dangjian.core.errors import page_not_found

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
        if isinstance(exception, Http404 | PermissionDenied | BadRequest | SuspiciousOperation):
            # Django answers these itself (404, 403, 400); __call__ then makes that answer JSON.
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


# --- hostile input ---------------------------------------------------------------------------
#
# PostgreSQL refuses NUL characters in text, and a lone UTF-16 surrogate (``"\ud800"`` in
# JSON) cannot even be encoded as UTF-8 to be stored or rendered: both would end as a 500
# somewhere deep in a view, a template or the database. No legitimate form, query or JSON
# body carries either, so they are refused once here, for every page and endpoint, before any
# view sees them. (A percent-encoded or multipart surrogate never reaches Python: Django
# decodes those with ``errors="replace"``; only JSON ``\uXXXX`` escapes can produce one.)

BAD_INPUT_MESSAGE = "请求中含有不允许的字符（空字符或无效的 Unicode 字符），请检查后重新提交"
BAD_ENCODING_MESSAGE = "请求内容不是有效的 UTF-8 编码"
TOO_DEEP_MESSAGE = "请求体嵌套层级过深"
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
# In a JSON body NUL and surrogates arrive as escapes; a raw NUL is invalid JSON anyway and
# raw surrogate bytes are invalid UTF-8. Only bodies with such an escape are parsed here.
_BAD_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
MAX_JSON_DEPTH = 64


def has_bad_chars(text: str) -> bool:
    """Whether ``text`` holds a NUL character or a lone surrogate."""
    return _BAD_CHARS.search(text) is not None


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """400 with a fixed Chinese message (never the offending input): JSON for the API."""
    if is_machine_path(request):
        return json_error(message, 400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _json_problem(body: bytes) -> str | None:
    """A Chinese reason why this JSON body is refused, or None. Invalid JSON is left to the API."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return BAD_ENCODING_MESSAGE
    if not _BAD_ESCAPE.search(body):
        return _depth_problem(text)
    try:
        data = json.loads(text)
    except RecursionError:
        return TOO_DEEP_MESSAGE
    except ValueError:
        return None
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if has_bad_chars(value):
                return BAD_INPUT_MESSAGE
        elif isinstance(value, dict):
            stack.extend((k, depth) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        if depth > MAX_JSON_DEPTH:
            return TOO_DEEP_MESSAGE
    return None


def _depth_problem(text: str) -> str | None:
    # A body of 100,000 nested brackets makes json.loads raise RecursionError (a 500);
    # count the brackets cheaply (those inside strings count too: a safe overestimate).
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return None
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return TOO_DEEP_MESSAGE
        elif ch in "]}":
            depth -= 1
    return None


def input_problem(request: HttpRequest) -> str | None:
    """Why this request's path, query, form or JSON body is refused, or None."""
    if has_bad_chars(request.path_info):
        return BAD_INPUT_MESSAGE
    for key, values in request.GET.lists():
        if has_bad_chars(key) or any(has_bad_chars(v) for v in values):
            return BAD_INPUT_MESSAGE
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if "json" in (request.content_type or ""):
        return _json_problem(request.body)
    if request.method == "POST":
        for key, values in request.POST.lists():
            if has_bad_chars(key) or any(has_bad_chars(v) for v in values):
                return BAD_INPUT_MESSAGE
        for _field, uploads in request.FILES.lists():
            if any(has_bad_chars(getattr(u, "name", "") or "") for u in uploads):
                return BAD_INPUT_MESSAGE
    return None


class HostileInputMiddleware:
    """Refuse NUL characters, lone surrogates, invalid UTF-8 and absurdly nested JSON with 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = input_problem(request)
        if problem is not None:
            log.info("hostile input refused: %s %s", request.method, problem)
            return bad_request(request, problem)
        return self.get_response(request)


class OwnNotFoundMiddleware:
    """Our own 404 page under DEBUG too (issue 11): a person who follows a dead link on a
    development or demo server meets the Chinese page with a way back, not Django's technical
    404 listing the URLconf. ``DEBUG_TECHNICAL_404=1`` brings the technical page back for
    developers. With DEBUG=0 Django already renders ``handler404``; /api/ and /open311/ keep
    their JSON (JsonErrorsMiddleware).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _active(request: HttpRequest) -> bool:
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_404 and not is_machine_path(request)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An unknown URL fails in the resolver, before any view: no resolver_match then.
        if response.status_code == 404 and self._active(request) and request.resolver_match is None:
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and self._active(request):
            return page_not_found(request, exception)
        return None
