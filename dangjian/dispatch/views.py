"""Staff pages of the smart dispatch: the case panel's actions (采用建议, 改派, 合并重复件),
the routing table, the hotspots.

The panel itself is rendered on the appeals case page by ``{% dispatch_panel case %}``
(templatetags/dispatch_panel.py); its forms post here and come back to the case page with
the outcome as a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangjian.appeals import selectors as appeals_selectors
from dangjian.appeals import workflow
from dangjian.appeals.models import Category
from dangjian.core import bounds
from dangjian.core.access import ScopeError, access_object
from dangjian.core.pages import page
from dangjian.dispatch import actions, hotspots, selectors
from dangjian.dispatch.models import DispatchDecision, RoutingRule, RoutingTier
from dangjian.territory.models import Node
from dangjian.units.models import Unit

FAILURES = (ValidationError, workflow.TransitionError, ScopeError)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(dict.fromkeys(exc.messages))
    return str(exc)


def _decision(request: HttpRequest, pk: int) -> tuple[Any, DispatchDecision]:
    case = appeals_selectors.case_for(request.user, pk)
    raw = request.POST.get("decision", "")
    decision = DispatchDecision.objects.filter(pk=raw, case=case).first() if bounds.is_id(raw) else None
    if decision is None:
        raise Http404("分派建议不存在")
    return case, decision


def _back(case_pk: int) -> HttpResponse:
    return redirect(reverse("appeals:case", args=[case_pk]) + "#dispatch-panel")


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    case, decision = _decision(request, pk)
    try:
        actions.apply_decision(decision, acting_user=request.user)
    except FAILURES as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已采用智能分派建议，诉求已派遣")
    return _back(case.pk)


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    case, decision = _decision(request, pk)
    try:
        raw_cat = request.POST.get("category", "")
        category = Category.objects.filter(pk=raw_cat, active=True).first() if bounds.is_id(raw_cat) else None
        if raw_cat and category is None:
            raise ValidationError("分类不存在")
        target = request.POST.get("target", "")
        if not target:
            raise ValidationError("请选择派遣对象")
        try:
            node, unit = selectors.parse_target(case, target)
        except Http404 as exc:
            raise ValidationError("派遣对象不在可选范围内") from exc
        actions.override_decision(
            decision,
            category=category,
            node=node,
            department=unit,
            note=request.POST.get("note", "")[:500],
            acting_user=request.user,
        )
    except FAILURES as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已按您的选择派遣，改派已记录")
    return _back(case.pk)


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    case = appeals_selectors.case_for(request.user, pk)
    raw = request.POST.get("other", "")
    other = (
        appeals_selectors.visible_cases(request.user).filter(pk=raw).first() if bounds.is_id(raw) else None
    )
    if other is None or other.pk == case.pk:
        raise Http404("未找到或无权访问")
    try:
        merged = actions.merge_duplicate(case, other=other, acting_user=request.user)
    except FAILURES as exc:
        messages.error(request, _error_text(exc))
    else:
        into = other if merged.pk == case.pk else case
        messages.success(request, f"已将 {merged.number} 并入 {into.number}")
    return _back(case.pk)


# --- the routing table ---------------------------------------------------------------------------


def _int_or_none(raw: str, label: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    pk = bounds.parse_id(raw)
    if pk is None:
        raise ValidationError(f"{label}须为整数")
    return pk


def _rule_input(request: HttpRequest, nodes: list[Node], departments: list[Unit]) -> dict[str, Any]:
    p = request.POST
    raw_cat = p.get("category", "")
    category = Category.objects.filter(pk=raw_cat).first() if bounds.is_id(raw_cat) else None
    if raw_cat and category is None:
        raise ValidationError("分类不存在")
    raw_dept = p.get("department", "")
    department = next((u for u in departments if str(u.pk) == raw_dept), None)
    if raw_dept and department is None:
        raise ValidationError("承办部门不在可选范围内")
    return {
        "category": category,
        "tier": p.get("tier", ""),
        "department": department,
        "response_hours": _int_or_none(p.get("response_hours", ""), "签收时限"),
        "resolve_days": _int_or_none(p.get("resolve_days", ""), "办结时限"),
        "note": p.get("note", "")[:200],
    }


@page("dispatch:rules")
def rules(request: HttpRequest) -> HttpResponse:
    user = request.user
    nodes = selectors.rule_nodes(user)
    departments = selectors.rule_departments(user)
    error = ""
    editing = None
    if bounds.is_id(request.GET.get("edit", "")):
        editing = access_object(RoutingRule, user, "change", pk=request.GET["edit"])
    if request.method == "POST":
        op = request.POST.get("op", "save")
        try:
            if op == "delete":
                rule = access_object(RoutingRule, user, "change", pk=request.POST.get("rule", "0") or "0")
                actions.delete_rule(rule, acting_user=user)
                messages.success(request, "已删除规则")
            else:
                data = _rule_input(request, nodes, departments)
                if request.POST.get("rule"):
                    rule = access_object(RoutingRule, user, "change", pk=request.POST["rule"])
                    actions.update_rule(
                        rule, active=request.POST.get("active") == "1", acting_user=user, **data
                    )
                    messages.success(request, "已保存规则")
                else:
                    raw_node = request.POST.get("node", "")
                    node = next((n for n in nodes if str(n.pk) == raw_node), None)
                    if node is None:
                        raise ValidationError("请选择适用区域")
                    actions.create_rule(node=node, acting_user=user, **data)
                    messages.success(request, "已新增规则")
        except FAILURES as exc:
            error = _error_text(exc)
        else:
            return redirect("dispatch:rules")
    ctx = {
        "rules": selectors.rules_for(user),
        "nodes": nodes,
        "departments": departments,
        "categories": selectors.rule_categories(),
        "tiers": RoutingTier.choices,
        "editing": editing,
        "error": error,
        "posted": request.POST if error else {},
    }
    return render(request, "dispatch/rules.html", ctx, status=400 if error else 200)


# --- hotspots -------------------------------------------------------------------------------------


@page("dispatch:hotspots")
def hotspot_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        selectors.require_rule_admin(user)
        spots = actions.recompute_hotspots(days=hotspots.DEFAULT_DAYS, acting_user=user)
        messages.success(request, f"已重新计算，共 {len(spots)} 个热点问题")
        return redirect("dispatch:hotspots")
    spots = list(selectors.hotspots_for(user)[:100])
    points = [
        {
            "name": s.title,
            "value": [s.lng, s.lat, s.heat],
            "cases": s.cases,
            "whistle": s.suggests_whistle,
        }
        for s in spots
    ]
    street_ids = {s.street_id for s in spots if s.street_id}
    grids = Node.objects.filter(level="grid", street_id__in=street_ids, boundary__isnull=False).only(
        "name", "boundary"
    )[:400]
    map_data = {
        "points": points,
        "grids": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": g.name}, "geometry": g.boundary} for g in grids
            ],
        },
    }
    return render(
        request,
        "dispatch/hotspots.html",
        {
            "spots": spots,
            "map_data": map_data,
            "computed_at": spots[0].computed_at if spots else None,
            "can_recompute": selectors.is_rule_admin(user),
            "H": {
                "days": hotspots.DEFAULT_DAYS,
                "radius": int(hotspots.LINK_RADIUS_M),
                "min_cases": hotspots.MIN_CASES,
                "half_life": hotspots.RECENCY_HALF_LIFE_DAYS,
                "whistle_heat": int(hotspots.WHISTLE_HEAT),
                "whistle_departments": hotspots.WHISTLE_DEPARTMENTS,
            },
        },
    )
