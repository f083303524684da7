"""12345 hotline records from an .xlsx export: validate every row, then create the cases.

The first sheet holds one work order per row under a header row (the usual 12345 export
columns, with common synonyms accepted): 工单编号, 来电时间, 来电人, 联系电话, 诉求地址,
经度, 纬度, 诉求类别 (a category's code, name or 一级/二级/三级 path), 诉求内容, 紧急程度.

Every row is checked first (category, location or a recognisable address inside the city
and the importer's scope, phone, dates, duplicates); one problem anywhere and nothing is
written, with every problem listed as (sheet, row, column, reason). Otherwise each row
becomes a case through ``actions.submit_case`` (channel hotline) with the idempotency key
``hotline:<工单编号>``, all in one transaction — re-importing the same file creates nothing
twice and reports those rows as already there.

The importer (a staff user, or ``None`` for the system on the command line) decides the
scope: every row must lie inside the importer's territory. The cases themselves are filed
by the system (``acting_user=None`` for ``submit_case``): the caller, not the operator, is
the reporter of a 12345 work order, so the operator neither becomes its "reporter" (its
private link, its rating, its notifications) nor sees it under 我的诉求. Who imported each
case is kept in an ``appeals.hotline_import`` audit row.

:func:`import_hotline` takes any binary file object and an optional ``progress`` callback
(``progress(phase, done, total)``, phase ``validating`` or ``importing``); the staff page
(``views_staff.hotline_import``) runs it through :mod:`dangjian.appeals.hotline_jobs`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from dangjian.appeals import actions
from dangjian.appeals.choices import Channel, Priority
from dangjian.appeals.models import Case, Category
from dangjian.core import audit, crypto, xlsx
from dangjian.territory import geo
from dangjian.territory.models import Node

ProgressFn = Callable[[str, int, int], None]

KEY_PREFIX = "hotline:"
MAX_NUMBER = 80 - len(KEY_PREFIX)
TITLE_CHARS = 40

# column key → (header, synonyms)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number": ("工单编号", ("工单号", "编号", "工单编码", "受理编号", "工单流水号", "流水号")),
    "called_at": ("来电时间", ("受理时间", "来电日期", "登记时间", "时间", "来电时刻")),
    "name": ("来电人", ("来电人姓名", "姓名", "诉求人", "反映人", "联系人", "市民姓名")),
    "phone": ("联系电话", ("电话", "手机", "手机号", "手机号码", "来电号码", "联系方式", "来电电话")),
    "address": ("诉求地址", ("地址", "事发地址", "问题地址", "事发地点", "发生地址", "详细地址")),
    "lng": ("经度", ("lng", "lon", "longitude", "x坐标")),
    "lat": ("纬度", ("lat", "latitude", "y坐标")),
    "category": ("诉求类别", ("类别", "分类", "诉求分类", "问题类别", "问题分类", "事项分类", "诉求类型")),
    "content": ("诉求内容", ("内容", "问题描述", "诉求描述", "来电内容", "描述", "反映内容", "诉求详情")),
    "priority": ("紧急程度", ("紧急度", "优先级", "缓急程度", "紧急级别", "缓急")),
}
REQUIRED = ("number", "category", "content")

PRIORITY_WORDS: dict[str, str] = {
    "": Priority.NORMAL,
    "一般": Priority.NORMAL,
    "普通": Priority.NORMAL,
    "正常": Priority.NORMAL,
    "normal": Priority.NORMAL,
    "紧急": Priority.URGENT,
    "加急": Priority.URGENT,
    "较急": Priority.URGENT,
    "urgent": Priority.URGENT,
    "特急": Priority.EMERGENCY,
    "特别紧急": Priority.EMERGENCY,
    "非常紧急": Priority.EMERGENCY,
    "emergency": Priority.EMERGENCY,
}
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)
ADDRESS_LEVELS = {"compound": 4, "grid": 3, "community": 2, "street": 1}


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet row number (0: the file itself)
    column: str
    reason: str
    sheet: str = ""  # the worksheet's name ("" before the workbook could be read)

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        sheet = f"工作表“{self.sheet}”" if self.sheet else ""
        return f"{sheet}{where}{f'「{self.column}」' if self.column else ''}：{self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """The shape of ``exchange.ImportJob.errors`` (and its problem table)."""
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Record:
    """One valid row, ready for ``submit_case``."""

    row: int
    number: str
    category: Category
    content: str
    priority: str
    name: str = ""
    phone: str = ""
    address: str = ""
    lng: float | None = None
    lat: float | None = None
    node: Node | None = None
    called_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        return KEY_PREFIX + self.number

    @property
    def title(self) -> str:
        text = " ".join(self.content.split())
        return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"

    @property
    def description(self) -> str:
        when = f"，来电时间 {self.called_at:%Y-%m-%d %H:%M}" if self.called_at else ""
        return f"{self.content}\n\n（12345 热线工单 {self.number}{when}）"


@dataclass
class Result:
    rows: int = 0
    created: list[Case] = field(default_factory=list)
    existing: int = 0
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return f"发现 {len(self.problems)} 个问题，未导入任何数据"
        return f"共 {self.rows} 条：新建 {len(self.created)} 条，已存在 {self.existing} 条"


# --- reading ---------------------------------------------------------------------------


def _norm_header(value: Any) -> str:
    text = re.sub(r"[（(][^）)]*[）)]", "", str(value or ""))
    return re.sub(r"[\s*＊:：]", "", text).lower()


HEADER_INDEX: dict[str, str] = {}
for _key, (_header, _synonyms) in COLUMNS.items():
    for _name in (_header, *_synonyms):
        HEADER_INDEX[_norm_header(_name)] = _key


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(file: IO[bytes]) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """The data rows of the first sheet as ``(row number, {column key: raw value})``.

    Problems carry the sheet's name; :func:`sheet_name` gives it for the rows.
    """
    rows, problems, _ = read_sheet(file)
    return rows, problems


def read_sheet(file: IO[bytes]) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem], str]:
    """Like :func:`read_rows`, plus the name of the sheet that was read."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        return [], [Problem(0, "", "无法读取文件：请上传 Excel（.xlsx）格式的 12345 工单表")], ""
    try:
        ws = wb.worksheets[0]
        sheet = ws.title
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    header_at, columns = None, {}
    for i, values in enumerate(rows[:10]):
        found = {
            idx: HEADER_INDEX[_norm_header(v)]
            for idx, v in enumerate(values)
            if _norm_header(v) in HEADER_INDEX
        }
        if "number" in found.values() or len(found) >= 3:
            header_at, columns = i, found
            break
    if header_at is None:
        return (
            [],
            [Problem(1, "", "未找到表头：第一行应包含 工单编号、诉求类别、诉求内容 等列", sheet)],
            sheet,
        )
    problems = []
    present = set(columns.values())
    for key in REQUIRED:
        if key not in present:
            problems.append(Problem(header_at + 1, COLUMNS[key][0], "缺少此列", sheet))
    if "address" not in present and not {"lng", "lat"} <= present:
        problems.append(
            Problem(header_at + 1, "诉求地址", "缺少此列：须有“诉求地址”列，或“经度”“纬度”两列", sheet)
        )
    if problems:
        return [], problems, sheet
    out = []
    for i, values in enumerate(rows[header_at + 1 :], start=header_at + 2):
        data = {key: values[idx] if idx < len(values) else None for idx, key in columns.items()}
        if all(_cell_text(v) == "" for v in data.values()):
            continue
        out.append((i, data))
    return out, [], sheet


