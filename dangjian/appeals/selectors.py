"""Scoped reads of cases for the staff pages: the work queue tabs, one case, deadlines.

A staff user sees the cases of their territory (``Case.objects.restrict``) and, when they
work for a department or unit, the cases assigned to that unit and those on which a whistle
convened it — wherever those lie. The tabs narrow that set by the actor logic of
``appeals.access`` expressed as query conditions, so counting and paging stay in SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import privacy
from dangjian.accounts.roles import Role
from dangjian.appeals import workflow
from dangjian.appeals.access import DISPATCHING_ROLES, STREET_ROLES, UNIT_ROLES, actor_kinds
from dangjian.appeals.choices import FINAL_STATES, Channel, Status, TaskStatus, Tier
from dangjian.appeals.models import Case, Category, WhistleTask
from dangjian.core import bounds, workcal

WORKING_DAY = workcal.WORKING_DAY
ACK_WARNING = dt.timedelta(hours=2)
OPEN = [s for s in Status if s not in FINAL_STATES and s != Status.CLOSED]


# --- who the user is --------------------------------------------------------------------


def unit_ids(user: Any) -> list[int]:
    """The departments/units the user works for (role department or unit_admin)."""
    return sorted({a.unit_id for a in user.active_assignments() if a.role in UNIT_ROLES and a.unit_id})


@privacy.link(Role.DEPARTMENT, privacy.RESIDENTS)
def department_reporters(user: Any) -> Q:
    """The residents a department may look up: who reported the cases assigned to it or on
    which a whistle convened it (least privilege, ``accounts.privacy``)."""
    units = privacy.assigned_units(user, Role.DEPARTMENT)
    tasks = WhistleTask.objects.filter(department_id__in=units).values("whistle__case_id")
    cases = Case.objects.filter(Q(assignee_unit_id__in=units) | Q(pk__in=tasks), reporter__isnull=False)
    return Q(person_id__in=cases.values("reporter_id"))


def _covering(user: Any, roles: Any, field: str = "handling_node") -> Q:
    """Cases whose ``field`` node lies at or below a node where the user holds one of ``roles``."""
    q = Q(pk__in=[])
    for a in user.active_assignments():
        if a.role in roles and a.node_id is not None:
            q |= Q(**{f"{field}_id": a.node_id}) | Q(**{f"{field}__{a.node.level}_id": a.node_id})
    return q


def is_staff(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.scope_assignments() or unit_ids(user))


def require_staff(user: Any) -> None:
    if not is_staff(user):
        raise Http404("未找到或无权访问")


# --- the base set and one case ------------------------------------------------------------


def visible_cases(user: Any) -> QuerySet[Case]:
    """Everything on the staff pages starts here."""
    qs: QuerySet[Case] = Case.objects.restrict(user, "view")
    units = unit_ids(user)
    if units and not user.is_superuser:
        tasks = WhistleTask.objects.filter(department_id__in=units).values("whistle__case_id")
        qs = qs | Case.objects.filter(Q(assignee_unit_id__in=units) | Q(pk__in=tasks))
    return qs


def case_for(user: Any, pk: int) -> Case:
    """One case for the detail page; 404 alike for missing and out of scope."""
    require_staff(user)
    case = (
        visible_cases(user)
        .select_related(
            "category", "top_category", "handling_node", "assignee_unit", "assignee_user", "merged_into"
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("未找到或无权访问")
    return case


# --- the tabs -------------------------------------------------------------------------------


def _is_dispatcher(user: Any) -> Q:
    return Q() if user.is_superuser else _covering(user, DISPATCHING_ROLES)


def _is_handler(user: Any) -> Q:
    q = Q(assignee_user_id=user.pk)
    units = unit_ids(user)
    if units:
        q |= Q(assignee_unit_id__in=units)
    nodes = [a.node_id for a in user.active_assignments() if a.role in DISPATCHING_ROLES and a.node_id]
    if nodes:
        q |= Q(assignee_user__isnull=True, assignee_unit__isnull=True, handling_node_id__in=nodes)
    return q


def _whistles(user: Any) -> Q:
    streets = [a.node_id for a in user.active_assignments() if a.role in STREET_ROLES and a.node_id]
    q = Q(pk__in=[])
    if user.is_superuser or streets:
        open_whistles = Q(whistles__closed_at__isnull=True, status=Status.WHISTLED)
        q |= open_whistles if user.is_superuser else open_whistles & Q(street_id__in=streets)
    units = unit_ids(user)
    if units:
        tasks = WhistleTask.objects.filter(department_id__in=units, whistle__closed_at__isnull=True).exclude(
            status=TaskStatus.DONE
        )
        q |= Q(pk__in=tasks.values("whistle__case_id"))
    return q


def overdue_q(now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(status=Status.DISPATCHED, ack_due__lt=now) | Q(status__in=OPEN, resolve_due__lt=now)


def due_soon_q(now: dt.datetime | None = None) -> Q:
    """Not yet overdue, but the deadline that matters (see :func:`countdown`) falls within
    its warning span: 签收 within 2 office hours, 办结 within one working day. The spans are
    working time, turned into wall-clock bounds once so the condition stays in SQL."""
    now = now or timezone.now()
    ack_by = workcal.add_working_hours(now, ACK_WARNING)
    resolve_by = workcal.add_working_hours(now, WORKING_DAY)
    return (
        Q(status=Status.DISPATCHED, ack_due__gte=now, ack_due__lt=ack_by)
        | Q(
            status__in=[s for s in OPEN if s != Status.DISPATCHED],
            resolve_due__gte=now,
            resolve_due__lt=resolve_by,
        )
    ) & ~overdue_q(now)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    icon: str


TABS = [
    Tab("submitted", "待受理", "inbox"),
    Tab("accepted", "待派遣", "send"),
    Tab("dispatched", "待签收", "pen"),
    Tab("in_progress", "处置中", "tools"),
    Tab("handled", "待核查", "clipboard-check"),
    Tab("whistle", "吹哨报到", "megaphone"),
    Tab("due_soon", "即将超期", "hourglass-split"),
    Tab("overdue", "超期督办", "alarm"),
    Tab("all", "全部", "list-ul"),
]
TAB_KEYS = {t.key for t in TABS}


def tab_condition(user: Any, key: str) -> Q:
    if key == "submitted":
        return Q(status=Status.SUBMITTED) & _is_dispatcher(user)
    if key == "accepted":
        return Q(status=Status.ACCEPTED) & _is_dispatcher(user)
    if key == "dispatched":
        return Q(status=Status.DISPATCHED) & _is_handler(user)
    if key == "in_progress":
        working = Q(status__in=[Status.IN_PROGRESS, Status.WHISTLED])
        return working if user.is_superuser else working & (_is_handler(user) | _is_dispatcher(user))
    if key == "handled":
        return Q(status=Status.HANDLED) & _is_dispatcher(user)
    if key == "whistle":
        return _whistles(user)
    if key == "due_soon":
        return due_soon_q()
    if key == "overdue":
        return overdue_q()
    return Q()


def tab_cases(user: Any, key: str) -> QuerySet[Case]:
    qs = visible_cases(user).filter(tab_condition(user, key))
    return qs.distinct() if key == "whistle" else qs


def tab_counts(user: Any, keys: Iterable[str] | None = None) -> dict[str, int]:
    """Rows per tab (all tabs, or only ``keys``): one COUNT each, as the queue shows them."""
    wanted = TAB_KEYS if keys is None else set(keys)
    return {t.key: tab_cases(user, t.key).count() for t in TABS if t.key in wanted}


def default_tab(counts: Mapping[str, int]) -> str:
    """The tab a queue opens on: the busiest non-empty work tab (a tie goes to the earlier
    step), else 全部 when only finished cases are left, else 待受理. Decided from the
    per-tab counts the page shows anyway, so it costs no query of its own."""
    work = [t.key for t in TABS if t.key != "all"]
    busiest = max(work, key=lambda key: counts.get(key, 0))  # max keeps the first of equals
    if counts.get(busiest, 0):
        return busiest
    return "all" if counts.get("all", 0) else "submitted"


# A whole case number as people type it (BL-20261121-0001; the prefix is CASE_NUMBER_PREFIX).
CASE_NUMBER = re.compile(r"^[A-Z]{1,6}-\d{8}-\d+$")


def case_by_number(user: Any, text: str) -> Case | None:
    """The case whose number is exactly ``text``, if the user may see it (else ``None``, the
    same answer as for a number that does not exist)."""
    number = text.strip().upper()
    if not CASE_NUMBER.match(number):
        return None
    return visible_cases(user).filter(number=number).only("pk").first()


# --- search and filters (the 全部 tab; also applied to the others) -------------------------------


def _date(raw: str) -> dt.date | None:
    return bounds.parse_day(raw)


@dataclass
class Search:
    queryset: QuerySet[Case]
    values: dict[str, str]
    errors: list[str]


FILTER_CHOICES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "status": ("状态", list(Status.choices)),
    "channel": ("渠道", list(Channel.choices)),
    "tier": ("办理层级", list(Tier.choices)),
}


def top_categories() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Category.objects.filter(level=1).values_list("pk", "name")]


def search(qs: QuerySet[Case], params: Mapping[str, Any]) -> Search:
    """Apply the filter bar; values that make no sense are ignored with a Chinese message."""
    values: dict[str, str] = {}
    errors: list[str] = []
    q = str(params.get("q") or "").strip()[:60]
    if q:
        values["q"] = q
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    for param, (label, choices) in FILTER_CHOICES.items():
        raw = str(params.get(param) or "").strip()
        if not raw:
            continue
        if raw not in {v for v, _ in choices}:
            errors.append(f"{label}筛选条件无效，已忽略")
            continue
        values[param] = raw
        qs = qs.filter(**{param: raw})
    for param, label, lookup in (
        ("category", "一级分类", "top_category_id"),
        ("street", "街道(镇)", "street_id"),
        ("community", "社区", "community_id"),
        ("grid", "网格", "grid_id"),
    ):
        raw = str(params.get(param) or "").strip()
        if not raw:
            continue
        pk = bounds.parse_id(raw)
        if pk is None:
            errors.append(f"{label}筛选条件无效，已忽略")
            continue
        values[param] = str(pk)
        qs = qs.filter(**{lookup: pk})
    for param, label, lookup in (
        ("from", "起始日期", "received_on__gte"),
        ("to", "截止日期", "received_on__lte"),
    ):
        raw = str(params.get(param) or "").strip()
        if not raw:
            continue
        day = _date(raw)
        if day is None:
            errors.append(f"{label}格式应为 年-月-日，已忽略")
            continue
        values[param] = raw
        qs = qs.filter(**{lookup: day})
    return Search(queryset=qs, values=values, errors=errors)


# --- countdowns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Countdown:
    label: str  # 签收 / 办结
    due: dt.datetime
    remaining: dt.timedelta  # working time; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.remaining < dt.timedelta(0)

    @property
    def warning(self) -> bool:
        limit = ACK_WARNING if self.label == "签收" else WORKING_DAY
        return not self.overdue and self.remaining < limit

    @property
    def css(self) -> str:
        if self.overdue:
            return "text-bg-danger"
        return "text-bg-warning" if self.warning else "text-bg-success"

    @property
    def text(self) -> str:
        span = workcal.span_text(self.remaining)
        return f"{self.label}超期 {span}" if self.overdue else f"{self.label}剩余 {span}"


def _countdown(label: str, due: dt.datetime, now: dt.datetime) -> Countdown | None:
    remaining = workcal.working_time_between(now, due)
    # Under a minute either way (e.g. a deadline that fell after office hours, seen before
    # the next working day starts) is nothing to count: neither “剩余” nor “超期 0分钟”.
    if not workcal.span_text(remaining):
        return None
    return Countdown(label, due, remaining)


def countdown(case: Case, now: dt.datetime | None = None) -> Countdown | None:
    """The deadline that matters now: acknowledging a dispatched case, else resolving an open one."""
    now = now or timezone.now()
    if case.status == Status.DISPATCHED and case.ack_due:
        return _countdown("签收", case.ack_due, now)
    if case.status in OPEN and case.resolve_due:
        return _countdown("办结", case.resolve_due, now)
    return None


# --- what the user may do -----------------------------------------------------------------------


def allowed_events(user: Any, case: Case) -> list[str]:
    """Exactly the workflow events the user may fire on ``case`` now."""
    kinds = actor_kinds(user, case)
    return [e for e in workflow.events_from(case.status) if workflow.allowed_actors(case.status, e) & kinds]


# --- the reporter's own cases (我的诉求 and the personal home page) ----------------------------

# ?show= on 我的诉求: what the personal home page counts and links to.
MINE_FILTERS: dict[str, tuple[str, Q]] = {
    "open": ("办理中", Q(status__in=OPEN)),
    "rate": ("待评价", Q(status=Status.CLOSED)),
}


def reported_cases(user: Any, show: str = "") -> QuerySet[Case]:
    """The cases ``user`` reported (as an account or as the person), narrowed by ``show``."""
    own = Q(reporter_user=user)
    if user.person_id:
        own |= Q(reporter_id=user.person_id)
    qs = Case.objects.filter(own)
    if show in MINE_FILTERS:
        qs = qs.filter(MINE_FILTERS[show][1])
    return qs
