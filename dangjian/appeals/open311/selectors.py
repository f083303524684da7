"""Public reads for Open311: services, requests and their updates, without personal data.

What a request shows is ``appeals.public_view`` (the same projection as the web's public
case page): no address, a coarse point, a scrubbed description, and only category, status
and coarse point for anonymous and 12345 hotline cases. Enterprise (服务企业马上办)
categories and cases stay out of the public interface altogether.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from dangjian.appeals import photos, public_view
from dangjian.appeals.choices import FINAL_STATES, Channel, Event, Status
from dangjian.appeals.models import Case, Category, Photo, Transition
from dangjian.appeals.open311.serializers import w3c

MAX_RESULTS = 1000
CLOSED_STATES = {*FINAL_STATES, Status.CLOSED}
PRIORITY_ATTRIBUTE = "priority"
# ``media_url`` given by a client is kept as the last line of the description (views._create).
MEDIA_LINE = "图片链接： "
_MEDIA_RE = re.compile(r"^图片链接：\s*(https?://\S+)$", re.MULTILINE)
_MEDIA_LINE_RE = re.compile(r"^图片链接：.*$", re.MULTILINE)


def open_or_closed(status: str) -> str:
    return "closed" if status in CLOSED_STATES else "open"


def services() -> QuerySet[Category]:
    return Category.objects.filter(level=3, enterprise=False, active=True).select_related("parent__parent")


def service(code: str) -> Category | None:
    return services().filter(code=code).first()


def service_dict(category: Category) -> dict[str, Any]:
    middle = category.parent
    top = middle.parent if middle is not None else None
    path = " / ".join(c.name for c in (top, middle, category) if c is not None)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{path}（办结时限 {category.resolve_days} 个工作日）",
        "metadata": True,  # every service describes its 紧急程度 attribute (informational)
        "type": "realtime",
        "keywords": ",".join(c.name for c in (middle, category) if c is not None),
        "group": top.name if top is not None else (middle.name if middle is not None else category.name),
    }


def definition_dict(category: Category) -> dict[str, Any]:
    """The 紧急程度 attribute is informational (``variable`` false): the staff who triage a
    case set its priority; a client may only leave it out or send ``normal``."""
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": False,
                "code": PRIORITY_ATTRIBUTE,
                "datatype": "string",
                "required": False,
                "datatype_description": "由受理的工作人员根据情况确定，提交时不能设置",
                "order": 1,
                "description": "紧急程度",
            }
        ],
    }


def public_cases() -> QuerySet[Case]:
    """Public cases, each with ``first_photo``: the id of its first public photo (or None)."""
    first_photo = (
        Photo.objects.filter(photos.PUBLIC_PHOTOS, case=OuterRef("pk")).order_by("id").values("id")[:1]
    )
    return public_view.cases(Case.objects.filter(category__enterprise=False)).annotate(
        first_photo=Subquery(first_photo)
    )


def media_url(case: Case, base: str = "") -> str:
    """The first public photo, served (without EXIF) by ``appeals:photo``; else the link the
    Open311 client gave as ``media_url`` (stored, never fetched); else ''. None for a private
    case (anonymous, hotline)."""
    if public_view.is_private(case):
        return ""
    photo_id = getattr(case, "first_photo", None)
    if photo_id:
        return base + reverse("appeals:photo", args=[photo_id])
    if case.channel == Channel.OPEN311:
        found = _MEDIA_RE.search(case.description or "")
        if found:
            return found.group(1)
    return ""


def request_dict(case: Case, base: str = "") -> dict[str, Any]:
    shown = public_view.of(case)
    return {
        "service_request_id": shown.number,
        "status": "closed" if shown.closed else "open",
        "status_notes": shown.status_notes,
        "service_name": shown.category_name,
        "service_code": shown.category_code,
        "description": _MEDIA_LINE_RE.sub("", shown.description).strip(),  # the link is media_url
        "agency_responsible": shown.agency,
        "service_notice": "",
        "requested_datetime": w3c(shown.requested_at),
        "updated_datetime": w3c(shown.updated_at),
        "expected_datetime": w3c(shown.expected_at),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": shown.lat,
        "long": shown.lng,
        "media_url": media_url(case, base),
    }


def updates() -> QuerySet[Transition]:
    """Status changes of the public cases; a private case's history (its dates) is not public."""
    return (
        Transition.objects.filter(case__category__enterprise=False, case__anonymous=False)
        .exclude(case__channel__in=[Channel.ENTERPRISE, Channel.HOTLINE])
        .select_related("case")
        .only("id", "at", "event", "from_state", "to_state", "case__number")
    )


def _label(choices: Any, value: str, fallback: str) -> str:
    return choices(value).label if value in choices.values else fallback


def update_dict(t: Transition) -> dict[str, Any]:
    event = "提交诉求" if t.event == "submit" else _label(Event, t.event, t.event)
    return {
        "update_id": t.pk,
        "service_request_id": t.case.number,
        "status": open_or_closed(t.to_state),
        "updated_datetime": w3c(t.at),
        "description": f"{event}（{_label(Status, t.to_state, t.to_state)}）",
        "media_url": "",
    }