# --- validation ------------------------------------------------------------------------


class _Categories:
    """Active, non-enterprise categories by code, by name and by 一级/二级/三级 path."""

    def __init__(self) -> None:
        cats = list(Category.objects.filter(active=True))
        by_pk = {c.pk: c for c in cats}
        self.by_code = {c.code: c for c in cats}
        self.by_name: dict[str, list[Category]] = {}
        self.by_path: dict[str, Category] = {}
        for c in cats:
            self.by_name.setdefault(c.name, []).append(c)
            parts, p = [c.name], c
            while p.parent_id is not None and p.parent_id in by_pk:
                p = by_pk[p.parent_id]
                parts.append(p.name)
            self.by_path["/".join(reversed(parts))] = c

    def find(self, text: str) -> tuple[Category | None, str]:
        text = text.strip()
        if not text:
            return None, "请填写诉求类别"
        path = "/".join(p.strip() for p in re.split(r"\s*[/>＞→\\-]\s*", text) if p.strip())
        found = self.by_code.get(text) or self.by_path.get(path)
        if found is None:
            matches = self.by_name.get(text, [])
            if len(matches) > 1:
                deepest = max(m.level for m in matches)
                matches = [m for m in matches if m.level == deepest]
            if len(matches) > 1:
                return None, f"分类名称“{text}”不唯一，请填写分类编码或“一级/二级/三级”完整路径"
            found = matches[0] if matches else None
        if found is None:
            return None, f"未找到诉求类别“{text}”（可填写分类编码、名称或“一级/二级/三级”路径）"
        if found.enterprise:
            return None, f"“{found.name}”是企业诉求分类，12345 工单请选择群众诉求分类"
        return found, ""


