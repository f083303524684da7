"""Every write of the smart dispatch: routing rules, decisions (propose, apply, override),
case signatures, merging a duplicate, hotspots.

Applying or overriding a decision moves the case only through ``appeals.actions``
(``accept_case`` then ``dispatch_case``), which check the workflow table and the actor —
a user who may not dispatch the case gets the same refusal as on the appeals panel.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.appeals import actions as appeals_actions
from dangjian.appeals import workflow
from dangjian.appeals.choices import Status
from dangjian.appeals.models import Case, Category
from dangjian.core import audit
from dangjian.core.access import ensure_in_scope
from dangjian.dispatch import duplicates, routing
from dangjian.dispatch.models import (
    CaseSignature,
    DecisionStatus,
    DispatchDecision,
    RoutingRule,
    RoutingTier,
)

log = logging.getLogger(__name__)

DISPATCHABLE = (Status.SUBMITTED, Status.ACCEPTED, Status.PUBLISHED)
RULE_ADMIN_ROLES = {"city_admin"}


# --- the classifier (issue 4, dangjian.intel), imported lazily --------------------------


def intel_predict(title: str, text: str) -> Any:
    """``intel.classify.predict`` when that app provides it; None without a model."""
    try:
        from dangjian.intel.classify import predict  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        return predict(title, text)
    except Exception:  # a broken model must never stop intake or the case page
        log.exception("intel.classify.predict failed")
        return None


def intel_record_override(*, case: Case, predicted_code: str, chosen_code: str, acting_user: Any) -> bool:
    try:
        from dangjian.intel.classify import record_override  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return False
    record_override(
        case=case, predicted_code=predicted_code, chosen_code=chosen_code, acting_user=acting_user
    )
    return True


# --- routing rules ----------------------------------------------------------------------


def _check_rule(
    *, node: Any, tier: str, department: Any, response_hours: int | None, resolve_days: int | None
) -> None:
    errors: dict[str, str] = {}
    if node is None:
        errors["node"] = "请选择适用区域"
    elif node.level not in ("city", "county", "street", "community", "grid"):
        errors["node"] = "适用区域须为市、县、街道、社区或网格"
    if tier not in RoutingTier.values:
        errors["tier"] = "请选择责任层级"
    elif tier == RoutingTier.COUNTY and department is None:
        errors["department"] = "县级职能部门承办须选择承办部门"
    if department is not None and department.kind != "department":
        errors["department"] = "承办部门须为职能部门"
    for name, value, top in (("response_hours", response_hours, 240), ("resolve_days", resolve_days, 90)):
        if value is not None and not 1 <= value <= top:
            errors[name] = f"时限须在 1–{top} 之间"
    if errors:
        raise ValidationError(errors)


def _same_rule(node: Any, category: Any, exclude: int | None = None) -> bool:
    qs = RoutingRule.objects.filter(node=node, category=category)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


@transaction.atomic
def create_rule(
    *,
    node: Any,
    category: Category | None,
    tier: str,
    department: Any = None,
    response_hours: int | None = None,
    resolve_days: int | None = None,
    note: str = "",
    acting_user: Any,
) -> RoutingRule:
    _check_rule(
        node=node, tier=tier, department=department, response_hours=response_hours, resolve_days=resolve_days
    )
    if _same_rule(node, category):
        raise ValidationError({"category": "该区域已有此分类的规则，请直接修改"})
    rule = RoutingRule(
        node=node,
        category=category,
        tier=tier,
        department=department,
        response_hours=response_hours,
        resolve_days=resolve_days,
        note=(note or "").strip()[:200],
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    rule.place(node)
    rule.save()
    ensure_in_scope(acting_user, "change", rule)
    audit.record(acting_user, "dispatch.rule.create", rule)
    return rule


@transaction.atomic
def update_rule(
    rule: RoutingRule,
    *,
    category: Category | None,
    tier: str,
    department: Any = None,
    response_hours: int | None = None,
    resolve_days: int | None = None,
    note: str = "",
    active: bool = True,
    acting_user: Any,
) -> RoutingRule:
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    ensure_in_scope(acting_user, "change", rule)
    _check_rule(
        node=rule.node,
        tier=tier,
        department=department,
        response_hours=response_hours,
        resolve_days=resolve_days,
    )
    if _same_rule(rule.node, category, exclude=rule.pk):
        raise ValidationError({"category": "该区域已有此分类的规则"})
    before = audit.snapshot(rule)
    rule.category, rule.tier, rule.department = category, tier, department
    rule.response_hours, rule.resolve_days = response_hours, resolve_days
    rule.note, rule.active = (note or "").strip()[:200], active
    rule.save()
    audit.record(acting_user, "dispatch.rule.update", rule, before=before)
    return rule


@transaction.atomic
def delete_rule(rule: RoutingRule, *, acting_user: Any) -> None:
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    ensure_in_scope(acting_user, "change", rule)
    audit.record(acting_user, "dispatch.rule.delete", rule, before=audit.snapshot(rule), after=None)
    rule.delete()


# --- signatures ----------------------------------------------------------------------------


def store_signature(case: Case) -> CaseSignature | None:
    """Write (or refresh) the case's signature row; a derived index, like the counters."""
    values = duplicates.signature_values(case)
    if values is None:
        return None
    sig, _ = CaseSignature.objects.update_or_create(case_id=case.pk, defaults=values)
    return sig


