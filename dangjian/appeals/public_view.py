"""What anyone may read of a case: ONE projection, used by Open311 (``GET requests``,
``requests/{id}``) and by the web's public pages (``/appeals/c/<number>/``, the nearby list).

Published for every case: the number, the category, the status, and the location snapped
to the centre of a cell of ``CELL`` degrees (≈ 111 m × 103 m here; see :func:`coarse`).
Never published: the address, the exact point, the reporter (name, phone, account), the
tracking token.

An ordinary case (resident web/app, Open311, API, grid patrol) also publishes its dates, the
agency handling it, the closure reason, and its title and description **scrubbed**
(:func:`scrub`): mobile and landline phone numbers, 18/15-digit ID numbers (and other long
digit runs such as bank cards), house numbers (门牌/号楼/栋/单元/室… and ``3-2-501``), and
the case's own address and contact name wherever they are quoted, are replaced by a
placeholder.

A private case — anonymous, enterprise (服务企业马上办) or a 12345 hotline work order, whose
caller never chose to publish anything — publishes the number, category, status and coarse
location only: no dates, no text, no agency, no photo.

Limits of the scrubbing (regular expressions, not understanding): a phone number written in
words (“一三八…”), a house number written without any marker (“住在 201”), a road name with
its number spelled out in Chinese numerals (“八号”), personal names other than the case's
own contact, and e-mail/WeChat ids are not recognised; a date written “3-5-2026” or a metro
“3号线” is. What is published is shaped for a public map of problems, not for a case file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from django.db.models import QuerySet

from dangjian.appeals.choices import FINAL_STATES, Channel, Status
from dangjian.appeals.models import Case

CLOSED_STATES = {*FINAL_STATES, Status.CLOSED}

# Cell size in degrees. 0.001° of latitude is 111 m everywhere; of longitude 111 m × cos(lat)
# (≈ 103 m at 22.7°N, the deployment's latitude). A fixed cell, rather than the grid's
# centre, because grids range from a few blocks to whole villages (a rural grid's centre says
# nothing; a small urban grid's names a building), and cases placed at a street or county
# have no grid; the cell is the same size everywhere and needs no query. The same point
# always falls in the same cell, so many reports cannot be averaged into a finer position.
CELL = 0.001

PHONE_MARK = "（电话已隐去）"
ID_MARK = "（证件号已隐去）"
NUMBER_MARK = "（号码已隐去）"
ADDRESS_MARK = "（门牌已隐去）"
PRIVATE_NOTE = "该诉求为匿名、企业或 12345 热线诉求，内容不予公开"

# 18-digit resident ID (last character a digit or X) and the old 15-digit one.
_ID = re.compile(r"(?<![\dA-Za-z])(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")
# Any other run of 12+ digits (bank cards, account and licence numbers).
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s-]?\d){11,}(?!\d)")
# Mobile: 1[3-9]x xxxx xxxx, optionally +86, with spaces or dashes between the groups.
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
# Landline: (0775)1234567, 0775-1234567, 0775 1234 567; and 400/800 service numbers.
_LANDLINE = re.compile(
    r"(?<!\d)(?:[(（]0\d{2,3}[)）]\s*|0\d{2,3}[\s-]?)\d{3,4}[\s-]?\d{3,4}(?!\d)"
    r"|(?<!\d)[48]00[\s-]?\d{3}[\s-]?\d{4}(?!\d)"
)
# A local number after a word that announces one: 电话 6212345, 联系方式：621-2345.
_ANNOUNCED = re.compile(r"(电话|手机|座机|联系方式|联系电话|号码|tel|Tel|TEL)([:：\s]*)\d[\d\s-]{5,}\d")
# House numbers: 3栋201, 12号楼3单元402室, A座1502, 人民路88号, 二楼, 5组, 3-2-501.
_NUM = r"(?:\d+|[A-Za-z](?=[栋幢座]))"
_CN_NUM = r"[一二三四五六七八九十两]+"
_PART = (
    rf"(?:{_NUM}\s*(?:号楼|号院|号门|栋|幢|座|单元|层|楼|室|组)"
    rf"|{_CN_NUM}(?:号楼|栋|幢|单元)"
    r"|(?<![月\d])\d+\s*号(?![线码文]))"
)
_ADDRESS = re.compile(
    rf"{_PART}(?:\s*[-－—]?\s*{_PART})*(?:[-－—]?\d+(?:室|房|号)?)?"
    r"|(?<![\d-])\d{1,3}(?:[-－—]\d{1,4}){2,3}(?![\d-])"
)


# Full-width digits (１３８…) are read as ASCII ones before the patterns run.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def coarse(value: float | None) -> float | None:
    """The centre of the ``CELL``-degree cell the coordinate falls in (4 decimals)."""
    if value is None or not math.isfinite(value):
        return None
    return round((math.floor(round(value / CELL, 9)) + 0.5) * CELL, 4)


def scrub(text: str, *, known: tuple[str, ...] = ()) -> str:
    """``text`` without phone numbers, ID numbers and house numbers; ``known`` strings (the
    case's own address and contact name) are removed wherever they are quoted."""
    if not text:
        return ""
    text = text.translate(_FULL_WIDTH_DIGITS)
    for value in sorted({k.strip() for k in known if k and len(k.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, ADDRESS_MARK if any(c.isdigit() for c in value) else "（已隐去）")
    text = _ID.sub(ID_MARK, text)
    text = _MOBILE.sub(PHONE_MARK, text)
    text = _LONG_NUMBER.sub(NUMBER_MARK, text)
    text = _LANDLINE.sub(PHONE_MARK, text)
    text = _ANNOUNCED.sub(lambda m: f"{m.group(1)}{m.group(2)}{PHONE_MARK}", text)
    return _ADDRESS.sub(ADDRESS_MARK, text)


def is_private(case: Case) -> bool:
    """Anonymous, enterprise and 12345 hotline cases: nothing but category/status/location."""
    return bool(
        case.anonymous or case.category.enterprise or case.channel in (Channel.ENTERPRISE, Channel.HOTLINE)
    )


@dataclass(frozen=True)
class PublicCase:
    number: str
    private: bool
    category_name: str
    category_code: str
    top_category_name: str
    status: str
    status_label: str
    closed: bool
    status_notes: str
    title: str
    description: str
    received_on: dt.date | None
    requested_at: dt.datetime | None
    updated_at: dt.datetime | None
    expected_at: dt.datetime | None
    agency: str
    area: str
    lat: float | None
    lng: float | None


# The Case columns (and related columns) the projection reads: callers add them to ``only``.
FIELDS = (
    "number",
    "anonymous",
    "channel",
    "status",
    "title",
    "description",
    "address",
    "contact_name",
    "closure_reason",
    "received_on",
    "created_at",
    "updated_at",
    "resolve_due",
    "lat",
    "lng",
    "category__name",
    "category__code",
    "category__enterprise",
)


# What the projection follows from a case: ``cases()`` loads them with the case.
RELATED = ("category", "top_category", "grid", "community", "street", "assignee_unit", "handling_node")


def cases(qs: QuerySet[Case]) -> QuerySet[Case]:
    """``qs`` loading exactly what :func:`of` reads, in one query."""
    names = [f"{r}__name" for r in RELATED]
    return qs.select_related(*RELATED).only(*FIELDS, *names)


def _area(case: Case) -> str:
    """The grid (or community, street) the case lies in — never the compound (小区)."""
    for node in (case.grid, case.community, case.street):
        if node is not None:
            return str(node.name)
    return ""


def _agency(case: Case) -> str:
    if case.assignee_unit_id and case.assignee_unit is not None:
        return str(case.assignee_unit.name)
    return str(case.handling_node.name)


def public_title(case: Case) -> str:
    """The title anyone may read (the category's name for a private case)."""
    if is_private(case):
        return str(case.category.name)
    return scrub(case.title, known=(case.address, case.contact_name)) or str(case.category.name)


def of(case: Case) -> PublicCase:
    """The public projection of ``case`` (see the module's docstring for the rules)."""
    private = is_private(case)
    status = Status(case.status)
    known = (case.address, case.contact_name)
    notes = str(status.label)
    if not private and case.closure_reason and case.status in CLOSED_STATES:
        notes = f"{notes}：{scrub(case.closure_reason, known=known)}"
    top = case.top_category
    return PublicCase(
        number=case.number,
        private=private,
        category_name=str(case.category.name),
        category_code=str(case.category.code),
        top_category_name=str(top.name),
        status=str(case.status),
        status_label=str(status.label),
        closed=case.status in CLOSED_STATES,
        status_notes=notes,
        title=public_title(case),
        description="" if private else scrub(case.description, known=known),
        received_on=None if private else case.received_on,
        requested_at=None if private else case.created_at,
        updated_at=None if private else case.updated_at,
        expected_at=None if private else case.resolve_due,
        agency="" if private else _agency(case),
        area=_area(case),
        lat=coarse(case.lat),
        lng=coarse(case.lng),
    )