class _Places:
    """Territory nodes recognisable in an address, longest name first."""

    def __init__(self) -> None:
        nodes = Node.objects.filter(level__in=list(ADDRESS_LEVELS)).only("id", "name", "level", "parent_id")
        self.nodes = sorted(
            (n for n in nodes if len(n.name) >= 2), key=lambda n: (-len(n.name), -ADDRESS_LEVELS[n.level])
        )

    def find(self, address: str) -> Node | None:
        best: Node | None = None
        for n in self.nodes:
            if n.name in address and (best is None or ADDRESS_LEVELS[n.level] > ADDRESS_LEVELS[best.level]):
                best = n
        return best


def _in_scope_ids(user: Any) -> set[int] | None:
    """Node ids the importer may add cases at (``None``: anywhere)."""
    if user is None or getattr(user, "is_superuser", False):
        return None
    return set(Node.objects.restrict(user, "add").values_list("pk", flat=True))


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = _cell_text(value)
        for fmt in DATE_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _parse_float(value: Any) -> float | None:
    text = _cell_text(value)
    if not text:
        return None
    return float(text)


def validate(
    rows: list[tuple[int, dict[str, Any]]],
    *,
    acting_user: Any,
    sheet: str = "",
    progress: ProgressFn | None = None,
) -> tuple[list[Record], int, list[Problem]]:
    """Check every row. Returns (records to create, rows already imported, problems)."""
    numbers = [_cell_text(d.get("number")) for _, d in rows]
    existing = set(
        Case.objects.filter(idempotency_key__in=[KEY_PREFIX + n for n in numbers if n]).values_list(
            "idempotency_key", flat=True
        )
    )
    categories, places, scope = _Categories(), _Places(), _in_scope_ids(acting_user)
    now = timezone.now()
    seen: dict[str, int] = {}
    records: list[Record] = []
    problems: list[Problem] = []
    already = 0
    for done, (row, data) in enumerate(rows, start=1):
        if progress is not None:
            progress("validating", done, len(rows))
        errs: list[Problem] = []

        def bad(key: str, reason: str, row: int = row, errs: list[Problem] = errs) -> None:
            errs.append(Problem(row, COLUMNS[key][0], reason, sheet))

        number = _cell_text(data.get("number"))
        if not number:
            bad("number", "请填写工单编号")
        elif len(number) > MAX_NUMBER:
            bad("number", f"工单编号不超过 {MAX_NUMBER} 个字符")
        elif number in seen:
            bad("number", f"与第 {seen[number]} 行的工单编号重复")
        else:
            seen[number] = row
        if number and KEY_PREFIX + number in existing:
            already += 1
            problems.extend(errs)
            continue
        category, why = categories.find(_cell_text(data.get("category")))
        if category is None:
            bad("category", why)
        content = _cell_text(data.get("content"))
        if not content:
            bad("content", "请填写诉求内容")
        elif len(content) > actions.MAX_TEXT:
            bad("content", f"诉求内容不超过 {actions.MAX_TEXT} 字")
        priority = PRIORITY_WORDS.get(_cell_text(data.get("priority")).lower())
        if priority is None:
            bad("priority", "紧急程度只能填写 一般 / 紧急 / 特急")
        name = _cell_text(data.get("name"))
        if len(name) > 50:
            bad("name", "来电人姓名不超过 50 个字")
        phone = crypto.normalise_phone(_cell_text(data.get("phone")))
        if phone and not crypto.is_valid_phone(phone):
            bad("phone", "联系电话不正确，须为 11 位手机号码")
        called_at = None
        if _cell_text(data.get("called_at")):
            try:
                called_at = _parse_time(data.get("called_at"))
            except ValueError:
                bad("called_at", "来电时间格式不正确，如 2026-03-05 09:30")
            else:
                if called_at and called_at > now + dt.timedelta(hours=1):
                    bad("called_at", "来电时间不能晚于当前时间")
        address = _cell_text(data.get("address"))
        if len(address) > 200:
            bad("address", "诉求地址不超过 200 个字")
        lng = lat = None
        node: Node | None = None
        place_id: int | None = None
        try:
            lng, lat = _parse_float(data.get("lng")), _parse_float(data.get("lat"))
        except ValueError:
            bad("lng", "经纬度须为数字")
        else:
            if (lng is None) != (lat is None):
                bad("lng" if lng is None else "lat", "经度、纬度须同时填写")
            elif lng is not None and lat is not None:
                if not (-180 <= lng <= 180 and -90 <= lat <= 90):
                    bad("lng", "经纬度超出范围（经度在前，如 110.35；纬度如 22.70）")
                else:
                    where = geo.place_point(lng, lat)
                    place_id = where.grid_id or where.street_id or where.county_id
                    if place_id is None:
                        bad("lng", "该位置不在本市范围内，无法受理")
            elif not address:
                bad("address", "请填写诉求地址，或填写经度、纬度")
            else:
                node = places.find(address)
                if node is None:
                    bad("address", "无法从地址识别所在街道、社区、网格或小区，请补充经度、纬度")
                else:
                    place_id = node.pk
        if place_id is not None and scope is not None and place_id not in scope:
            bad("address" if node else "lng", "该位置超出您的管辖范围")
        if errs:
            problems.extend(errs)
            continue
        assert category is not None and priority is not None
        records.append(
            Record(
                row=row,
                number=number,
                category=category,
                content=content,
                priority=priority,
                name=name,
                phone=phone,
                address=address,
                lng=lng,
                lat=lat,
                node=node if lng is None else None,
                called_at=called_at,
            )
        )
    return records, already, problems


