"""Demo smart dispatch for 北流市: the routing table, case signatures, decisions for the
cases still awaiting dispatch, and the hotspots of the last 30 days.

The rules mirror how the demo history was handled (``demo/appeals.py`` TOPICS): city
management matters go to the street with 城管 or 环卫, traffic to 交警, public order to
公安, fire safety to 消防, food and prices to 市场监管, neighbour disputes and property
services stay in the grid (小事一格解决), unpaid wages go to the street; everything else
defaults to the grid. All through ``dispatch.actions`` as the system (no acting user).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dangjian.appeals.models import Case, Category
from dangjian.dispatch import actions
from dangjian.territory.models import Node
from dangjian.units.models import Unit

# (category path, tier, department short name or "")
RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    ((), "grid", ""),  # the county-wide default: 小事一格解决
    (("城乡建设", "城市建设和市政管理"), "street", "城管"),
    (("城乡建设", "城市建设和市政管理", "环境卫生"), "street", "环卫"),
    (("城乡建设", "城市建设和市政管理", "园林绿化"), "grid", ""),
    (("城乡建设", "城市建设和市政管理", "自来水供应"), "grid", ""),
    (("城乡建设", "住房保障与房地产"), "grid", ""),
    (("环境保护",), "street", "城管"),
    (("交通运输",), "street", "城管"),
    (("政法", "交通管理"), "county", "交警"),
    (("政法", "社会治安"), "county", "公安"),
    (("政法", "社会治安", "消防安全"), "county", "消防"),
    (("政法", "仲裁与调解"), "grid", ""),
    (("卫生计生", "食品药品监管"), "county", "市场监管"),
    (("商贸旅游", "市场监管"), "county", "市场监管"),
    (("劳动和社会保障",), "street", ""),
)
DEPARTMENTS = {
    "公安": "北流市公安局",
    "交警": "北流市公安局交通管理大队",
    "消防": "北流市消防救援大队",
    "市场监管": "北流市市场监督管理局",
    "城管": "北流市城市管理局",
    "环卫": "北流市环境卫生管理站",
}


def _category(path: tuple[str, ...]) -> Category | None:
    parent = None
    for name in path:
        parent = Category.objects.filter(parent=parent, name=name).first()
        if parent is None:
            return None
    return parent


def decide_waiting(county: Node) -> int:
    """A dispatch proposal for each case of ``county`` awaiting dispatch that has none yet."""
    from dangjian.dispatch.models import DispatchDecision

    waiting = (
        Case.objects.filter(county=county, status__in=actions.DISPATCHABLE)
        .exclude(pk__in=DispatchDecision.objects.values("case_id"))
        .order_by("id")
    )
    decided = 0
    for case in waiting:
        actions.decide_case(case, acting_user=None)
        decided += 1
    return decided


def build(county: Node, *, decide: bool = True, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """``decide=False`` leaves the proposals to :func:`decide_waiting` (after the classifier)."""
    say = log or (lambda _m: None)
    started = time.perf_counter()
    rules = 0
    for path, tier, dept in RULES:
        category = _category(path) if path else None
        if path and category is None:
            continue
        unit = Unit.objects.filter(name=DEPARTMENTS[dept], kind="department").first() if dept else None
        if dept and unit is None:
            continue
        actions.create_rule(node=county, category=category, tier=tier, department=unit, acting_user=None)
        rules += 1
    cases = Case.objects.filter(county=county)
    signed = sum(actions.store_signature(c) is not None for c in cases.iterator(chunk_size=500))
    decided = decide_waiting(county) if decide else 0
    spots = actions.recompute_hotspots(days=30)
    result = {"rules": rules, "signatures": signed, "decisions": decided, "hotspots": len(spots)}
    say(
        f"  分类派遣：分派规则 {rules} 条，诉求签名 {signed} 件，待派遣建议 {decided} 条，"
        f"热点问题 {len(spots)} 个，用时 {time.perf_counter() - started:.1f} 秒"
    )
    return result
