"""Query helpers for the figures pages and the figures API, on top of :mod:`appeals.stats`.

Everything here reads the pre-aggregated ``CaseStat`` rows (one grouped query each), the
small ``WhistleTask`` table, and the case table only through its covering
``(assignee_unit, status)`` index: never an aggregate over all the cases on a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.http import Http404

from dangjian.appeals import stats
from dangjian.appeals.choices import OPEN_STATES, Status
from dangjian.appeals.models import Case, CaseStat, WhistleTask
from dangjian.core.access import access_object
from dangjian.territory.models import Node
from dangjian.territory.selectors import scope_roots, visible_nodes

# --- the five rates, described once for the page, the export and the API ------------------


@dataclass(frozen=True)
class RateDef:
    key: str  # attribute of stats.Rates
    api_key: str  # key in Rates.as_dict()
    label: str
    numerator: tuple[str, ...]  # counters summed for the numerator
    numerator_label: str
    denominator: str
    denominator_label: str
    lower_is_better: bool = False


RATES = (
    RateDef("response", "response_rate", "响应率", ("ack_on_time",), "签收及时", "dispatched", "派遣"),
    RateDef("resolution", "resolution_rate", "解决率", ("closed",), "办结", "accepted", "立案"),
    RateDef(
        "satisfaction",
        "satisfaction_rate",
        "满意率",
        ("satisfied", "basic"),
        "满意与基本满意",
        "rated",
        "已评价",
    ),
    RateDef("on_time", "on_time_rate", "按期办结率", ("closed_on_time",), "按期办结", "closed", "办结"),
    RateDef(
        "rework", "rework_rate", "返工率", ("reworked",), "返工", "handled", "处置反馈", lower_is_better=True
    ),
)
RATES_BY_KEY = {r.key: r for r in RATES}
COUNTER_LABELS = {
    "received": "受理",
    "accepted": "立案",
    "dispatched": "派遣",
    "ack_on_time": "签收及时",
    "handled": "处置反馈",
    "reworked": "返工",
    "closed": "办结",
    "closed_on_time": "按期办结",
    "rated": "已评价",
    "satisfied": "满意",
    "basic": "基本满意",
    "unsatisfied": "不满意",
}


def definitions() -> list[str]:
    """The rate definitions as written in ``stats.py``'s docstring (the one source)."""
    return [line[2:].strip() for line in (stats.__doc__ or "").splitlines() if line.startswith("- ")]


def percent(value: float | None) -> float | None:
    """A rate as a percentage with one decimal (the unit of the page and the export)."""
    return None if value is None else round(value * 100, 1)


@dataclass(frozen=True)
class RateCell:
    key: str
    label: str
    value: float | None  # 0..1
    pct: float | None  # 0..100, one decimal
    numerator: int
    denominator: int
    numerator_label: str
    denominator_label: str
    lower_is_better: bool

    @property
    def text(self) -> str:
        """响应率 92.3%（签收及时 120 / 派遣 130）"""
        shown = "—" if self.pct is None else f"{self.pct}%"
        return f"{self.label} {shown}（{self.numerator_label} {self.numerator} / {self.denominator_label} {self.denominator}）"


def rate_cells(rates: stats.Rates) -> list[RateCell]:
    out = []
    for d in RATES:
        value = getattr(rates, d.key)
        out.append(
            RateCell(
                key=d.key,
                label=d.label,
                value=value,
                pct=percent(value),
                numerator=sum(rates.counts[n] for n in d.numerator),
                denominator=rates.counts[d.denominator],
                numerator_label=d.numerator_label,
                denominator_label=d.denominator_label,
                lower_is_better=d.lower_is_better,
            )
        )
    return out


# --- nodes: scope roots, drill-down, breadcrumbs ----------------------------------------

CHILD_LEVEL = {"city": "county", "county": "street", "street": "community", "community": "grid"}
LEVEL_LABELS = {
    "city": "市",
    "county": "县(市、区)",
    "street": "街道(镇)",
    "community": "社区",
    "grid": "网格",
}


