"""街长制: writes to a street's task list (事项清单) of the six stationed departments.

Only the street's own officers and chief (or a platform administrator) edit the list;
``acting_user=None`` is the system (the ``seed_street_tasks`` command).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from dangjian.appeals.access import STREET_ROLES
from dangjian.appeals.choices import StreetArea
from dangjian.appeals.models import StreetTaskItem
from dangjian.core import audit
from dangjian.core.access import ScopeError
from dangjian.territory.models import Node
from dangjian.units.models import Unit

# The six stationed departments, matched by name within the street's county.
STATIONED = ("公安", "交警", "消防", "市场监管", "城管", "环卫")
_NAME_MATCH: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # short name: (any of these in the unit's name, none of these)
    "公安": (("公安", "派出所"), ("交警", "交通警察", "交通管理", "消防")),
    "交警": (("交警", "交通警察", "交通管理"), ()),
    "消防": (("消防",), ()),
    "市场监管": (("市场监管", "市场监督"), ()),
    "城管": (("城管", "城市管理", "综合执法"), ()),
    "环卫": (("环卫", "环境卫生"), ()),
}

A = StreetArea
DEFAULT_ITEMS: list[tuple[str, str, tuple[str, ...]]] = [
    # 综合执法 (15)
    (A.ENFORCEMENT, "占道经营", ("城管", "市场监管")),
    (A.ENFORCEMENT, "违章搭建", ("城管",)),
    (A.ENFORCEMENT, "乱张贴乱涂写", ("城管", "环卫")),
    (A.ENFORCEMENT, "户外广告招牌设置不规范", ("城管",)),
    (A.ENFORCEMENT, "无证无照经营", ("市场监管", "城管")),
    (A.ENFORCEMENT, "食品安全隐患", ("市场监管",)),
    (A.ENFORCEMENT, "餐饮油烟污染", ("市场监管", "城管")),
    (A.ENFORCEMENT, "建筑垃圾乱倒", ("城管", "环卫")),
    (A.ENFORCEMENT, "渣土车抛洒滴漏", ("城管", "交警")),
    (A.ENFORCEMENT, "违规饲养家禽家畜", ("城管", "环卫")),
    (A.ENFORCEMENT, "露天焚烧垃圾", ("城管", "环卫", "消防")),
    (A.ENFORCEMENT, "损坏市政设施", ("城管", "公安")),
    (A.ENFORCEMENT, "价格欺诈与缺斤短两", ("市场监管",)),
    (A.ENFORCEMENT, "非法营运（黑车、摩的）", ("交警", "公安")),
    (A.ENFORCEMENT, "沿街店铺门前三包不落实", ("城管", "环卫", "市场监管")),
    # 应急处理 (13)
    (A.EMERGENCY, "火灾隐患", ("消防",)),
    (A.EMERGENCY, "燃气泄漏", ("消防", "市场监管", "公安")),
    (A.EMERGENCY, "内涝积水", ("城管", "环卫", "交警")),
    (A.EMERGENCY, "消防通道堵塞", ("消防", "交警", "城管")),
    (A.EMERGENCY, "电动车楼道充电", ("消防", "公安")),
    (A.EMERGENCY, "高空坠物隐患", ("城管", "公安", "消防")),
    (A.EMERGENCY, "危险化学品违规存放", ("消防", "公安", "市场监管")),
    (A.EMERGENCY, "道路塌陷与井盖缺失", ("城管", "交警")),
    (A.EMERGENCY, "台风暴雨后倒伏树木清理", ("城管", "环卫", "交警")),
    (A.EMERGENCY, "交通事故现场处置", ("交警", "公安", "消防")),
    (A.EMERGENCY, "突发公共卫生事件环境消杀", ("环卫", "市场监管")),
    (A.EMERGENCY, "群体性聚集事件", ("公安", "交警")),
    (A.EMERGENCY, "人员被困与电梯困人", ("消防", "市场监管")),
    # 秩序维护 (12)
    (A.ORDER, "交通拥堵疏导", ("交警",)),
    (A.ORDER, "乱停乱放", ("交警", "城管")),
    (A.ORDER, "噪音扰民", ("公安", "城管")),
    (A.ORDER, "校园周边秩序", ("公安", "交警", "市场监管")),
    (A.ORDER, "农贸市场周边秩序", ("市场监管", "城管", "交警")),
    (A.ORDER, "夜市摊点管理", ("城管", "市场监管", "环卫")),
    (A.ORDER, "生活垃圾清运不及时", ("环卫",)),
    (A.ORDER, "公共厕所保洁", ("环卫",)),
    (A.ORDER, "治安巡逻防控", ("公安",)),
    (A.ORDER, "共享单车无序停放", ("交警", "城管")),
    (A.ORDER, "大型活动安保与秩序", ("公安", "交警", "消防")),
    (A.ORDER, "邻里纠纷现场调处", ("公安",)),
]
assert len(DEFAULT_ITEMS) == 40


def may_edit(user: Any, street: Node) -> bool:
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(a.role in STREET_ROLES and a.node_id == street.pk for a in user.active_assignments())


def _ensure(user: Any, street: Node) -> None:
    if street.level != "street":
        raise ValidationError({"street": "任务清单只能配置在街道(镇)"})
    if not may_edit(user, street):
        raise ScopeError("只有本街道的街长或街道干部可以维护任务清单")


def street_departments(street: Node) -> list[Unit]:
    """Departments the street may name on its list: those of its county (or city)."""
    around = Q(county_id=street.county_id) if street.county_id else Q(city_id=street.city_id)
    return list(Unit.objects.filter(around, kind="department").order_by("name"))


def _check_departments(street: Node, departments: Iterable[Unit]) -> list[Unit]:
    allowed = {u.pk for u in street_departments(street)}
    chosen = list(departments)
    if any(u.pk not in allowed for u in chosen):
        raise ValidationError({"departments": "只能选择本县(市、区)的职能部门"})
    return chosen


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写事项名称"})
    if len(name) > 120:
        raise ValidationError({"name": "事项名称不超过 120 字"})
    return name


def _check_area(area: str) -> None:
    if area not in StreetArea.values:
        raise ValidationError({"area": "领域无效"})


def _snapshot(item: StreetTaskItem) -> dict[str, Any]:
    data = audit.snapshot(item) or {}
    data["departments"] = sorted(item.departments.values_list("pk", flat=True))
    return data


@transaction.atomic
def create_street_task(
    *, street: Node, area: str, name: str, departments: Iterable[Unit] = (), acting_user: Any
) -> StreetTaskItem:
    _ensure(acting_user, street)
    _check_area(area)
    name = _clean_name(name)
    units = _check_departments(street, departments)
    if StreetTaskItem.objects.filter(street=street, area=area, name=name).exists():
        raise ValidationError({"name": "该领域已有同名事项"})
    last = StreetTaskItem.objects.filter(street=street, area=area).aggregate(m=Max("sort"))["m"]
    item = StreetTaskItem.objects.create(street=street, area=area, name=name, sort=(last or 0) + 1)
    item.departments.set(units)
    audit.record(acting_user, "appeals.street_task.create", item, after=_snapshot(item))
    return item


@transaction.atomic
def update_street_task(
    item: StreetTaskItem, *, area: str, name: str, departments: Iterable[Unit], acting_user: Any
) -> StreetTaskItem:
    item = StreetTaskItem.objects.select_for_update().select_related("street").get(pk=item.pk)
    _ensure(acting_user, item.street)
    _check_area(area)
    name = _clean_name(name)
    units = _check_departments(item.street, departments)
    if StreetTaskItem.objects.filter(street=item.street, area=area, name=name).exclude(pk=item.pk).exists():
        raise ValidationError({"name": "该领域已有同名事项"})
    before = _snapshot(item)
    if area != item.area:
        last = StreetTaskItem.objects.filter(street=item.street, area=area).aggregate(m=Max("sort"))["m"]
        item.sort = (last or 0) + 1
    item.area, item.name = area, name
    item.save(update_fields=["area", "name", "sort"])
    item.departments.set(units)
    audit.record(acting_user, "appeals.street_task.update", item, before=before, after=_snapshot(item))
    return item


@transaction.atomic
def delete_street_task(item: StreetTaskItem, *, acting_user: Any) -> None:
    item = StreetTaskItem.objects.select_for_update().select_related("street").get(pk=item.pk)
    _ensure(acting_user, item.street)
    before = _snapshot(item)
    audit.record(acting_user, "appeals.street_task.delete", item, before=before, after=None)
    item.delete()


@transaction.atomic
def move_street_task(item: StreetTaskItem, *, up: bool, acting_user: Any) -> StreetTaskItem:
    """Swap the item with its neighbour within its area (reorder)."""
    item = StreetTaskItem.objects.select_for_update().select_related("street").get(pk=item.pk)
    _ensure(acting_user, item.street)
    siblings = list(StreetTaskItem.objects.select_for_update().filter(street=item.street, area=item.area))
    i = next(n for n, s in enumerate(siblings) if s.pk == item.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(siblings):
        return item
    siblings[i], siblings[j] = siblings[j], siblings[i]
    for n, s in enumerate(siblings, start=1):  # renumber: repairs equal sort values too
        if s.sort != n:
            StreetTaskItem.objects.filter(pk=s.pk).update(sort=n)
    item.refresh_from_db()
    audit.record(acting_user, "appeals.street_task.move", item)
    return item


@dataclass(frozen=True)
class Seeded:
    created: int
    existing: int
    missing_departments: list[str]


def match_departments(units: list[Unit]) -> dict[str, list[Unit]]:
    """The six stationed departments by short name → the county's units carrying that name."""
    out: dict[str, list[Unit]] = {}
    for short, (anyof, noneof) in _NAME_MATCH.items():
        out[short] = [
            u for u in units if any(w in u.name for w in anyof) and not any(w in u.name for w in noneof)
        ]
    return out


@transaction.atomic
def seed_street_tasks(*, street: Node, acting_user: Any) -> Seeded:
    """Load the default 40-item list into ``street``; items already there are left alone."""
    _ensure(acting_user, street)
    by_short = match_departments(street_departments(street))
    created = existing = 0
    sorts: dict[str, int] = {}
    for area, name, shorts in DEFAULT_ITEMS:
        sorts[area] = sorts.get(area, 0) + 1
        item, made = StreetTaskItem.objects.get_or_create(
            street=street, area=area, name=name, defaults={"sort": sorts[area]}
        )
        if not made:
            existing += 1
            continue
        created += 1
        item.departments.set([u for s in shorts for u in by_short[s]])
        audit.record(acting_user, "appeals.street_task.create", item, after=_snapshot(item))
    missing = [s for s in STATIONED if not by_short[s]]
    return Seeded(created=created, existing=existing, missing_departments=missing)
