"""When the database is unreachable, answer 503 with Retry-After — never a 500.

A client (or a phone that queues reports offline) then knows to retry; together with the
idempotency keys of the write endpoints, a retry never creates a second record. Persistent
connections with CONN_HEALTH_CHECKS reconnect by themselves once the database is back.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

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
    if request.path.startswith(("/api/", "/open311/")):
        body = json.dumps({"detail": message}, ensure_ascii=False)
        return HttpResponse(body, status=400, content_type="application/json; charset=utf-8")
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