def backfill_signatures(*, day: Any, lng: float, lat: float, radius_m: float, window_days: int) -> int:
    """Sign the cases around a point and day that have no signature yet (the worker may lag,
    or the cases came from an import or the demo). Uses the ``received_on`` index."""
    import datetime as dt

    from dangjian.dispatch import similarity as sim

    window = dt.timedelta(days=window_days)
    dlat = radius_m / sim.METRES_PER_DEGREE_LAT
    dlng = dlat / max(math.cos(math.radians(lat)), 1e-6)
    missing = Case.objects.filter(
        received_on__gte=day - window,
        received_on__lte=day + window,
        lng__gte=lng - dlng,
        lng__lte=lng + dlng,
        lat__gte=lat - dlat,
        lat__lte=lat + dlat,
        signature__isnull=True,
    )
    done = 0
    for case in missing[:2000]:
        done += store_signature(case) is not None
    return done


# --- decisions -------------------------------------------------------------------------------

Predictor = Callable[[str, str], Any]


def _guesses(prediction: Any) -> list[dict[str, Any]]:
    return [
        {"code": g.category_code, "name": g.category_name, "confidence": round(float(g.confidence), 4)}
        for g in list(prediction.guesses)[:3]
    ]


@transaction.atomic
def decide_case(
    case: Case, *, acting_user: Any = None, predictor: Predictor | None = None
) -> DispatchDecision:
    """Propose a category and a target for ``case`` and store it with its reasons.

    ``predictor(title, text)`` defaults to the newest active model of ``dangjian.intel``.
    Earlier proposals of the case that were not acted on become 已失效.
    """
    case = Case.objects.select_related("category").get(pk=case.pk)
    store_signature(case)
    prediction = (predictor or intel_predict)(case.title, case.description)
    reasons: list[str] = []
    guesses: list[dict[str, Any]] = []
    category = case.category
    confident = True
    version = None
    if prediction is None or not list(prediction.guesses):
        reasons.append(f"尚无可用的分类模型，按反映人所选分类“{case.category.name}”分派")
    else:
        guesses = _guesses(prediction)
        version = int(prediction.model_version)
        top = guesses[0]
        others = "，".join(f"{g['name']} {g['confidence']:.0%}" for g in guesses[1:])
        reasons.append(
            f"分类模型 v{version}：{top['name']} {top['confidence']:.0%}"
            + (f"（其次：{others}）" if others else "")
        )
        predicted = Category.objects.filter(code=top["code"]).first()
        if not prediction.confident:
            confident = False
            reasons.append("模型置信度低于阈值：请人工判断分类并分派（人工分派）")
        elif predicted is None:
            confident = False
            reasons.append(f"模型给出的分类编码 {top['code']} 不在本市分类表中，请人工分派")
        elif predicted.includes(case.category):
            # The model names the reporter's category or one of its ancestors (a model trained
            # on top-level labels): keep the reporter's more specific choice for routing.
            reasons.append(f"与反映人所选分类一致（同属“{predicted.name}”）")
        elif predicted.pk != case.category_id:
            category = predicted
            reasons.append(f"模型判断为“{predicted.name}”，与反映人所选“{case.category.name}”不同")
        else:
            reasons.append("与反映人所选分类一致")
    route = routing.resolve(category, case)
    reasons.extend(route.reasons)
    if route.rule is not None and (route.rule.response_hours or route.rule.resolve_days):
        hints = []
        if route.rule.response_hours:
            hints.append(f"签收 {route.rule.response_hours} 个工作小时")
        if route.rule.resolve_days:
            hints.append(f"办结 {route.rule.resolve_days} 个工作日")
        reasons.append("时限提示：" + "、".join(hints))
    confident = confident and route.complete
    DispatchDecision.objects.filter(case=case, status=DecisionStatus.PROPOSED).update(
        status=DecisionStatus.SUPERSEDED
    )
    decision = DispatchDecision.objects.create(
        case=case,
        model_version=version,
        guesses=guesses,
        confident=confident,
        rule=route.rule,
        rule_label=str(route.rule)[:200] if route.rule else "",
        category=category,
        tier=route.tier,
        node=route.node,
        department=route.department,
        reasons=reasons,
    )
    audit.record(acting_user, "dispatch.decide", decision)
    return decision


