"""Scoped reads of the smart dispatch: a case's decision and duplicates, rules, hotspots.

A case is always fetched through ``appeals.selectors`` (404 alike for missing and out of
scope); duplicates are shown only when the other case is visible to the user too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from dangjian.accounts.roles import Role
from dangjian.appeals import selectors as appeals_selectors
from dangjian.appeals.access import actor_kinds
from dangjian.appeals.choices import Actor, Status
from dangjian.appeals.models import Case, Category
from dangjian.dispatch import actions, duplicates
from dangjian.dispatch import similarity as sim
from dangjian.dispatch.models import DecisionStatus, DispatchDecision, Hotspot, RoutingRule
from dangjian.dispatch.similarity import Score
from dangjian.territory.models import Node
from dangjian.units.models import Unit

MERGEABLE = (Status.SUBMITTED, Status.ACCEPTED)
DUPLICATES_SHOWN = 5


def latest_decision(case: Case, *, compute: bool = True) -> DispatchDecision | None:
    """The newest decision of the case; computed now when missing and the case still awaits
    dispatch (the worker may not have run yet)."""
    decision = (
        DispatchDecision.objects.filter(case=case)
        .select_related("category", "node", "department", "rule", "chosen_category", "decided_by")
        .order_by("-id")
        .first()
    )
    if decision is None and compute and case.status in actions.DISPATCHABLE:
        decision = actions.decide_case(case, acting_user=None)
    return decision


def is_stale(case: Case, decision: DispatchDecision | None) -> bool:
    """A proposal nobody took up while the case moved on (dispatched by hand, closed …):
    it can no longer be applied, so the card says so instead of “待确认”."""
    return (
        decision is not None
        and decision.status == DecisionStatus.PROPOSED
        and case.status not in actions.DISPATCHABLE
    )


def can_act(user: Any, case: Case, decision: DispatchDecision | None) -> bool:
    return (
        decision is not None
        and decision.status == DecisionStatus.PROPOSED
        and case.status in actions.DISPATCHABLE
        and Actor.DISPATCHER in actor_kinds(user, case)
    )


@dataclass(frozen=True)
class Duplicate:
    case: Case
    score: Score
    merge_label: str  # "" when no merge is possible for this user


def duplicates_for(user: Any, case: Case, limit: int = DUPLICATES_SHOWN) -> list[Duplicate]:
    if case.lng is None or case.lat is None:
        return []
    actions.backfill_signatures(
        day=case.received_on, lng=case.lng, lat=case.lat, radius_m=sim.RADIUS_M, window_days=sim.WINDOW_DAYS
    )
    found = duplicates.find_for_case(case, limit=limit * 3)
    if not found:
        return []
    visible = {
        c.pk: c
        for c in appeals_selectors.visible_cases(user)
        .filter(pk__in=[f.case_id for f in found])
        .exclude(status=Status.DUPLICATE)
        .select_related("category")
    }
    out = []
    for f in found:
        other = visible.get(f.case_id)
        if other is None:
            continue
        out.append(Duplicate(other, f.score, _merge_label(user, case, other)))
        if len(out) >= limit:
            break
    return out


def _merge_label(user: Any, case: Case, other: Case) -> str:
    first, later = sorted((case, other), key=lambda c: (c.received_on, c.created_at, c.pk))
    if first.merged_into_id or later.status not in MERGEABLE:
        return ""
    if Actor.DISPATCHER not in actor_kinds(user, later):
        return ""
    return f"将本件并入 {other.number}" if later.pk == case.pk else f"将 {other.number} 并入本件"


# --- dispatch targets and categories (override form) --------------------------------------


def target_choices(case: Case) -> list[tuple[str, list[tuple[str, str]]]]:
    labels = {"grid": "网格", "community": "社区", "street": "街道"}
    ids = [i for i in (case.grid_id, case.community_id, case.street_id) if i]
    nodes = Node.objects.filter(pk__in=ids).order_by("-depth")
    units = Unit.objects.filter(kind="department")
    units = units.filter(county_id=case.county_id) if case.county_id else units.filter(city_id=case.city_id)
    return [
        ("区域", [(f"node:{n.pk}", f"{labels.get(n.level, '')}：{n.name}") for n in nodes]),
        ("职能部门", [(f"unit:{u.pk}", u.name) for u in units.order_by("name")]),
    ]


def parse_target(case: Case, raw: str) -> tuple[Node | None, Unit | None]:
    allowed = {v for _, group in target_choices(case) for v, _ in group}
    if raw not in allowed:
        raise Http404("派遣对象不存在")
    kind, _, pk = raw.partition(":")
    if kind == "node":
        return Node.objects.get(pk=pk), None
    return None, Unit.objects.get(pk=pk)


def category_choices(case: Case) -> list[tuple[str, list[tuple[int, str]]]]:
    """Second- and third-level categories grouped by top level (enterprise kept apart)."""
    cats = list(Category.objects.filter(active=True, enterprise=case.category.enterprise).order_by("code"))
    by_code = {c.code: c for c in cats}
    groups: dict[str, list[tuple[int, str]]] = {}
    for c in cats:
        if c.level == 1:
            continue
        top = by_code.get(c.code.split(".")[0])
        parent = by_code.get(c.code.rsplit(".", 1)[0])
        label = c.name if c.level == 2 or parent is None else f"{parent.name} › {c.name}"
        groups.setdefault(top.name if top else "其他", []).append((c.pk, label))
    return list(groups.items())


# --- rules -------------------------------------------------------------------------------------


def is_rule_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or any(a.role == Role.CITY_ADMIN for a in user.active_assignments()))


def require_rule_admin(user: Any) -> None:
    if not is_rule_admin(user):
        raise Http404("未找到或无权访问")


def rules_for(user: Any) -> QuerySet[RoutingRule]:
    qs: QuerySet[RoutingRule] = RoutingRule.objects.restrict(user, "change")
    return qs.select_related("category", "node", "department").order_by("node__path", "category__code", "id")


def rule_nodes(user: Any) -> list[Node]:
    qs = Node.objects.restrict(user, "change").filter(
        level__in=["city", "county", "street"], retired_at__isnull=True
    )
    return list(qs.order_by("path")[:500])


def rule_departments(user: Any) -> list[Unit]:
    nodes = rule_nodes(user)
    cities = {n.city_id or n.pk for n in nodes}
    return list(Unit.objects.filter(kind="department", city_id__in=cities).order_by("name"))


def rule_categories() -> list[Category]:
    return list(Category.objects.filter(active=True).order_by("code"))


# --- hotspots ------------------------------------------------------------------------------------


def hotspots_for(user: Any) -> QuerySet[Hotspot]:
    if not appeals_selectors.is_staff(user):
        raise Http404("未找到或无权访问")
    qs: QuerySet[Hotspot] = Hotspot.objects.restrict(user, "view")
    return qs.select_related("category", "top_category", "street", "community", "grid", "lead_case")