def roots_for(user: Any) -> list[Node]:
    """The user's scope roots that carry figures (compounds and below are not ranked)."""
    return [n for n in scope_roots(user) if n.level in stats.STAT_LEVELS]


def figures_node(user: Any, node_id: Any) -> tuple[Node, list[Node]]:
    """The node the figures are for (default: the first scope root), and the user's roots.

    Missing, out-of-scope, retired, or below grid level → 404 alike.
    """
    roots = roots_for(user)
    if not roots:
        raise Http404("未找到或无权访问")
    if node_id in (None, ""):
        return roots[0], roots
    try:
        pk = int(node_id)
    except (TypeError, ValueError):
        raise Http404("未找到或无权访问") from None
    node = access_object(visible_nodes(user), user, "view", pk=pk)
    if node.level not in stats.STAT_LEVELS:
        raise Http404("未找到或无权访问")
    return node, roots


def breadcrumbs(node: Node, roots: list[Node]) -> list[Node]:
    """From the user's scope root down to ``node`` (one query)."""
    ids = [int(i) for i in node.path.strip("/").split("/") if i]
    chain = list(Node.objects.filter(pk__in=ids).order_by("depth"))
    root_ids = {r.pk for r in roots}
    for i, n in enumerate(chain):
        if n.pk in root_ids:
            return chain[i:]
    return [node]


def child_nodes(user: Any, node: Node) -> list[Node]:
    level = CHILD_LEVEL.get(node.level)
    if level is None:
        return []
    return list(visible_nodes(user).filter(parent=node, level=level).order_by("code", "id"))


# --- the tables ---------------------------------------------------------------------------


@dataclass
class ChildRow:
    node: Node
    rates: stats.Rates
    cells: list[RateCell] = field(default_factory=list)

    def sort_value(self, key: str) -> Any:
        if key in RATES_BY_KEY:
            return getattr(self.rates, key)
        return self.rates.counts.get(key, 0)


SORT_KEYS = ("received", "closed", *RATES_BY_KEY)


def children_rows(user: Any, node: Node, start: date, end: date, sort: str = "") -> list[ChildRow]:
    """The ranking: every visible child node with its rates (one grouped query)."""
    kids = child_nodes(user, node)
    by = stats.rates_by([k.pk for k in kids], start, end)
    rows = [ChildRow(k, by[k.pk], rate_cells(by[k.pk])) for k in kids]
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    if key in SORT_KEYS:
        present = [r for r in rows if r.sort_value(key) is not None]
        missing = [r for r in rows if r.sort_value(key) is None]  # no denominator: always last
        present.sort(key=lambda r: (r.sort_value(key), r.node.code), reverse=desc)
        rows = present + missing
    return rows


def category_rows(node_id: int, start: date, end: date) -> list[dict[str, Any]]:
    return [
        {
            "category_id": r["category_id"],
            "name": r["category__name"],
            "received": r["received"] or 0,
            "closed": r["closed"] or 0,
        }
        for r in stats.counts_by_category(node_id, start, end)
    ]


def category_sentence(rows: list[dict[str, Any]], rates: stats.Rates, *, limit: int = 6) -> str:
    """共受理诉求 N 件，办结 M 件，其中交通运输 a 件、城乡建设 b 件…"""
    received, closed = rates.counts["received"], rates.counts["closed"]
    if not received:
        return "本期暂无受理的诉求。"
    top = sorted((r for r in rows if r["received"]), key=lambda r: (-r["received"], r["name"]))
    parts = "、".join(f"{r['name']} {r['received']} 件" for r in top[:limit])
    more = "等" if len(top) > limit else ""
    return f"共受理诉求 {received} 件，办结 {closed} 件，其中{parts}{more}。"


