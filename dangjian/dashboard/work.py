"""What each role's home page shows: the work waiting for the person, not a census.

Every figure here is a COUNT of the very queryset the page it links to lists (the appeals
queue tabs, 我的诉求, 我的心愿, the needs and service queues, the inbox), or a read of a
maintained counter (``CaseStat`` for the rates and the trend, ``Account.balance`` for
points). Nothing loads rows to count them, so each home page costs a fixed number of
queries whatever the size of the city.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dangjian.appeals import figures, stats
from dangjian.appeals import selectors as appeals
from dangjian.appeals.choices import TaskStatus
from dangjian.appeals.models import CaseStat, WhistleTask
from dangjian.core import periods

RANKED = 5  # communities shown at each end of the ranking
WHISTLES_SHOWN = 6


@dataclass(frozen=True)
class Todo:
    """One count on a home page and the list it counts."""

    key: str
    label: str
    icon: str
    count: int
    url: str
    tone: str = "party"  # party | warning | danger | muted
    hint: str = ""


def _url(name: str, **params: Any) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


# --- appeals queue ----------------------------------------------------------------------------

TAB_TONES = {"due_soon": "warning", "overdue": "danger"}
TAB_LABELS = {"in_progress": "办理中", "overdue": "已超期", "handled": "待核查", "whistle": "吹哨报到"}
# Which queue tabs each role's home counts, in the order of the work.
ROLE_TABS = {
    "grid_worker": ("submitted", "dispatched", "in_progress", "handled", "due_soon", "overdue"),
    "community_worker": ("submitted", "accepted", "dispatched", "handled", "due_soon", "overdue"),
    "street": ("submitted", "accepted", "handled", "whistle", "due_soon", "overdue"),
    "department": ("dispatched", "in_progress", "whistle", "due_soon", "overdue"),
    "unit_admin": ("dispatched", "in_progress", "whistle", "overdue"),
}
HINTS = {
    "submitted": "群众反映，等您受理",
    "accepted": "已立案，等待派遣",
    "dispatched": "派给您的，请及时签收",
    "in_progress": "正在处置的诉求",
    "handled": "已反馈，等待核查办结",
    "whistle": "吹哨召集、部门报到",
    "due_soon": "签收不足 2 小时或办结不足 1 个工作日",
    "overdue": "已超过签收或办结时限",
}


def queue_todos(user: Any, keys: tuple[str, ...]) -> list[Todo]:
    counts = appeals.tab_counts(user, keys)
    tabs = {t.key: t for t in appeals.TABS}
    return [
        Todo(
            key=f"appeals:{key}",
            label=TAB_LABELS.get(key, tabs[key].label),
            icon=tabs[key].icon,
            count=counts[key],
            url=_url("appeals:queue", tab=key),
            tone=TAB_TONES.get(key, "party") if counts[key] else "muted",
            hint=HINTS.get(key, ""),
        )
        for key in keys
    ]


URGENT_SHOWN = 5


def urgent_cases(user: Any, limit: int = URGENT_SHOWN) -> list[tuple[Any, Any]]:
    """The open cases in the user's queue whose deadline comes first (签收 for a dispatched
    case, else 办结), with their countdowns: one query, ``limit`` rows."""
    from django.db import models

    from dangjian.appeals.choices import Status

    deadline = models.Case(
        models.When(status=Status.DISPATCHED, then=models.F("ack_due")), default=models.F("resolve_due")
    )
    rows = list(
        appeals.visible_cases(user)
        .filter(status__in=appeals.OPEN)
        .annotate(deadline=deadline)
        .filter(deadline__isnull=False)
        .select_related("handling_node", "assignee_unit")
        .order_by("deadline", "id")[:limit]
    )
    now = timezone.now()
    return [(c, appeals.countdown(c, now)) for c in rows]


def area_rates(user: Any) -> tuple[Any, list[figures.RateCell], str] | None:
    """The five rates of the user's own street or community over the last 30 days (one
    indexed sum over CaseStat), with the link to its figures page."""
    roots = figures.roots_for(user)
    if not roots:
        return None
    root = roots[0]
    start, end = periods.preset_range("last30", timezone.localdate())
    cells = figures.rate_cells(stats.rates_for(root.pk, start, end))
    return root, cells, _url("appeals:figures", node=root.pk, range="last30")


# --- community work: wishes and 双报到 ---------------------------------------------------------


def community_todos(user: Any, *, reviewer: bool = True) -> list[Todo]:
    """待审核心愿, 待确认报到 (members, units) and 待核实纪实 in the user's scope; a grid
    worker (``reviewer=False``) only verifies service records — wishes and registrations
    are the community's to review."""
    from dangjian.needs import selectors as needs
    from dangjian.needs.choices import Status as NeedStatus
    from dangjian.service import selectors as service

    tabs = service.queue_sets(user)
    records = Todo(
        "service:records",
        "待核实服务纪实",
        "clipboard-check",
        tabs["records"].count(),
        _url("service:queue", tab="records"),
        hint="核实后记入服务时长与积分",
    )
    if not reviewer:
        return [records]
    wishes = needs.staff_needs(user).filter(status=NeedStatus.SUBMITTED).count()
    members, units = (tabs[k].count() for k in ("members", "units"))
    return [
        Todo(
            "needs:submitted",
            "待审核心愿",
            "balloon-heart",
            wishes,
            _url("needs:queue", status=NeedStatus.SUBMITTED),
            hint="审核通过后上心愿墙",
        ),
        Todo(
            "service:members",
            "待确认党员报到",
            "person-check",
            members,
            _url("service:queue", tab="members"),
            hint="在职党员到社区报到",
        ),
        Todo(
            "service:units",
            "待确认单位报到",
            "buildings",
            units,
            _url("service:queue", tab="units"),
            hint="驻区单位到社区报到",
        ),
        records,
    ]


