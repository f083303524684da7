"""Which client is calling: the ``api_key`` of a GeoReport POST, as a form field (as the
specification says) or an ``X-Api-Key`` header — never in the query string, where it would
be written to access logs, proxy logs and browser histories (refused with a 400)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from dangjian.appeals.open311.serializers import error
from dangjian.interop import actions
from dangjian.interop.models import ApiKey

HEADER = "X-Api-Key"
FIELD = "api_key"
IN_QUERY = (
    f"api_key 不能放在网址（查询字符串）中：网址会被记入访问日志。请放在表单字段 {FIELD} "
    f"或请求头 {HEADER} 中；已经放进网址的密钥请视为泄露，请管理员吊销后重新签发"
)


def client_key(request: HttpRequest) -> ApiKey | None:
    raw = (request.headers.get(HEADER) or request.POST.get(FIELD) or "").strip()
    return actions.authenticate(raw)


def refuse_key_in_query(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 400 (in the request's format) to any request that carries ``api_key`` in its
    query string, before the view runs — reads included, where no key is needed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any(name.strip().lower() == FIELD for name in request.GET):
            return error(kwargs.get("fmt", "json"), 400, IN_QUERY)
        return view(request, *args, **kwargs)

    return wrapped