def monthly_series(node_id: int, end: date, months: int = 12) -> list[dict[str, Any]]:
    """Received, closed and the satisfaction rate per month for the last ``months`` months
    up to ``end``: one grouped query over the month rows of CaseStat."""
    first = end.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    rows = (
        CaseStat.objects.filter(
            node_id=node_id, monthly=True, category__isnull=True, day__gte=first, day__lte=end
        )
        .values(month=F("day"))
        .annotate(
            received=Sum("received"),
            closed=Sum("closed"),
            rated=Sum("rated"),
            satisfied=Sum("satisfied"),
            basic=Sum("basic"),
        )
        .order_by("month")
    )
    by_month: dict[tuple[int, int], dict[str, Any]] = {}
    for r in rows:
        m = r["month"]
        by_month[(m.year, m.month)] = r
    out = []
    cursor = first
    for _ in range(months):
        r = by_month.get((cursor.year, cursor.month), {})
        rated = r.get("rated") or 0
        good = (r.get("satisfied") or 0) + (r.get("basic") or 0)
        out.append(
            {
                "month": f"{cursor:%Y-%m}",
                "received": r.get("received") or 0,
                "closed": r.get("closed") or 0,
                "rated": rated,
                "satisfaction_rate": round(good / rated, 4) if rated else None,
            }
        )
        cursor = stats.month_end(cursor) + timedelta(days=1)
    return out


# --- departments (部门报到 ranking) --------------------------------------------------------

DEPT_SORT_KEYS = ("tasks", "report_rate", "done_rate", "avg_score", "cases_open", "cases_done")


@dataclass
class DepartmentRow:
    unit: Any
    tasks: int = 0
    reported_on_time: int = 0
    done_on_time: int = 0
    avg_score: float | None = None
    scored: int = 0
    cases_open: int = 0
    cases_done: int = 0
    cases_total: int = 0

    @property
    def report_rate(self) -> float | None:
        return round(self.reported_on_time / self.tasks, 4) if self.tasks else None

    @property
    def done_rate(self) -> float | None:
        return round(self.done_on_time / self.tasks, 4) if self.tasks else None

    @property
    def report_pct(self) -> float | None:
        return percent(self.report_rate)

    @property
    def done_pct(self) -> float | None:
        return percent(self.done_rate)


def department_rows(user: Any, start: date, end: date, sort: str = "") -> list[DepartmentRow]:
    """Departments visible to the user: whistle tasks convened in [start, end] (报到及时、
    按期完成、街道评分) and the cases currently assigned to each (covering index)."""
    from dangjian.units.models import Unit

    units = list(Unit.objects.restrict(user, "view").filter(kind="department").order_by("name", "id"))
    rows = {u.pk: DepartmentRow(u) for u in units}
    if not rows:
        return []
    tasks = (
        WhistleTask.objects.filter(
            department_id__in=list(rows),
            whistle__convened_at__date__gte=start,
            whistle__convened_at__date__lte=end,
        )
        .values("department_id")
        .annotate(
            tasks=Count("id"),
            reported_on_time=Count(
                "id", filter=Q(reported_at__isnull=False, reported_at__lte=F("report_due"))
            ),
            done_on_time=Count("id", filter=Q(done_at__isnull=False, done_at__lte=F("due"))),
            avg_score=Avg("street_score"),
            scored=Count("street_score"),
        )
    )
    for t in tasks:
        row = rows[t["department_id"]]
        row.tasks, row.reported_on_time, row.done_on_time = (
            t["tasks"],
            t["reported_on_time"],
            t["done_on_time"],
        )
        row.avg_score = round(t["avg_score"], 2) if t["avg_score"] is not None else None
        row.scored = t["scored"]
    done_states = {Status.CLOSED, Status.RATED}
    assigned = (
        Case.objects.filter(assignee_unit_id__in=list(rows))
        .values("assignee_unit_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for a in assigned:
        row = rows[a["assignee_unit_id"]]
        row.cases_total += a["n"]
        if a["status"] in OPEN_STATES:
            row.cases_open += a["n"]
        elif a["status"] in done_states:
            row.cases_done += a["n"]
    out = list(rows.values())
    desc = sort.startswith("-")
    key = sort.lstrip("-") or "report_rate"
    if not sort:
        desc = True
    if key in DEPT_SORT_KEYS:
        present = [r for r in out if getattr(r, key) is not None]
        missing = [r for r in out if getattr(r, key) is None]
        present.sort(key=lambda r: getattr(r, key), reverse=desc)
        out = present + missing
    return out
