"""Every write to the territory tree."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.access import ensure_in_scope
from dangjian.core.models import PLACEMENT_LEVELS
from dangjian.territory import codes, geo
from dangjian.territory.choices import PARENT_LEVEL, GridType, Level
from dangjian.territory.models import MicroGrid, Node


def _apply_boundary(node: Node, boundary: dict | None) -> None:
    if boundary is None:
        node.boundary = None
        node.min_lng = node.min_lat = node.max_lng = node.max_lat = None
        return
    try:
        geom = geo.parse_boundary(boundary)
    except geo.BoundaryError as exc:
        raise ValidationError({"boundary": str(exc)}) from exc
    if boundary.get("type") == "Feature":
        boundary = boundary["geometry"]
    node.boundary = boundary
    node.min_lng, node.min_lat, node.max_lng, node.max_lat = geom.bounds
    c = geom.representative_point()
    node.lng, node.lat = round(c.x, 6), round(c.y, 6)


@transaction.atomic
def create_node(
    *,
    parent: Node | None,
    level: str,
    name: str,
    code: str | None = None,
    grid_type: str = "",
    boundary: dict | None = None,
    households: int = 0,
    lng: float | None = None,
    lat: float | None = None,
    acting_user: Any,
) -> Node:
    """Add a node. ``code`` is allocated when omitted (cities and counties must give theirs)."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors.setdefault("name", []).append("名称不能为空")
    if level not in Level.values:
        raise ValidationError({"level": f"未知层级 {level}"})
    expected_parent = PARENT_LEVEL.get(level)
    if expected_parent is None and parent is not None:
        errors.setdefault("parent", []).append("市级节点不能有上级")
    if expected_parent is not None and (parent is None or parent.level != expected_parent):
        errors.setdefault("parent", []).append(
            f"{Level(level).label}的上级必须是{Level(expected_parent).label}"
        )
    if parent is not None and parent.is_retired:
        errors.setdefault("parent", []).append("上级已撤销")
    if errors:
        raise ValidationError(errors)
    if parent is not None:
        parent = Node.objects.select_for_update().get(pk=parent.pk)  # serialise code allocation
        ensure_in_scope(acting_user, "add", parent)
    if level == Level.GRID and not grid_type:
        grid_type = GridType.GENERAL
    if not code:
        if parent is None or level == Level.COUNTY:
            raise ValidationError({"code": "市、县级节点须填写 GB/T 2260 行政区划代码"})
        used = list(Node.objects.filter(parent=parent).values_list("code", flat=True))
        code = codes.next_code(parent.code, level, used)
    code_errors = codes.check_code(level, code, parent.code if parent else None)
    if Node.objects.filter(code=code).exists():
        code_errors.append(f"编码 {code} 已被使用（编码永不复用）")
    if code_errors:
        raise ValidationError({"code": code_errors})
    node = Node(
        level=level,
        name=name,
        code=code,
        parent=parent,
        grid_type=grid_type,
        households=households,
        lng=lng,
        lat=lat,
    )
    node.place(parent)
    node.depth = parent.depth + 1 if parent else 0
    node.path = "/"
    if level == Level.GRID or boundary is not None:
        _apply_boundary(node, boundary)
    node.save()
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    update = ["path"]
    if level in PLACEMENT_LEVELS:
        setattr(node, f"{level}_id", node.pk)
        update.append(f"{level}_id")
    node.save(update_fields=update)
    audit.record(acting_user, "territory.create", node)
    if level == Level.GRID:
        transaction.on_commit(geo.invalidate)
    return node


@transaction.atomic
def update_node(node: Node, *, acting_user: Any, **changes: Any) -> Node:
    """Rename, change type, households or boundary. Codes and parents never change here."""
    node = Node.objects.select_for_update().get(pk=node.pk)
    ensure_in_scope(acting_user, "change", node)
    before = audit.snapshot(node)
    allowed = {"name", "grid_type", "households", "note", "lng", "lat", "boundary"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"不可修改的字段：{', '.join(sorted(unknown))}")
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError({"name": "名称不能为空"})
    for key, value in changes.items():
        if key == "boundary":
            _apply_boundary(node, value)
        else:
            setattr(node, key, value)
    node.save()
    audit.record(acting_user, "territory.update", node, before=before)
    if "boundary" in changes:
        transaction.on_commit(geo.invalidate)
    return node


@transaction.atomic
def retire_node(node: Node, *, acting_user: Any) -> Node:
    """Retire a node (its code stays reserved forever). Only leaves or retired subtrees."""
    node = Node.objects.select_for_update().get(pk=node.pk)
    ensure_in_scope(acting_user, "delete", node)
    if node.children.filter(retired_at__isnull=True).exists():
        raise ValidationError("请先撤销其下级节点")
    before = audit.snapshot(node)
    node.retired_at = timezone.now()
    node.save(update_fields=["retired_at", "updated_at"])
    audit.record(acting_user, "territory.retire", node, before=before)
    transaction.on_commit(geo.invalidate)
    return node


@transaction.atomic
def create_micro_grid(
    *,
    kind: str,
    name: str,
    area: Node,
    organization: Any = None,
    member: Any = None,
    households: int = 0,
    acting_user: Any,
) -> MicroGrid:
    ensure_in_scope(acting_user, "add", area)
    from dangjian.territory.choices import MicroGridKind

    if kind == MicroGridKind.MEMBER_ZONE and member is None:
        raise ValidationError({"member": "党员责任区须指定责任党员"})
    if kind != MicroGridKind.MEMBER_ZONE and organization is None:
        raise ValidationError({"organization": "须指定对应的党组织"})
    mg = MicroGrid(
        kind=kind, name=name, area=area, organization=organization, member=member, households=households
    )
    mg.place(area)
    mg.save()
    audit.record(acting_user, "territory.micro_grid", mg)
    return mg