def _lock_decision(decision: DispatchDecision) -> DispatchDecision:
    locked = DispatchDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != DecisionStatus.PROPOSED:
        raise workflow.TransitionError(f"该分派建议{locked.get_status_display()}，请刷新后重试")
    return locked


def _dispatch(
    case: Case, *, node: Any, department: Any, note: str, acting_user: Any, category: Category | None = None
) -> Case:
    if case.status not in DISPATCHABLE:
        raise workflow.TransitionError(f"诉求当前为“{case.get_status_display()}”，不能再分派")
    if category is not None and not category.includes(case.category):
        # The confirmed category becomes the case's own (counters move with it); an
        # ancestor of the reporter's choice does not replace that more specific choice.
        case = appeals_actions.recategorize_case(case, category=category, acting_user=acting_user, note=note)
    if case.status == Status.SUBMITTED:
        case = appeals_actions.accept_case(case, acting_user=acting_user, note="受理并按智能分派建议派遣")
    return appeals_actions.dispatch_case(
        case, to_node=node, to_unit=department, note=note, acting_user=acting_user
    )


@transaction.atomic
def apply_decision(decision: DispatchDecision, *, acting_user: Any) -> Case:
    """采用建议: accept the case if needed and dispatch it to the proposed target."""
    decision = _lock_decision(decision)
    if decision.needs_person:
        raise ValidationError("该建议置信度不足或没有分派对象，须人工分派")
    node = None if decision.tier == RoutingTier.COUNTY else decision.node
    before = audit.snapshot(decision)
    case = _dispatch(
        decision.case,
        node=node,
        department=decision.department,
        note="采用智能分派建议",
        acting_user=acting_user,
        category=decision.category,
    )
    decision.status, decision.decided_by, decision.decided_at = (
        DecisionStatus.APPLIED,
        acting_user,
        timezone.now(),
    )
    decision.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(acting_user, "dispatch.apply", decision, before=before)
    return case


@transaction.atomic
def override_decision(
    decision: DispatchDecision,
    *,
    category: Category | None,
    node: Any = None,
    department: Any = None,
    note: str = "",
    acting_user: Any,
) -> Case:
    """改派: the dispatcher chooses another category and/or target. A different category is
    recorded for the next training (``intel.classify.record_override``)."""
    decision = _lock_decision(decision)
    if node is None and department is None:
        raise ValidationError({"target": "请选择派遣对象"})
    before = audit.snapshot(decision)
    chosen = category or decision.category
    case = _dispatch(
        decision.case, node=node, department=department, note=note, acting_user=acting_user, category=chosen
    )
    decision.status, decision.decided_by, decision.decided_at = (
        DecisionStatus.OVERRIDDEN,
        acting_user,
        timezone.now(),
    )
    decision.chosen_category, decision.chosen_node, decision.chosen_department = chosen, node, department
    decision.note = (note or "").strip()[:500]
    decision.save()
    predicted_code = (
        decision.guesses[0]["code"]
        if decision.guesses
        else (decision.category.code if decision.category else "")
    )
    if chosen is not None and predicted_code and chosen.code != predicted_code:
        # In the same transaction: the correction is training data and must not be lost.
        intel_record_override(
            case=case, predicted_code=predicted_code, chosen_code=chosen.code, acting_user=acting_user
        )
    audit.record(acting_user, "dispatch.override", decision, before=before)
    return case


# --- duplicates --------------------------------------------------------------------------------


@transaction.atomic
def merge_duplicate(case: Case, *, other: Case, acting_user: Any) -> Case:
    """Merge the later-received of two cases into the earlier one (appeals ``merge_cases``)."""
    first, later = sorted((case, other), key=lambda c: (c.received_on, c.created_at, c.pk))
    if first.merged_into_id:
        raise ValidationError({"into": f"{first.number} 本身已被合并，请并入其主件"})
    return appeals_actions.merge_cases(later, into=first, acting_user=acting_user)


# --- hotspots --------------------------------------------------------------------------------