@dataclass(frozen=True)
class UnitState:
    unit: Any
    registration: Any  # the live UnitRegistration (待社区确认 / 已报到), or None


def unit_states(user: Any) -> list[UnitState]:
    """A unit liaison's units and their 双报到 with the community they stand in (one query)."""
    from dangjian.service.choices import LIVE_REGISTRATION
    from dangjian.service.models import UnitRegistration

    units = {a.unit_id: a.unit for a in user.active_assignments() if a.role == "unit_admin" and a.unit_id}
    live = {
        r.unit_id: r
        for r in UnitRegistration.objects.filter(unit_id__in=list(units), status__in=LIVE_REGISTRATION)
        .select_related("node")
        .order_by("-id")
    }
    return [UnitState(unit, live.get(pk)) for pk, unit in units.items()]


# --- street: whistles and the departments' report-ins ----------------------------------------


@dataclass
class WhistleFigures:
    convened: int = 0  # tasks waiting for the department to report in
    late: int = 0  # of which past the report deadline
    reported: int = 0  # reported, being handled
    done: int = 0
    recent: list[Any] = field(default_factory=list)


def street_whistles(user: Any) -> WhistleFigures:
    """The departments' tasks on the open whistles of the user's streets: one grouped count
    and the latest few whistles with their tasks (two queries)."""
    from dangjian.appeals.access import STREET_ROLES
    from dangjian.appeals.models import Whistle

    streets = [a.node_id for a in user.active_assignments() if a.role in STREET_ROLES and a.node_id]
    where = Q(whistle__closed_at__isnull=True)
    if not user.is_superuser:
        where &= Q(whistle__street_id__in=streets)
    now = timezone.now()
    agg = WhistleTask.objects.filter(where).aggregate(
        convened=Count("id", filter=Q(status=TaskStatus.CONVENED)),
        late=Count("id", filter=Q(status=TaskStatus.CONVENED, report_due__lt=now)),
        reported=Count("id", filter=Q(status=TaskStatus.REPORTED)),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
    )
    whistles = Whistle.objects.filter(closed_at__isnull=True)
    if not user.is_superuser:
        whistles = whistles.filter(street_id__in=streets)
    recent = list(
        whistles.select_related("case")
        .prefetch_related("tasks__department")
        .order_by("-convened_at", "-id")[:WHISTLES_SHOWN]
    )
    return WhistleFigures(recent=recent, **agg)


# --- leaders: the five rates, the trend, rankings, alerts ----------------------------------------


@dataclass
class RankRow:
    node: Any
    rates: stats.Rates

    @property
    def resolution_pct(self) -> float | None:
        return figures.percent(self.rates.resolution)

    @property
    def satisfaction_pct(self) -> float | None:
        return figures.percent(self.rates.satisfaction)


@dataclass
class Leader:
    root: Any
    period: periods.Period
    cells: list[figures.RateCell]
    received: int
    trend: dict[str, list[Any]]
    children: list[RankRow]
    child_label: str
    best: list[RankRow]
    worst: list[RankRow]
    figures_url: str


def _trend(node_id: int, start: date, end: date) -> dict[str, list[Any]]:
    """Received and closed per day (the day rows of CaseStat, all categories: one query)."""
    rows = {
        r["day"]: r
        for r in CaseStat.objects.filter(
            node_id=node_id, monthly=False, category__isnull=True, day__gte=start, day__lte=end
        ).values("day", "received", "closed")
    }
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return {
        "days": [f"{d.month}/{d.day}" for d in days],
        "received": [rows[d]["received"] if d in rows else 0 for d in days],
        "closed": [rows[d]["closed"] if d in rows else 0 for d in days],
    }


def _ranked(rows: list[RankRow]) -> list[RankRow]:
    """Best first by 解决率, then 满意率; nodes with no cases last."""
    present = [r for r in rows if r.rates.resolution is not None]
    present.sort(key=lambda r: (-(r.rates.resolution or 0), -(r.rates.satisfaction or 0), r.node.code))
    return present + [r for r in rows if r.rates.resolution is None]


