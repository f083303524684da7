"""Every write to service positions."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.access import ensure_in_scope
from dangjian.venues.choices import FUNCTIONS, CenterLevel, PositionKind
from dangjian.venues.models import ServicePosition

# Which territory level each centre level stands at.
CENTER_NODE_LEVEL = {
    "city": "city",
    "county": "county",
    "street": "street",
    "community": "community",
    "compound": ("compound", "grid"),
}


def validate_position_fields(
    *, name: str, kind: str, level: str, floor_area: Any, functions: list[str], node_level: str | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "阵地名称不能为空"
    if kind not in PositionKind.values:
        errors["kind"] = "类型不正确，可选：" + "、".join(PositionKind.labels)
    if level and level not in CenterLevel.values:
        errors["level"] = "层级不正确，可选：" + "、".join(CenterLevel.labels)
    if kind == PositionKind.CENTER and not level:
        errors["level"] = "党群服务中心须注明层级"
    try:
        area = Decimal(str(floor_area))
        if area <= 0:
            errors["floor_area"] = "面积必须大于 0"
    except (InvalidOperation, ValueError):
        errors["floor_area"] = "面积应为数字（平方米）"
    unknown = [f for f in functions if f not in FUNCTIONS]
    if unknown:
        errors["functions"] = "未知功能室：" + "、".join(unknown)
    if level and node_level and level in CENTER_NODE_LEVEL:
        want = CENTER_NODE_LEVEL[level]
        if node_level not in (want if isinstance(want, tuple) else (want,)):
            errors["node"] = f"{CenterLevel(level).label}应设在对应层级的区域"
    return errors


@transaction.atomic
def create_position(
    *,
    name: str,
    node: Any,
    floor_area: Any,
    kind: str = PositionKind.CENTER,
    level: str = "",
    unit: Any = None,
    functions: list[str] | None = None,
    opening_hours: str = "",
    open_to_public: bool = True,
    address: str = "",
    acting_user: Any,
) -> ServicePosition:
    functions = functions or []
    errors = validate_position_fields(
        name=name,
        kind=kind,
        level=level,
        floor_area=floor_area,
        functions=functions,
        node_level=node.level if node else None,
    )
    if kind == PositionKind.UNIT_VENUE and unit is None:
        errors["unit"] = "单位开放场所须注明所属单位"
    if errors:
        raise ValidationError(errors)
    ensure_in_scope(acting_user, "add", node)
    pos = ServicePosition(
        name=name.strip(),
        kind=kind,
        level=level,
        node=node,
        unit=unit,
        floor_area=Decimal(str(floor_area)),
        functions=functions,
        opening_hours=opening_hours,
        open_to_public=open_to_public,
        address=address,
        lng=node.lng,
        lat=node.lat,
    )
    pos.place(node)
    pos.save()
    audit.record(acting_user, "venues.position.create", pos)
    return pos
