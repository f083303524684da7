"""The native JSON API: each app's ``api.py`` exposes a ``router``, mounted here.
OpenAPI 3 at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Errors have one shape: ``{"detail": "<中文说明>", "errors": {"<字段>": ["<中文说明>", …]}}``
(``errors`` only for 422). Missing and forbidden objects answer 404 alike.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from dangjian.accounts.api import router as accounts_router
from dangjian.accounts.api import session_auth, token_auth
from dangjian.appeals.api import router as appeals_router
from dangjian.core.access import ScopeError
from dangjian.core.bounds import MESSAGES as BOUND_MESSAGES
from dangjian.dispatch.api import router as dispatch_router
from dangjian.needs.api import router as needs_router
from dangjian.notifications.api import router as notifications_router
from dangjian.party.api import router as party_router
from dangjian.people.api import router as people_router
from dangjian.points.api import router as points_router
from dangjian.service.api import router as service_router
from dangjian.territory.api import router as territory_router
from dangjian.units.api import router as units_router
from dangjian.venues.api import router as venues_router

NOT_FOUND = "未找到或无权访问"


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese written as itself, not as \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="智慧党建引领基层治理平台 API",
    version="1.0.0",
    urls_namespace="api",
    auth=[token_auth, session_auth],
    renderer=ChineseJSONRenderer(),
    description=(
        "所有接口按登录用户的管辖范围返回数据；范围外与不存在一律 404。"
        "认证：`Authorization: Bearer <令牌>`（令牌用 `dangjian token create` 或登录网页后 `POST /accounts/tokens` 获取；令牌不能再创建令牌），"
        "或浏览器会话 Cookie（修改类请求须带 CSRF 令牌）。"
        '错误格式：`{"detail": 说明, "errors": {字段: [说明]}}`。'
        "请求频率按令牌和来源地址限制，超出时答 429，`Retry-After` 头给出需等待的秒数。"
    ),
)
api.add_router("/accounts", accounts_router)
api.add_router("/territory", territory_router)
api.add_router("/party", party_router)
api.add_router("/people", people_router)
api.add_router("/units", units_router)
api.add_router("/venues", venues_router)
api.add_router("/notifications", notifications_router)
api.add_router("/appeals", appeals_router)
api.add_router("/dispatch", dispatch_router)
api.add_router("/needs", needs_router)
api.add_router("/service", service_router)
api.add_router("/points", points_router)


def _field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


# pydantic error types → what a Chinese user reads.
_PYDANTIC_MESSAGES = {
    "missing": "此项为必填项",
    "string_type": "应为文本",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在可选范围内",
    "enum": "取值不在可选范围内",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "请求体不是合法的 JSON",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    **BOUND_MESSAGES,
}


def _pydantic_field(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if p not in ("body", "payload", "query", "path", "form")]
    return ".".join(parts) or "__all__"


@api.exception_handler(DjangoValidationError)
def on_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "提交的数据有误，未保存", "errors": _field_errors(exc)}, status=422
    )


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        message = _PYDANTIC_MESSAGES.get(str(err.get("type", "")), "格式不正确")
        errors.setdefault(_pydantic_field(err.get("loc")), []).append(message)
    return api.create_response(request, {"detail": "请求参数有误", "errors": errors}, status=422)


@api.exception_handler(ScopeError)
def on_scope_error(request: HttpRequest, exc: ScopeError) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or NOT_FOUND}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "未登录或令牌无效（令牌可能已被吊销）"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RawPostDataException)
def on_form_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """A form or multipart body sent to an endpoint that reads JSON: the form was already parsed
    (core.middleware checks its fields), so the raw body is gone — the client's mistake, not ours."""
    return api.create_response(
        request, {"detail": "请求体应为 JSON（Content-Type: application/json）"}, status=415
    )


@api.exception_handler(Exception)
def on_unhandled(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else leaves ninja (whose own handler answers a plain-text traceback in DEBUG and
    Django's HTML page otherwise) and reaches core.middleware: a JSON 500, logged with the
    traceback, or a 503 when the database is down."""
    raise exc