def leader(user: Any) -> Leader | None:
    from dangjian.territory.selectors import visible_nodes

    roots = figures.roots_for(user)
    if not roots:
        return None
    root = roots[0]
    today = timezone.localdate()
    start, end = periods.preset_range("last30", today)  # what the figures page opens on
    period = periods.Period(start=start, end=end, preset="last30")
    rates = stats.rates_for(root.pk, period.start, period.end)
    kids = figures.child_nodes(user, root)
    by = stats.rates_by([k.pk for k in kids], period.start, period.end)
    children = _ranked([RankRow(k, by[k.pk]) for k in kids])
    # Communities are ranked on their own only where they are not already the ranking above.
    communities = (
        list(visible_nodes(user).filter(level="community").only("id", "name", "code", "path"))
        if root.level in ("city", "county")
        else []
    )
    cby = stats.rates_by([c.pk for c in communities], period.start, period.end)
    ranked = [r for r in _ranked([RankRow(c, cby[c.pk]) for c in communities]) if r.rates.counts["accepted"]]
    best = ranked[:RANKED]
    worst = [r for r in reversed(ranked) if r not in best][:RANKED]
    return Leader(
        root=root,
        period=period,
        cells=figures.rate_cells(rates),
        received=rates.counts["received"],
        trend=_trend(root.pk, period.start, period.end),
        children=children,
        child_label=figures.LEVEL_LABELS.get(figures.CHILD_LEVEL.get(root.level, ""), "下级"),
        best=best,
        worst=worst,
        figures_url=_url("appeals:figures", node=root.pk, range="last30"),
    )


# --- residents and members ----------------------------------------------------------------------


@dataclass
class PersonalWork:
    todos: list[Todo]
    honour: Decimal | None = None
    timebank: Decimal | None = None
    registration: Any = None
    service_hours: Decimal | None = None


def personal_work(user: Any, member: Any) -> PersonalWork:
    """The person's open cases and wishes, what waits for their answer, unread messages,
    points balances (the cached ``Account.balance``); for a member also 双报到 and hours."""
    from dangjian.needs import selectors as needs
    from dangjian.notifications import selectors as notes
    from dangjian.points.choices import AccountKind, Ledger
    from dangjian.points.models import Account

    cases = appeals.reported_cases(user).aggregate(
        open=Count("id", filter=appeals.MINE_FILTERS["open"][1]),
        rate=Count("id", filter=appeals.MINE_FILTERS["rate"][1]),
    )
    wishes = needs.posted_needs(user).aggregate(
        open=Count("id", filter=needs.MINE_FILTERS["open"][1]),
        answer=Count("id", filter=needs.MINE_FILTERS["answer"][1]),
    )
    unread = notes.unread_count(user)
    todos = [
        Todo(
            "appeals:rate",
            "待我评价的诉求",
            "star-half",
            cases["rate"],
            _url("appeals:mine", show="rate"),
            tone="danger" if cases["rate"] else "muted",
            hint="已办结，请评价办理结果",
        ),
        Todo(
            "needs:answer",
            "待我确认的心愿",
            "patch-check",
            wishes["answer"],
            _url("needs:mine", show="answer"),
            tone="danger" if wishes["answer"] else "muted",
            hint="心愿已完成，请确认或评价",
        ),
        Todo(
            "notifications:unread",
            "未读消息",
            "bell",
            unread,
            _url("notifications:inbox", show="unread"),
            tone="warning" if unread else "muted",
        ),
        Todo(
            "appeals:open",
            "办理中的诉求",
            "chat-dots",
            cases["open"],
            _url("appeals:mine", show="open"),
            hint="我反映、尚未办结的问题",
        ),
        Todo(
            "needs:open",
            "进行中的心愿",
            "balloon-heart",
            wishes["open"],
            _url("needs:mine", show="open"),
            hint="我许下、尚未完成的心愿",
        ),
    ]
    out = PersonalWork(todos=todos)
    if user.person_id:
        balances = dict(
            Account.objects.filter(person_id=user.person_id, kind=AccountKind.PERSON).values_list(
                "ledger", "balance"
            )
        )
        out.honour = balances.get(Ledger.HONOUR, Decimal("0"))
        out.timebank = balances.get(Ledger.TIMEBANK, Decimal("0"))
    if member is not None:
        from dangjian.service.choices import RecordStatus
        from dangjian.service.models import ServiceRecord
        from dangjian.service.selectors import live_registration

        out.registration = live_registration(member)
        out.service_hours = ServiceRecord.objects.filter(
            person_id=member.person_id, status=RecordStatus.VERIFIED
        ).aggregate(h=Sum("hours"))["h"] or Decimal("0")
    return out
