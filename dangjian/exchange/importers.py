"""Excel import: per-kind column specs, whole-workbook validation, then one atomic write.

A workbook holds one sheet per kind (sheet name = the kind's Chinese name). Every row of
every sheet is checked first — required columns, types, choices (Chinese labels), codes
and names that must exist (in the database or on an earlier row of the same workbook),
duplicates within the file and against the database, personal-data validity and the
importing user's scope. Only a workbook with no problem at all is written, through the
apps' action functions, inside one ``transaction.atomic()``.
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from dangjian.core import crypto
from dangjian.core.access import ScopeError
from dangjian.party import actions as party_actions
from dangjian.party.choices import ALLOWED_CHILDREN, MemberCategory, MemberStatus, OrgKind
from dangjian.party.models import Organization
from dangjian.people import actions as people_actions
from dangjian.people.choices import ResidenceType, ResidentTag
from dangjian.people.models import Person
from dangjian.territory import actions as territory_actions
from dangjian.territory import codes, geo
from dangjian.territory.choices import PARENT_LEVEL, GridType, Level
from dangjian.territory.models import Node
from dangjian.units import actions as unit_actions
from dangjian.units.choices import UnitKind
from dangjian.units.models import Unit
from dangjian.venues import actions as venue_actions
from dangjian.venues.choices import FUNCTIONS, CenterLevel, PositionKind

LIST_SEP = re.compile(r"[、,，;；/\s]+")
HELP_SHEET = "说明"

# --- column specs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    required: bool = False
    help: str = ""
    example: Any = ""
    choices: type[models.TextChoices] | None = None
    text: bool = False  # codes, ID numbers, phones: kept as text in the template
    width: int = 16


@dataclass(frozen=True)
class Kind:
    key: str
    sheet: str  # the sheet name and the kind's Chinese name
    icon: str
    columns: tuple[Col, ...]
    note: str = ""

    def col(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


def _example_id(first17: str) -> str:
    return first17 + crypto.id_check_digit(first17)


def _example_credit(first17: str) -> str:
    return first17 + unit_actions.credit_check_char(first17)


EXAMPLE_CREDIT = _example_credit("12450981MB1234567")

TERRITORY = Kind(
    "territory",
    "区域",
    "map",
    (
        Col("level", "层级", True, "节点层级", "网格", Level, width=12),
        Col("name", "名称", True, "区域名称，如“桂塘第三网格”", "桂塘第三网格", width=22),
        Col(
            "parent_code",
            "上级编码",
            False,
            "上级节点编码（市级留空）；可以是系统中已有的编码，也可以是本表前面行新建的编码",
            "450981001001",
            text=True,
            width=20,
        ),
        Col(
            "code",
            "编码",
            False,
            "留空则自动分配；市、县级必须填写 GB/T 2260 行政区划代码；街道 9 位、社区 12 位、网格 15 位",
            "",
            text=True,
            width=20,
        ),
        Col("grid_type", "网格类型", False, "仅网格填写，留空为全科网格", "全科网格", GridType, width=14),
        Col("households", "户数", False, "非负整数", 320, width=10),
        Col(
            "boundary",
            "边界GeoJSON",
            False,
            "网格边界，GeoJSON Polygon/MultiPolygon，GCJ-02 经纬度（经度在前）",
            "",
            width=30,
        ),
    ),
    "每行一个区域节点。下级可以引用本表前面行新建节点的编码。",
)

UNITS = Kind(
    "units",
    "单位",
    "buildings",
    (
        Col("name", "单位名称", True, "单位全称", "北流市第一中学", width=24),
        Col("kind", "单位类型", True, "单位类型", "学校", UnitKind, width=12),
        Col(
            "credit_code",
            "统一社会信用代码",
            False,
            "18 位统一社会信用代码（含校验位），可留空",
            EXAMPLE_CREDIT,
            text=True,
            width=22,
        ),
        Col("node_code", "所在区域编码", True, "单位所在的区域节点编码", "450981001001", text=True, width=20),
        Col("address", "地址", False, "单位地址", "北流市陵城街道新荣路 8 号", width=26),
        Col("contact_name", "联系人", False, "联系人姓名", "刘老师", width=12),
        Col("phone", "联系电话", False, "手机号或固定电话（如 0775-6212345）", "0775-6212345", text=True),
        Col("employees", "职工人数", False, "非负整数", 120, width=10),
    ),
)

ORGANIZATIONS = Kind(
    "organizations",
    "党组织",
    "diagram-3",
    (
        Col("name", "组织名称", True, "党组织全称，在本文件中不能重复", "桂塘社区第三网格党支部", width=26),
        Col("kind", "组织类别", True, "组织类别", "党支部", OrgKind, width=12),
        Col(
            "parent_name",
            "上级党组织",
            False,
            "上级党组织名称（系统中已有或本表前面行新建），无上级则留空",
            "桂塘社区党委",
            width=22,
        ),
        Col(
            "node_code", "所在区域编码", True, "党组织所在的区域节点编码", "450981001001", text=True, width=20
        ),
        Col(
            "unit_credit_code",
            "所在单位信用代码",
            False,
            "单位党组织填写所在单位的统一社会信用代码",
            "",
            text=True,
            width=22,
        ),
        Col(
            "is_joint",
            "大党委",
            False,
            "是否为大党委/大工委：是 / 否（仅党委、党工委可为“是”）",
            "否",
            width=10,
        ),
    ),
)

RESIDENTS = Kind(
    "residents",
    "居民",
    "people",
    (
        Col("name", "姓名", True, "居民姓名", "王芳", width=12),
        Col(
            "id_number",
            "身份证号",
            True,
            "18 位公民身份号码",
            _example_id("45098119560312002"),
            text=True,
            width=22,
        ),
        Col("phone", "手机号", False, "11 位手机号", "13812345678", text=True, width=16),
        Col("address", "住址", False, "详细住址（加密保存）", "东湖一号小区3栋201", width=24),
        Col(
            "household_code",
            "所在户/小区编码",
            True,
            "居民所在的户、楼栋、小区或网格的编码",
            "450981001001001001",
            text=True,
            width=22,
        ),
        Col("residence_type", "人口类型", False, "留空为户籍人口", "户籍人口", ResidenceType, width=12),
        Col("is_head", "户主", False, "是 / 否", "是", width=8),
        Col("tags", "关爱标签", False, "多个用“、”分隔", "老年人、空巢老人", ResidentTag, width=20),
    ),
    "同一身份证号同时出现在“居民”和“党员”表时，只建一份人员档案。",
)

MEMBERS = Kind(
    "members",
    "党员",
    "person-badge",
    (
        Col("name", "姓名", True, "党员姓名", "张伟", width=12),
        Col(
            "id_number",
            "身份证号",
            True,
            "18 位公民身份号码",
            _example_id("45098119780701003"),
            text=True,
            width=22,
        ),
        Col("phone", "手机号", False, "11 位手机号", "13912345678", text=True, width=16),
        Col(
            "home_code",
            "居住地编码",
            True,
            "党员居住地的区域节点编码",
            "450981001001001001",
            text=True,
            width=22,
        ),
        Col(
            "org_name",
            "所在党组织",
            True,
            "组织关系所在党组织名称（党支部及以上，不能是党小组）",
            "桂塘社区第三网格党支部",
            width=24,
        ),
        Col("status", "党员状态", True, "正式 / 预备", "正式党员", MemberStatus, width=12),
        Col(
            "category", "党员类别", True, "在职 / 离退休 / 流动 / 口袋", "在职党员", MemberCategory, width=12
        ),
        Col("joined_on", "入党日期", False, "日期，如 2005-07-01", "2005-07-01", width=12),
        Col(
            "work_unit_code",
            "工作单位信用代码",
            False,
            "在职党员工作单位的统一社会信用代码",
            EXAMPLE_CREDIT,
            text=True,
            width=22,
        ),
    ),
)

POSITIONS = Kind(
    "positions",
    "服务阵地",
    "house-heart",
    (
        Col("name", "阵地名称", True, "阵地名称", "桂塘社区党群服务中心", width=24),
        Col("kind", "类型", True, "阵地类型", "党群服务中心", PositionKind, width=14),
        Col("level", "层级", False, "党群服务中心必填", "社区党群服务中心", CenterLevel, width=20),
        Col("node_code", "所在区域编码", True, "阵地所在的区域节点编码", "450981001001", text=True, width=20),
        Col(
            "unit_credit_code",
            "所属单位信用代码",
            False,
            "单位开放场所必填所属单位的统一社会信用代码",
            "",
            text=True,
            width=22,
        ),
        Col("floor_area", "面积", True, "平方米，大于 0", 650, width=10),
        Col(
            "functions",
            "功能室",
            False,
            "多个用“、”分隔，可选：" + "、".join(FUNCTIONS),
            "一站式服务大厅、党员活动室",
            width=28,
        ),
        Col(
            "opening_hours", "开放时间", False, "如 周一至周日 8:30-18:00", "周一至周日 8:30-18:00", width=22
        ),
    ),
)

# Dependency order: what a later sheet refers to is created by an earlier one.
KINDS: tuple[Kind, ...] = (TERRITORY, UNITS, ORGANIZATIONS, RESIDENTS, MEMBERS, POSITIONS)
KINDS_BY_KEY = {k.key: k for k in KINDS}
KINDS_BY_SHEET = {k.sheet: k for k in KINDS}

# Extra spellings people type that are not a prefix of the label.
ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Level: {
        "县": "county",
        "区": "county",
        "县级市": "county",
        "镇": "street",
        "乡": "street",
        "街道": "street",
    },
    MemberStatus: {"正式": "full", "预备": "probationary"},
}

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "", "不是"}


def choice_help(choices: type[models.TextChoices]) -> str:
    return "、".join(str(label) for label in choices.labels)


def _norm(s: str) -> str:
    return s.replace("（", "(").replace("）", ")").replace(" ", "").strip()


def match_choice(choices: type[models.TextChoices], raw: str) -> str | None:
    """The value for a Chinese label (or the value itself, an alias or a unique prefix)."""
    v = _norm(raw)
    if not v:
        return None
    for value, label in choices.choices:
        if v in (_norm(str(label)), value):
            return str(value)
    alias = ALIASES.get(choices, {}).get(v)
    if alias:
        return alias
    hits = [value for value, label in choices.choices if _norm(str(label)).startswith(v)]
    return str(hits[0]) if len(hits) == 1 else None


# --- problems and the parsed workbook --------------------------------------------------


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}

    def line(self) -> str:
        return f"{self.sheet or '-'} / {self.row or '-'} / {self.column or '-'} / {self.reason}"


@dataclass
class Row:
    number: int  # the Excel row number
    values: dict[str, Any]


@dataclass
class Sheet:
    kind: Kind
    title: str
    letters: dict[str, str]  # column key -> "C"
    rows: list[Row]

    def column_label(self, key: str) -> str:
        col = self.kind.col(key)
        letter = self.letters.get(key)
        return f"{letter} {col.header}" if letter else col.header


@dataclass
class Book:
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(len(s.rows) for s in self.sheets)

    @property
    def kinds(self) -> list[str]:
        return [s.kind.key for s in self.sheets]


def _header_key(value: Any) -> str:
    return re.sub(r"[\s*＊]|（必填）|\(必填\)", "", str(value or ""))


def read_book(source: str | IO[bytes]) -> Book:
    """Parse the workbook: known sheets in dependency order, header problems collected."""
    book = Book()
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        book.problems.append(Problem("", 0, "", "文件无法读取：请上传 Excel 2007 及以上的 .xlsx 文件"))
        return book
    try:
        found: dict[str, Any] = {}
        for ws in wb.worksheets:
            kind = KINDS_BY_SHEET.get(ws.title.strip())
            if kind is not None:
                found[kind.key] = ws
        if not found:
            names = "、".join(k.sheet for k in KINDS)
            book.problems.append(
                Problem("", 0, "", f"没有可导入的工作表：工作表名称应为 {names} 之一（可参照导入模板）")
            )
            return book
        for kind in KINDS:
            if kind.key in found:
                sheet = _read_sheet(kind, found[kind.key], book.problems)
                if sheet is not None:
                    book.sheets.append(sheet)
    finally:
        wb.close()
    return book


def _read_sheet(kind: Kind, ws: Any, problems: list[Problem]) -> Sheet | None:
    rows_iter = ws.iter_rows(values_only=True)
    header = next(rows_iter, None) or ()
    by_header = {c.header: c for c in kind.columns}
    positions: dict[str, int] = {}
    letters: dict[str, str] = {}
    ok = True
    for i, cell in enumerate(header):
        name = _header_key(cell)
        col = by_header.get(name)
        if col is None:
            continue
        if col.key in positions:
            problems.append(
                Problem(ws.title, 1, f"{get_column_letter(i + 1)} {col.header}", "列名重复：同一列出现了两次")
            )
            ok = False
            continue
        positions[col.key] = i
        letters[col.key] = get_column_letter(i + 1)
    for col in kind.columns:
        if col.required and col.key not in positions:
            problems.append(Problem(ws.title, 1, col.header, f"缺少必填列「{col.header}」"))
            ok = False
    rows: list[Row] = []
    for number, values in enumerate(rows_iter, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        data = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
        rows.append(Row(number, data))
    # Rows cannot be checked without their required columns: the header problem is enough.
    return Sheet(kind, ws.title, letters, rows) if ok else None


# --- cell parsing ------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    m = _DATE_RE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text) if text.isdigit() else None)
    if not m:
        raise ValueError("日期格式不正确，应为 2005-07-01")
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError("日期不存在") from exc


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        n = value
    elif isinstance(value, float) and value.is_integer():
        n = int(value)
    else:
        text = cell_text(value)
        if not re.fullmatch(r"\d+", text):
            raise ValueError
        n = int(text)
    if n < 0:
        raise ValueError
    return n


def parse_bool(value: Any) -> bool:
    text = cell_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError


# --- validation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """Something created earlier in this workbook; resolved at write time."""

    kind: str
    key: str


@dataclass
class NodeInfo:
    level: str
    name: str
    obj: Node | Ref
    in_scope: bool


@dataclass
class OrgInfo:
    kind: str
    obj: Organization | Ref
    members_in_scope: bool  # may the user add members to it (its placement is in scope)


@dataclass
class PersonInfo:
    obj: Person | Ref | None  # None: new, created by this row


@dataclass
class Plan:
    sheet: Sheet
    row: Row
    values: dict[str, Any]


ProgressFn = Callable[[str, int, int], None]


class RowChecker:
    """Collects the problems of one row, each tied to its column."""

    def __init__(self, sheet: Sheet, row: Row, problems: list[Problem]):
        self.sheet, self.row, self.problems = sheet, row, problems
        self.failed = False
        self._seen: set[Problem] = set()

    def err(self, key: str, reason: str) -> None:
        self.failed = True
        column = self.sheet.column_label(key) if key else ""
        problem = Problem(self.sheet.title, self.row.number, column, reason)
        if problem not in self._seen:  # the same cell read twice is reported once
            self._seen.add(problem)
            self.problems.append(problem)

    def raw(self, key: str) -> Any:
        return self.row.values.get(key)

    def text(self, key: str) -> str:
        value = cell_text(self.raw(key))
        col = self.sheet.kind.col(key)
        if col.required and not value:
            self.err(key, f"「{col.header}」不能为空")
        return value

    def code(self, key: str) -> str:
        raw = self.raw(key)
        if isinstance(raw, float) and not raw.is_integer():
            self.err(key, "编码应为数字文本")
            return ""
        return self.text(key)

    def choice(self, key: str, default: str = "") -> str:
        col = self.sheet.kind.col(key)
        assert col.choices is not None
        text = self.text(key)
        if not text:
            return default
        value = match_choice(col.choices, text)
        if value is None:
            self.err(key, f"「{text}」不是有效的{col.header}，可选：{choice_help(col.choices)}")
            return ""
        return value

    def choices_list(self, key: str) -> list[str]:
        col = self.sheet.kind.col(key)
        assert col.choices is not None
        out: list[str] = []
        for part in LIST_SEP.split(self.text(key)):
            if not part:
                continue
            value = match_choice(col.choices, part)
            if value is None:
                self.err(key, f"「{part}」不是有效的{col.header}，可选：{choice_help(col.choices)}")
            elif value not in out:
                out.append(value)
        return out

    def integer(self, key: str, default: int = 0) -> int:
        raw = self.raw(key)
        if cell_text(raw) == "":
            return default
        try:
            return parse_int(raw)
        except ValueError:
            self.err(key, f"「{cell_text(raw)}」不是非负整数")
            return default

    def boolean(self, key: str) -> bool:
        raw = self.raw(key)
        try:
            return parse_bool(raw)
        except ValueError:
            self.err(key, f"「{cell_text(raw)}」应填写“是”或“否”")
            return False

    def date(self, key: str) -> datetime.date | None:
        raw = self.raw(key)
        if cell_text(raw) == "":
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            self.err(key, str(exc))
            return None

    def id_number(self, key: str) -> str:
        raw = self.raw(key)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            self.err(key, "身份证号须以文本格式填写（数字格式会丢失末位和校验码）")
            return ""
        value = crypto.normalise_id_number(self.text(key))
        if value and not crypto.is_valid_id_number(value):
            self.err(key, "身份证号码不正确（18 位，末位校验码不符）")
            return ""
        return value


class Importer:
    """Validate a parsed workbook for ``user`` (None: the system) and write it."""

    def __init__(self, user: Any, progress: ProgressFn | None = None):
        self.user = user
        self.progress = progress or (lambda phase, done, total: None)
        self.problems: list[Problem] = []
        self.plans: list[Plan] = []
        # What earlier rows of this workbook define.
        self.file_nodes: dict[str, NodeInfo] = {}
        self.file_node_rows: dict[tuple[str, str], int] = {}  # (parent code, name) -> row
        self.file_units: dict[str, tuple[str, int]] = {}  # credit code -> (node code, row)
        self.file_orgs: dict[str, tuple[OrgInfo, int]] = {}
        self.file_positions: dict[tuple[str, str], int] = {}
        self.file_people: dict[str, dict[str, int]] = {}  # id hash -> {kind: row}
        # Caches of database look-ups.
        self._db_nodes: dict[str, Node | None] = {}
        self._scope_cache: dict[tuple[str, int], bool] = {}
        self._units: dict[str, Unit | None] = {}
        self._orgs: dict[str, list[Organization]] = {}
        self._people: dict[str, Person | None] = {}
        self._visible_people: set[int] = set()
        self.created: dict[Ref, Any] = {}

    # -- scope ---------------------------------------------------------------------------

    def _in_scope(self, obj: models.Model, action: str = "add") -> bool:
        if self.user is None or self.user.is_superuser:
            return True
        key = (f"{obj._meta.label}:{action}", obj.pk)
        if key not in self._scope_cache:
            qs = type(obj)._default_manager.restrict(self.user, action)  # type: ignore[attr-defined]
            self._scope_cache[key] = qs.filter(pk=obj.pk).exists()
        return self._scope_cache[key]

    def node(self, code: str) -> NodeInfo | None:
        """A node by code: defined earlier in the file, or an active node in the database."""
        if code in self.file_nodes:
            return self.file_nodes[code]
        if code not in self._db_nodes:
            self._db_nodes[code] = Node.objects.filter(code=code, retired_at__isnull=True).first()
        db = self._db_nodes[code]
        if db is None:
            return None
        return NodeInfo(db.level, db.name, db, self._in_scope(db))

    def need_node(self, chk: RowChecker, key: str, levels: Iterable[str] | None = None) -> NodeInfo | None:
        code = chk.code(key)
        if not code:
            return None
        info = self.node(code)
        if info is None or not info.in_scope:
            chk.err(key, f"区域编码 {code} 不存在或不在您的管辖范围内")
            return None
        if levels is not None and info.level not in levels:
            names = "、".join(Level(lv).label for lv in levels)
            chk.err(key, f"编码 {code}（{info.name}）是{Level(info.level).label}，此处应为：{names}")
            return None
        return info

    def unit(self, chk: RowChecker, key: str) -> Unit | Ref | None:
        code = chk.code(key).upper()
        if not code:
            return None
        if code in self.file_units:
            return Ref("unit", code)
        if code not in self._units:
            self._units[code] = Unit.objects.filter(credit_code=code).select_related("node").first()
        unit = self._units[code]
        if unit is None:
            chk.err(key, f"统一社会信用代码 {code} 对应的单位不存在（可在“单位”表中一并导入）")
        return unit

    def org(self, chk: RowChecker, key: str) -> OrgInfo | None:
        name = chk.text(key)
        if not name:
            return None
        if name in self.file_orgs:
            return self.file_orgs[name][0]
        if name not in self._orgs:
            qs = Organization.objects.filter(name=name).select_related("unit__node")
            if self.user is not None and not self.user.is_superuser:
                qs = qs.restrict(self.user, "view")
            self._orgs[name] = list(qs[:2])
        found = self._orgs[name]
        if not found:
            chk.err(key, f"党组织「{name}」不存在或不在您的管辖范围内")
            return None
        if len(found) > 1:
            chk.err(key, f"有多个名为「{name}」的党组织，无法确定是哪一个")
            return None
        org = found[0]
        return OrgInfo(org.kind, org, self._in_scope(org))

    def _prefetch_people(self, sheet: Sheet) -> None:
        hashes = []
        for row in sheet.rows:
            idn = crypto.normalise_id_number(cell_text(row.values.get("id_number")))
            if idn and crypto.is_valid_id_number(idn):
                h = crypto.lookup_hash("id_number", idn)
                if h not in self._people:
                    hashes.append(h)
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            found = {
                p.id_number_hash: p
                for p in Person.objects.filter(id_number_hash__in=chunk).select_related(
                    "party_member", "resident"
                )
            }
            for h in chunk:
                self._people[h] = found.get(h)
            if self.user is not None and not self.user.is_superuser and found:
                visible = Person.objects.restrict(self.user, "view").filter(
                    pk__in=[p.pk for p in found.values()]
                )
                self._visible_people.update(visible.values_list("pk", flat=True))

    def person(self, chk: RowChecker, idn: str, role: str) -> PersonInfo:
        """Who this row is about: a new person, one created by the other people sheet, or
        an existing person in scope without this role yet."""
        h = crypto.lookup_hash("id_number", idn)
        kind = chk.sheet.kind.key
        seen = self.file_people.setdefault(h, {})
        if kind in seen:
            chk.err("id_number", f"身份证号与第 {seen[kind]} 行重复")
            return PersonInfo(None)
        first = not seen
        seen[kind] = chk.row.number
        existing = self._people.get(h)
        if existing is None:
            # The first sheet to name this person creates them; the other one reuses them.
            return PersonInfo(None if first else Ref("person", h))
        if role == "member" and hasattr(existing, "party_member"):
            chk.err("id_number", "此人已有党员档案")
        elif role == "resident" and hasattr(existing, "resident"):
            chk.err("id_number", "该身份证号已登记为居民")
        elif self.user is not None and not self.user.is_superuser and existing.pk not in self._visible_people:
            chk.err("id_number", "该身份证号已在其他辖区登记，请联系上级管理员")
        return PersonInfo(existing)

    # -- per kind ------------------------------------------------------------------------

    def check_territory(self, chk: RowChecker) -> dict[str, Any]:
        level = chk.choice("level")
        name = chk.text("name")
        parent_code = chk.code("parent_code")
        code = chk.code("code")
        grid_type = chk.choice("grid_type")
        households = chk.integer("households")
        boundary_text = chk.text("boundary")
        parent: NodeInfo | None = None
        in_scope = True
        if level:
            want = PARENT_LEVEL.get(level)
            if want is None:
                if parent_code:
                    chk.err("parent_code", "市级节点不能有上级，请留空")
                if self.user is not None and not self.user.is_superuser:
                    chk.err("level", "只有平台管理员可以新增市级节点")
                    in_scope = False
            elif not parent_code:
                chk.err("parent_code", f"{Level(level).label}须填写上级（{Level(want).label}）编码")
            else:
                parent = self.node(parent_code)
                if parent is None or not parent.in_scope:
                    chk.err("parent_code", f"上级编码 {parent_code} 不存在或不在您的管辖范围内")
                    in_scope = parent is None  # unknown parent: do not cascade scope errors
                    parent = None
                elif parent.level != want:
                    chk.err(
                        "parent_code",
                        f"{Level(level).label}的上级必须是{Level(want).label}，"
                        f"编码 {parent_code}（{parent.name}）是{Level(parent.level).label}",
                    )
            if level in ("city", "county") and not code:
                chk.err("code", "市、县级节点须填写 GB/T 2260 行政区划代码")
            if grid_type and level != Level.GRID:
                chk.err("grid_type", "只有网格填写网格类型")
        if code:
            if level:
                for reason in codes.check_code(level, code, parent_code or None):
                    chk.err("code", reason)
            if code in self.file_nodes:
                chk.err("code", f"编码 {code} 在本表中重复")
            elif Node.objects.filter(code=code).exists():
                chk.err("code", f"编码 {code} 已被使用（编码永不复用）")
        if name and parent_code:
            key = (parent_code, name)
            if key in self.file_node_rows:
                chk.err("name", f"与第 {self.file_node_rows[key]} 行重复：同一上级下已有同名区域")
            else:
                self.file_node_rows[key] = chk.row.number
                if parent is not None and isinstance(parent.obj, Node):
                    if Node.objects.filter(parent=parent.obj, name=name, retired_at__isnull=True).exists():
                        chk.err("name", f"上级「{parent.name}」下已有同名区域「{name}」")
        boundary = None
        if boundary_text:
            try:
                boundary = json.loads(boundary_text)
                geo.parse_boundary(boundary)
            except (json.JSONDecodeError, geo.BoundaryError, AttributeError) as exc:
                msg = str(exc) if isinstance(exc, geo.BoundaryError) else "不是有效的 GeoJSON"
                chk.err("boundary", msg)
        if code and level and code not in self.file_nodes:
            # Registered even when the row has problems, so its children are not also flagged.
            self.file_nodes[code] = NodeInfo(
                level, name, Ref("node", code), in_scope and (parent is None or parent.in_scope)
            )
        return {
            "level": level,
            "name": name,
            "parent_code": parent_code,
            "parent": parent.obj if parent else None,
            "code": code,
            "grid_type": grid_type,
            "households": households,
            "boundary": boundary,
        }

    def check_units(self, chk: RowChecker) -> dict[str, Any]:
        name = chk.text("name")
        kind = chk.choice("kind")
        credit = chk.code("credit_code").upper()
        phone = chk.text("phone")
        errors = unit_actions.validate_unit_fields(
            name=name or "-", kind=kind or UnitKind.AGENCY, credit_code=credit, contact_phone=phone
        )
        if "credit_code" in errors:
            chk.err("credit_code", errors["credit_code"])
        if "contact_phone" in errors:
            chk.err("phone", errors["contact_phone"])
        node = self.need_node(chk, "node_code")
        if credit and "credit_code" not in errors:
            if credit in self.file_units:
                chk.err("credit_code", f"与第 {self.file_units[credit][1]} 行的统一社会信用代码重复")
            elif Unit.objects.filter(credit_code=credit).exists():
                chk.err("credit_code", "该统一社会信用代码已登记")
            else:
                self.file_units[credit] = (chk.code("node_code"), chk.row.number)
        return {
            "name": name,
            "kind": kind,
            "credit_code": credit,
            "node": node.obj if node else None,
            "address": chk.text("address"),
            "contact_name": chk.text("contact_name"),
            "contact_phone": phone,
            "employees": chk.integer("employees"),
        }

    def check_organizations(self, chk: RowChecker) -> dict[str, Any]:
        name = chk.text("name")
        kind = chk.choice("kind")
        is_joint = chk.boolean("is_joint")
        parent = self.org(chk, "parent_name")
        node = self.need_node(chk, "node_code")
        unit = self.unit(chk, "unit_credit_code")
        if kind and parent is not None and kind not in ALLOWED_CHILDREN[parent.kind]:
            chk.err("kind", f"{OrgKind(parent.kind).label}下不能设立{OrgKind(kind).label}")
        if is_joint and kind and kind not in (OrgKind.COMMITTEE, OrgKind.WORK_COMMITTEE):
            chk.err("is_joint", "只有党委、党工委可组建大党委/大工委")
        if name:
            if name in self.file_orgs:
                chk.err("name", f"与第 {self.file_orgs[name][1]} 行的组织名称重复")
            else:
                if node is not None and isinstance(node.obj, Node):
                    if Organization.objects.filter(name=name, node=node.obj).exists():
                        chk.err("name", f"「{node.name}」已有党组织「{name}」")
                # Members join it where it is placed: the unit's node, else its own node.
                members_ok = node.in_scope if node else True
                if isinstance(unit, Unit):
                    members_ok = self._in_scope(unit.node)
                elif isinstance(unit, Ref):
                    info = self.node(self.file_units[unit.key][0])
                    members_ok = bool(info and info.in_scope)
                self.file_orgs[name] = (OrgInfo(kind, Ref("org", name), members_ok), chk.row.number)
        return {
            "name": name,
            "kind": kind,
            "parent": parent.obj if parent else None,
            "node": node.obj if node else None,
            "unit": unit,
            "is_joint": is_joint,
        }

    def _person_fields(self, chk: RowChecker) -> tuple[str, str, str]:
        name = chk.text("name")
        idn = chk.id_number("id_number")
        phone = chk.text("phone")
        errors = people_actions.validate_person_fields(name=name or "-", phone=phone)
        if "phone" in errors:
            chk.err("phone", errors["phone"])
        return name, idn, crypto.normalise_phone(phone)

    def check_residents(self, chk: RowChecker) -> dict[str, Any]:
        name, idn, phone = self._person_fields(chk)
        household = self.need_node(
            chk, "household_code", levels=("household", "building", "compound", "grid")
        )
        person = self.person(chk, idn, "resident") if idn else PersonInfo(None)
        return {
            "name": name,
            "id_number": idn,
            "phone": phone,
            "address": chk.text("address"),
            "household": household.obj if household else None,
            "person": person.obj,
            "residence_type": chk.choice("residence_type", default=ResidenceType.REGISTERED),
            "is_head": chk.boolean("is_head"),
            "tags": chk.choices_list("tags"),
        }

    def check_members(self, chk: RowChecker) -> dict[str, Any]:
        name, idn, phone = self._person_fields(chk)
        home = self.need_node(chk, "home_code")
        org = self.org(chk, "org_name")
        if org is not None:
            if org.kind == OrgKind.GROUP:
                chk.err("org_name", "党员组织关系应在党支部（党小组不是独立的组织关系单位）")
            elif not org.members_in_scope:
                chk.err("org_name", f"党组织「{chk.text('org_name')}」不在您的管辖范围内")
        person = self.person(chk, idn, "member") if idn else PersonInfo(None)
        return {
            "name": name,
            "id_number": idn,
            "phone": phone,
            "home": home.obj if home else None,
            "organization": org.obj if org else None,
            "person": person.obj,
            "status": chk.choice("status"),
            "category": chk.choice("category"),
            "joined_on": chk.date("joined_on"),
            "work_unit": self.unit(chk, "work_unit_code"),
        }

    def check_positions(self, chk: RowChecker) -> dict[str, Any]:
        name = chk.text("name")
        kind = chk.choice("kind")
        level = chk.choice("level")
        node = self.need_node(chk, "node_code")
        unit = self.unit(chk, "unit_credit_code")
        raw_area = chk.raw("floor_area")
        area_text = chk.text("floor_area")
        functions = [f for f in LIST_SEP.split(chk.text("functions")) if f]
        try:
            area = Decimal(str(raw_area)) if area_text else None
        except (InvalidOperation, ValueError):
            area = None
        errors = venue_actions.validate_position_fields(
            name=name or "-",
            kind=kind or PositionKind.CENTER,
            level=level,
            floor_area=area if area is not None else "x",
            functions=functions,
            node_level=node.level if node else None,
        )
        if area_text and "floor_area" in errors:
            chk.err("floor_area", errors["floor_area"])
        if "functions" in errors:
            chk.err("functions", errors["functions"])
        if kind and "level" in errors:
            chk.err("level", errors["level"])
        if "node" in errors:
            chk.err("node_code", errors["node"])
        if kind == PositionKind.UNIT_VENUE and not chk.code("unit_credit_code"):
            chk.err("unit_credit_code", "单位开放场所须填写所属单位的统一社会信用代码")
        if name and node is not None:
            key = (chk.code("node_code"), name)
            if key in self.file_positions:
                chk.err("name", f"与第 {self.file_positions[key]} 行重复：同一区域已有同名阵地")
            else:
                self.file_positions[key] = chk.row.number
                if isinstance(node.obj, Node) and venue_exists(node.obj, name):
                    chk.err("name", f"「{node.name}」已有阵地「{name}」")
        return {
            "name": name,
            "kind": kind,
            "level": level,
            "node": node.obj if node else None,
            "unit": unit,
            "floor_area": area,
            "functions": functions,
            "opening_hours": chk.text("opening_hours"),
        }

    CHECKS: dict[str, str] = {
        "territory": "check_territory",
        "units": "check_units",
        "organizations": "check_organizations",
        "residents": "check_residents",
        "members": "check_members",
        "positions": "check_positions",
    }

    def _allocate_codes(self) -> None:
        """Give blank-coded territory rows their codes now, after every explicit code is
        known, so an allocated code never collides with one given further down."""
        taken = set(self.file_nodes)
        for plan in self.plans:
            v = plan.values
            if plan.sheet.kind.key != "territory" or v["code"] or not v["level"] or not v["parent_code"]:
                continue
            parent_code, level = v["parent_code"], v["level"]
            used = [c for c in taken if c.startswith(parent_code) and len(c) == len(parent_code) + 3]
            if isinstance(v["parent"], Node):
                used += list(Node.objects.filter(parent=v["parent"]).values_list("code", flat=True))
            try:
                v["code"] = codes.next_code(parent_code, level, used)
            except ValueError as exc:
                self.problems.append(
                    Problem(plan.sheet.title, plan.row.number, plan.sheet.column_label("code"), str(exc))
                )
                continue
            taken.add(v["code"])

    def validate(self, book: Book) -> list[Problem]:
        self.problems = list(book.problems)
        total, done = book.total_rows, 0
        self.progress("validating", 0, total)
        for sheet in book.sheets:
            if sheet.kind.key in ("residents", "members"):
                self._prefetch_people(sheet)
            check = getattr(self, self.CHECKS[sheet.kind.key])
            for row in sheet.rows:
                chk = RowChecker(sheet, row, self.problems)
                values = check(chk)
                if not chk.failed:
                    self.plans.append(Plan(sheet, row, values))
                done += 1
                self.progress("validating", done, total)
        if not book.sheets and not self.problems:
            self.problems.append(Problem("", 0, "", "工作表中没有数据行"))
        if not self.problems:
            self._allocate_codes()
        # Report in the order the user reads the file: sheets in import order, then rows.
        order = {k.sheet: i for i, k in enumerate(KINDS)}
        self.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row))
        return self.problems

    # -- writing -------------------------------------------------------------------------

    def _r(self, value: Any) -> Any:
        return self.created[value] if isinstance(value, Ref) else value

    def _write(self, plan: Plan) -> None:
        v, u, key = plan.values, self.user, plan.sheet.kind.key
        if key == "territory":
            node = territory_actions.create_node(
                parent=self._r(v["parent"]),
                level=v["level"],
                name=v["name"],
                code=v["code"],
                grid_type=v["grid_type"],
                boundary=v["boundary"],
                households=v["households"],
                acting_user=u,
            )
            self.created[Ref("node", node.code)] = node
        elif key == "units":
            unit = unit_actions.create_unit(
                name=v["name"],
                kind=v["kind"],
                node=self._r(v["node"]),
                credit_code=v["credit_code"],
                address=v["address"],
                contact_name=v["contact_name"],
                contact_phone=v["contact_phone"],
                employees=v["employees"],
                acting_user=u,
            )
            if unit.credit_code:
                self.created[Ref("unit", unit.credit_code)] = unit
        elif key == "organizations":
            org = party_actions.create_organization(
                name=v["name"],
                kind=v["kind"],
                node=self._r(v["node"]),
                parent=self._r(v["parent"]),
                unit=self._r(v["unit"]),
                is_joint=v["is_joint"],
                acting_user=u,
            )
            self.created[Ref("org", org.name)] = org
        elif key == "residents":
            person = self._person(v, home=self._r(v["household"]))
            people_actions.register_resident(
                person=person,
                household=self._r(v["household"]),
                residence_type=v["residence_type"],
                is_head=v["is_head"],
                tags=v["tags"],
                acting_user=u,
            )
        elif key == "members":
            person = self._person(v, home=self._r(v["home"]))
            party_actions.register_member(
                person=person,
                organization=self._r(v["organization"]),
                category=v["category"],
                status=v["status"],
                joined_on=v["joined_on"],
                work_unit=self._r(v["work_unit"]),
                acting_user=u,
            )
        elif key == "positions":
            venue_actions.create_position(
                name=v["name"],
                node=self._r(v["node"]),
                floor_area=v["floor_area"],
                kind=v["kind"],
                level=v["level"],
                unit=self._r(v["unit"]),
                functions=v["functions"],
                opening_hours=v["opening_hours"],
                acting_user=u,
            )

    def _person(self, v: dict[str, Any], *, home: Node) -> Person:
        if v["person"] is not None:
            return self._r(v["person"])
        person = people_actions.create_person(
            name=v["name"],
            home=home,
            id_number=v["id_number"],
            phone=v["phone"],
            address=v.get("address", ""),
            acting_user=self.user,
        )
        self.created[Ref("person", crypto.lookup_hash("id_number", v["id_number"]))] = person
        return person

    def write(self) -> dict[str, int]:
        """Write every planned row in one transaction; on any error nothing stays."""
        counts: dict[str, int] = {}
        total = len(self.plans)
        self.progress("importing", 0, total)
        current: Plan | None = None
        try:
            with transaction.atomic():
                for i, plan in enumerate(self.plans, start=1):
                    current = plan
                    self._write(plan)
                    counts[plan.sheet.kind.sheet] = counts.get(plan.sheet.kind.sheet, 0) + 1
                    self.progress("importing", i, total)
        except (ValidationError, ScopeError, DatabaseError, ValueError, LookupError, TypeError) as exc:
            self.created.clear()
            reason = _error_text(exc)
            where = current
            self.problems.append(
                Problem(
                    where.sheet.title if where else "",
                    where.row.number if where else 0,
                    "",
                    f"写入失败，已全部撤销：{reason}",
                )
            )
            raise ImportFailed(self.problems) from exc
        return counts


def venue_exists(node: Node, name: str) -> bool:
    from dangjian.venues.models import ServicePosition

    return ServicePosition.objects.filter(node=node, name=name).exists()


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "；".join(f"{'；'.join(msgs)}" for msgs in exc.message_dict.values())
        return "；".join(exc.messages)
    return str(exc) or type(exc).__name__


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} 个问题")
        self.problems = problems


@dataclass
class Outcome:
    ok: bool
    problems: list[Problem]
    counts: dict[str, int]
    kinds: list[str]
    total_rows: int


def import_workbook(
    source: str | IO[bytes], *, acting_user: Any, progress: ProgressFn | None = None
) -> Outcome:
    """Validate everything, then write everything (or nothing)."""
    book = read_book(source)
    importer = Importer(acting_user, progress)
    problems = importer.validate(book)
    if problems:
        return Outcome(False, problems, {}, book.kinds, book.total_rows)
    try:
        counts = importer.write()
    except ImportFailed as exc:
        return Outcome(False, exc.problems, {}, book.kinds, book.total_rows)
    return Outcome(True, [], counts, book.kinds, book.total_rows)


def count_rows(source: str | IO[bytes]) -> int:
    return read_book(source).total_rows
