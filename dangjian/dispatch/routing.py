"""The routing table look-up: category × territory → responsible tier and department.

Precedence (documented on the rules page too):

1. the most specific **category** wins — a rule for the third-level category beats one for
   its second level, which beats one for the top level, which beats a rule for every
   category (category empty);
2. among those, the most specific **territory** wins — a rule at the case's grid beats its
   community, street, county, and the city-wide default.

The target node is the case's own ancestor at the rule's tier (the grid located from the
point, its community, its street); a county-tier rule goes to its department.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from dangjian.dispatch.models import RoutingRule, RoutingTier

CASE_LEVELS = ("grid", "community", "street", "county", "city")  # most specific first


def category_codes(code: str) -> list[str]:
    """ "03.12.04" → ["03.12.04", "03.12", "03"] (most specific first)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


@dataclass
class Route:
    rule: RoutingRule | None
    tier: str = ""
    node: Any = None
    department: Any = None
    reasons: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.node is not None or self.department is not None


def candidate_rules(category: Any, place: Any) -> list[RoutingRule]:
    """Active rules that apply to ``category`` at ``place`` (a case or any placed record)."""
    node_ids = [getattr(place, f"{lvl}_id", None) for lvl in CASE_LEVELS]
    node_ids = [n for n in node_ids if n]
    codes = category_codes(category.code) if category is not None else []
    cat_q = Q(category__isnull=True)
    if codes:
        cat_q |= Q(category__code__in=codes)
    return list(
        RoutingRule.objects.filter(cat_q, active=True, node_id__in=node_ids).select_related(
            "category", "node", "department"
        )
    )


def best_rule(category: Any, place: Any) -> RoutingRule | None:
    rules = candidate_rules(category, place)
    if not rules:
        return None
    codes = category_codes(category.code) if category is not None else []

    def specificity(rule: RoutingRule) -> tuple[int, int]:
        cat_rank = len(codes) - codes.index(rule.category.code) if rule.category_id and rule.category else 0
        return cat_rank, rule.node.depth

    return max(rules, key=lambda r: (*specificity(r), r.pk))


def _node_at(place: Any, tier: str) -> Any:
    from dangjian.territory.models import Node

    node_id = getattr(place, f"{tier}_id", None)
    return Node.objects.filter(pk=node_id).first() if node_id else None


def resolve(category: Any, place: Any) -> Route:
    """Where a case of ``category`` at ``place`` goes, with the reasons in Chinese."""
    rule = best_rule(category, place)
    if rule is None:
        return Route(None, reasons=["分派规则表中没有适用于该分类和区域的规则，请人工分派"])
    what = rule.category.name if rule.category_id and rule.category else "全部分类"
    reasons = [f"命中分派规则：{rule.node.name} · {what} → {rule.get_tier_display()}"]
    route = Route(rule, tier=rule.tier, department=rule.department, reasons=reasons)
    if rule.tier == RoutingTier.COUNTY:
        if rule.department is None:
            reasons.append("规则指向县级但未指定承办部门，请人工分派")
        else:
            reasons.append(f"由职能部门承办：{rule.department.name}")
        return route
    node = _node_at(place, rule.tier)
    if node is None and rule.tier == RoutingTier.GRID:
        # Not located to a grid: the lowest level the case does have.
        for lvl in ("community", "street"):
            node = _node_at(place, lvl)
            if node is not None:
                route.tier = lvl
                reasons.append(f"诉求未定位到网格，改由{RoutingTier(lvl).label}办理")
                break
    if node is None:
        reasons.append(f"诉求不在任何{RoutingTier(rule.tier).label}范围内，请人工分派")
        return route
    route.node = node
    label = (
        "按坐标定位的网格" if route.tier == RoutingTier.GRID else f"诉求所在{RoutingTier(route.tier).label}"
    )
    reasons.append(f"{label}：{node.name}")
    if rule.department is not None:
        reasons.append(f"承办部门：{rule.department.name}")
    return route
