"""Open311 GeoReport v2 at /open311/v2/ — every method in .json and .xml.

Reads are public and carry no personal data (like FixMyStreet's public Open311). A POST
needs a client ``api_key`` (issued on the 接口密钥 page or with ``dangjian apikey create``)
in the form body or an ``X-Api-Key`` header, never in the query string (400, see ``keys``);
it files a case through ``appeals.actions.submit_case`` with channel ``open311`` and
``acting_user=None`` (the system), so the case enters the usual triage queue:
- ``lat``/``long`` place it at its grid (or the street/county the point falls in);
- ``address_string`` alone goes to the triage queue of the deployment's county node (the
  first county node, by id).
Retries are safe: an ``Idempotency-Key`` header, or else ``device_id`` plus a hash of the
form, maps a retry to the case the first try created. Without either every POST is new.

Media: ``media_url`` (a link, stored with the description and shown as a link; the server
never fetches it) and, as the GeoReport v2 extensions do, a multipart ``media`` file, checked
by ``appeals.photos`` (images only, 10 MB, EXIF/GPS stripped) before anything is written.
``GET requests`` gives the first such photo as ``media_url`` (served to anyone: photos posted
through the public interface are public; see ``appeals.photos``).

Extensions (documented): ``servicerequestupdates`` (status changes; start_date, end_date,
max) and ``requests/{id}/updates``; the POST response carries an ``X-Open311-Token`` header
usable with ``tokens/{token}``.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from datetime import datetime, time, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.appeals import actions, photos
from dangjian.appeals.choices import Channel, Priority
from dangjian.appeals.open311 import selectors
from dangjian.appeals.open311.keys import client_key
from dangjian.appeals.open311.serializers import error, respond
from dangjian.core import bounds
from dangjian.territory.models import Node

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-21T00:00:00+08:00"
DEFAULT_DAYS = 90
TOKEN_SALT = "open311.token"
TITLE_LENGTH = 30
ATTRIBUTE = f"attribute[{selectors.PRIORITY_ATTRIBUTE}]"


class BadInput(Exception):
    def __init__(self, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.status = status


# --- discovery and services --------------------------------------------------------------


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", args=[fmt])).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": "诉求受理中心（12345 热线）",
        "key_service": "接口密钥由市级管理员在“接口密钥”页面签发",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, data, root="discovery")


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    data = [selectors.service_dict(c) for c in selectors.services()]
    return respond(fmt, data, root="services", item="service")


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = selectors.service(code)
    if category is None:
        return error(fmt, 404, f"没有服务类别 {code}")
    return respond(fmt, selectors.definition_dict(category), root="service_definition")


# --- service requests ---------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        return _create(request, fmt) if request.method == "POST" else _search(request, fmt)
    except BadInput as e:
        return error(fmt, e.status, e.description)


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    cases = selectors.public_cases()
    ids = _csv(request.GET.get("service_request_id"))
    if ids:  # overrides every other filter, as the specification says
        cases = cases.filter(number__in=ids)
    else:
        codes = _csv(request.GET.get("service_code"))
        if codes:
            cases = cases.filter(category__code__in=codes)
        start, end = _period(request)
        cases = cases.filter(created_at__gte=start, created_at__lte=end)
        wanted = set(_csv(request.GET.get("status")))
        if wanted - {"open", "closed"}:
            raise BadInput("status 只能是 open 或 closed（可用逗号分隔）")
        if wanted == {"open"}:
            cases = cases.exclude(status__in=selectors.CLOSED_STATES)
        elif wanted == {"closed"}:
            cases = cases.filter(status__in=selectors.CLOSED_STATES)
    base = _base(request)
    data = [
        selectors.request_dict(c, base) for c in cases.order_by("-created_at", "-id")[: selectors.MAX_RESULTS]
    ]
    return respond(fmt, data, root="service_requests", item="request")


@require_GET
def service_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    case = selectors.public_cases().filter(number=request_id).first()
    if case is None:
        return error(fmt, 404, f"没有编号为 {request_id} 的诉求")
    data = [selectors.request_dict(case, _base(request))]
    return respond(fmt, data, root="service_requests", item="request")


def _base(request: HttpRequest) -> str:
    """Scheme and host, for absolute ``media_url`` links."""
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    try:
        number = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return error(fmt, 404, "令牌无效")
    if not selectors.public_cases().filter(number=number).exists():
        return error(fmt, 404, "令牌无效")
    data = [{"service_request_id": number, "token": token}]
    return respond(fmt, data, root="service_requests", item="request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    key = client_key(request)
    if key is None:
        raise BadInput("api_key 缺失、无效或已吊销", status=403)
    form = request.POST
    code = form.get("service_code", "").strip()
    if not code:
        raise BadInput("缺少 service_code")
    category = selectors.service(code)
    if category is None:
        raise BadInput(f"没有服务类别 {code}")
    lat, lng = _coordinate(form.get("lat"), "lat", 90), _coordinate(form.get("long"), "long", 180)
    if (lat is None) != (lng is None):
        raise BadInput("lat 与 long 须同时提供")
    address = form.get("address_string", "").strip()
    node = None
    if lat is None:
        if not address:
            raise BadInput("须提供位置：lat/long 或 address_string")
        node = Node.objects.filter(level="county").order_by("id").first()
        if node is None:
            raise BadInput("本平台尚未配置县（市、区），无法按地址受理")
    # The priority is the triage staff's to set (see selectors.definition_dict).
    if form.get(ATTRIBUTE, "").strip() not in ("", Priority.NORMAL):
        raise BadInput(f"紧急程度由受理的工作人员确定，{ATTRIBUTE} 不能设置（只可不填或填 normal）")
    description = form.get("description", "").strip() or category.name
    media_url = form.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise BadInput("media_url 不是有效的网址") from None
        description = f"{description}\n{selectors.MEDIA_LINE}{media_url}"
    prepared: list[photos.Prepared] = []
    media = request.FILES.getlist("media")
    if len(media) > 1:
        raise BadInput("media 只能上传一个文件")
    if media:
        try:
            prepared = photos.prepare_images(media)
        except ValidationError as e:
            raise BadInput("media：" + "；".join(e.messages)) from None
    first_line = description.splitlines()[0] if description else category.name
    title = first_line[:TITLE_LENGTH] or category.name
    contact_name = f"{form.get('last_name', '').strip()}{form.get('first_name', '').strip()}"[:50]
    try:
        with transaction.atomic():
            submitted = actions.submit_case(
                channel=Channel.OPEN311,
                category=category,
                title=title,
                description=description,
                idempotency_key=_idempotency_key(request, key.pk),
                lng=lng,
                lat=lat,
                address=address[:200],
                node=node,
                contact_name=contact_name,
                contact_phone=form.get("phone", "").strip(),
                acting_user=None,
            )
            if submitted.created and prepared:  # a retry does not attach the photo again
                photos.attach_photos(submitted.case, prepared, "report", None)
    except ValidationError as e:
        raise BadInput("；".join(e.messages)) from None
    case = submitted.case
    notice = f"已收到，诉求编号 {case.number}，将进入受理流程。可用该编号查询办理进度。"
    data = [{"service_request_id": case.number, "service_notice": notice, "account_id": None}]
    response = respond(fmt, data, root="service_requests", item="request")
    response["X-Open311-Token"] = signing.dumps(case.number, salt=TOKEN_SALT)
    return response


def _idempotency_key(request: HttpRequest, key_id: int) -> str:
    header = request.headers.get("Idempotency-Key", "").strip()
    if header:
        seed = f"{key_id}|header|{header}"
    elif request.POST.get("device_id", "").strip():
        form = sorted((k, v) for k, v in request.POST.lists() if k != "api_key")
        seed = f"{key_id}|device|{json.dumps(form, ensure_ascii=False)}"
    else:
        return f"o311:{uuid.uuid4().hex}"
    return "o311:" + hashlib.sha256(seed.encode()).hexdigest()


# --- updates (extension) ----------------------------------------------------------------------


@require_GET
def service_request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        start, end = _period(request)
        limit = _max(request.GET.get("max"))
    except BadInput as e:
        return error(fmt, e.status, e.description)
    rows = selectors.updates().filter(at__gte=start, at__lte=end).order_by("at", "id")[:limit]
    data = [selectors.update_dict(t) for t in rows]
    return respond(fmt, data, root="service_request_updates", item="request_update")


@require_GET
def request_updates(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if not selectors.public_cases().filter(number=request_id).exists():
        return error(fmt, 404, f"没有编号为 {request_id} 的诉求")
    rows = selectors.updates().filter(case__number=request_id).order_by("at", "id")[: selectors.MAX_RESULTS]
    data = [selectors.update_dict(t) for t in rows]
    return respond(fmt, data, root="service_request_updates", item="request_update")


# --- input parsing ----------------------------------------------------------------------------


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _when(value: str | None, name: str, *, end: bool) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = parse_date(value) if len(value) == len("2026-01-01") else None
        if day is not None:  # a bare date covers the whole day
            moment: datetime | None = datetime.combine(day, time.max if end else time.min)
        else:
            moment = parse_datetime(value)
        if moment is None:
            raise ValueError
    except ValueError:
        raise BadInput(f"{name} 须为 W3C 日期时间，例如 2026-11-01T00:00:00+08:00") from None
    if not bounds.in_range(moment):
        raise BadInput(f"{name} 超出范围（{bounds.YEAR_MIN}—{bounds.YEAR_MAX} 年）")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _period(request: HttpRequest) -> tuple[datetime, datetime]:
    start = _when(request.GET.get("start_date"), "start_date", end=False)
    end = _when(request.GET.get("end_date"), "end_date", end=True)
    if start and not end:
        end = max(timezone.now(), start + timedelta(days=DEFAULT_DAYS))
    end = end or timezone.now()
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise BadInput("start_date 不能晚于 end_date")
    return start, end


def _max(value: str | None) -> int:
    if not value:
        return selectors.MAX_RESULTS
    try:
        n = int(value)
    except ValueError:
        raise BadInput("max 须为正整数") from None
    if n < 1:
        raise BadInput("max 须为正整数")
    return min(n, selectors.MAX_RESULTS)


def _coordinate(value: str | None, name: str, bound: float) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise BadInput(f"{name} 须为数字") from None
    if not math.isfinite(number) or abs(number) > bound:
        raise BadInput(f"{name} 超出范围")
    return number