@transaction.atomic
def recompute_hotspots(*, days: int = 30, today: Any = None, acting_user: Any = None) -> list[Any]:
    """Rebuild every hotspot from the cases received in the last ``days`` days."""
    import datetime as dt

    from django.db.models import Count, Q

    from dangjian.appeals.choices import OPEN_STATES
    from dangjian.dispatch import hotspots as H
    from dangjian.dispatch.models import Hotspot, HotspotMember
    from dangjian.territory.models import Node

    if days < 1 or days > 366:
        raise ValidationError({"days": "统计周期须在 1–366 天之间"})
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    # Cases of the period without a signature yet (e.g. the worker has not run): add them.
    missing = Case.objects.filter(
        received_on__gte=start, received_on__lte=today, lng__isnull=False, signature__isnull=True
    )
    for case in missing.iterator(chunk_size=500):
        store_signature(case)
    points = [
        H.Point(*row)
        for row in CaseSignature.objects.filter(day__gte=start, day__lte=today).values_list(
            "case_id", "lng", "lat", "day", "category_ref", "top_ref", "text"
        )
    ]
    groups = H.clusters(points)
    ids = [p.case_id for g in groups for p in g]
    facts = {
        c["pk"]: c
        for c in Case.objects.filter(pk__in=ids)
        .annotate(own_followers=Count("followers", filter=Q(followers__via_merge__isnull=True)))
        .values(
            "pk",
            "reporter_user_id",
            "reporter_id",
            "status",
            "assignee_unit_id",
            "merged_into_id",
            "grid_id",
            "community_id",
            "street_id",
            "county_id",
            "city_id",
            "own_followers",
        )
    }
    Hotspot.objects.all().delete()
    now = timezone.now()
    made = []
    for group in groups:
        group = [p for p in group if p.case_id in facts]
        if len(group) < H.MIN_CASES:
            continue
        keys = {p.case_id: _reporter_key(facts[p.case_id]) for p in group}
        support = {
            p.case_id: facts[p.case_id]["own_followers"] + (1 if facts[p.case_id]["merged_into_id"] else 0)
            for p in group
        }
        departments = {facts[p.case_id]["assignee_unit_id"] for p in group} - {None}
        lead = facts[group[0].case_id]
        for cat_id in {p.category for p in group}:
            rule = routing.best_rule(Category.objects.filter(pk=cat_id).first(), _Place(lead))
            if rule is not None and rule.department_id:
                departments.add(rule.department_id)
        s = H.summarise(
            group,
            today=today,
            reporter_keys=keys,
            support=support,
            open_ids={p.case_id for p in group if facts[p.case_id]["status"] in OPEN_STATES},
            departments=departments,
        )
        lead_case = Case.objects.only("title").get(pk=s.lead_case_id)
        category = Category.objects.get(pk=s.category_id)
        spot = Hotspot(
            title=lead_case.title[:120],
            top_category_id=group[0].top,
            category=category,
            lead_case_id=s.lead_case_id,
            lng=s.lng,
            lat=s.lat,
            radius_m=round(s.radius_m),
            first_day=min(p.day for p in group),
            last_day=max(p.day for p in group),
            cases=len(group),
            reporters=s.reporters,
            support=s.support,
            active_days=s.active_days,
            open_cases=s.open_cases,
            departments=len(s.departments),
            heat=s.heat,
            suggests_whistle=s.suggests_whistle,
            whistle_reason=s.whistle_reason[:200],
            computed_at=now,
        )
        spot.place(Node.objects.get(pk=_common_node([facts[p.case_id] for p in group])))
        spot.save()
        HotspotMember.objects.bulk_create([HotspotMember(hotspot=spot, case_id=p.case_id) for p in group])
        made.append(spot)
    return made


def _reporter_key(f: dict[str, Any]) -> str:
    """One key per reporter; anonymous and hotline reports count once each."""
    if f["reporter_user_id"]:
        return f"u{f['reporter_user_id']}"
    if f["reporter_id"]:
        return f"p{f['reporter_id']}"
    return f"c{f['pk']}"


class _Place:
    """A case's placement columns as attributes (for ``routing.best_rule``)."""

    def __init__(self, values: dict[str, Any]) -> None:
        for lvl in routing.CASE_LEVELS:
            setattr(self, f"{lvl}_id", values.get(f"{lvl}_id"))


def _common_node(rows: list[dict[str, Any]]) -> int:
    """The lowest territory node every case lies under (grid … city)."""
    for lvl in routing.CASE_LEVELS:
        values = {r[f"{lvl}_id"] for r in rows}
        if len(values) == 1 and None not in values:
            return int(values.pop())
    raise ValidationError("热点诉求不在同一城市内")