# --- import ----------------------------------------------------------------------------


def import_hotline(file: IO[bytes], *, acting_user: Any, progress: ProgressFn | None = None) -> Result:
    """Validate the whole workbook, then create every new case in one transaction."""
    rows, problems, sheet = read_sheet(file)
    result = Result(rows=len(rows), problems=problems, sheet=sheet)
    if problems:
        return result
    if not rows:
        result.problems.append(Problem(0, "", "表中没有工单数据", sheet))
        return result
    records, result.existing, result.problems = validate(
        rows, acting_user=acting_user, sheet=sheet, progress=progress
    )
    if result.problems:
        return result
    current: Record | None = None
    try:
        with transaction.atomic():
            for done, current in enumerate(records, start=1):
                if progress is not None:
                    progress("importing", done, len(records))
                submitted = actions.submit_case(
                    channel=Channel.HOTLINE,
                    category=current.category,
                    title=current.title,
                    description=current.description,
                    idempotency_key=current.key,
                    lng=current.lng,
                    lat=current.lat,
                    address=current.address,
                    node=current.node,
                    priority=current.priority,
                    contact_name=current.name,
                    contact_phone=current.phone,
                    acting_user=None,  # filed by the system: the caller is the reporter
                )
                if submitted.created:
                    result.created.append(submitted.case)
                    audit.record(
                        acting_user,
                        "appeals.hotline_import",
                        submitted.case,
                        after={"hotline_number": current.number, "row": current.row, "sheet": sheet},
                    )
                else:
                    result.existing += 1
    except ValidationError as exc:
        row = current.row if current else 0
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        result.created = []
        result.problems = [
            Problem(row, k if k != "__all__" else "", "；".join(v), sheet) for k, v in messages.items()
        ]
    return result


def template_workbook() -> bytes:
    """An empty 12345 import template with one example row (for a download link)."""
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "12345工单"
    xlsx.append(ws, [header for header, _ in COLUMNS.values()])
    xlsx.append(
        ws,
        [
            "GX12345-20260305-0001",
            "2026-03-05 09:30",
            "张先生",
            "13800138000",
            "北流市陵城街道桂塘社区东湖一号小区门口",
            110.355,
            22.705,
            "城乡建设/城市建设和市政管理/园林绿化环卫",
            "小区门口路灯不亮已有三天，晚上出行不便",
            "一般",
        ],
    )
    for col, width in zip("ABCDEFGHIJ", (24, 18, 10, 14, 36, 10, 10, 30, 40, 10), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def problems_text(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]
