"""Venues API (服务阵地): list, detail with the area-standard check, create."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.accounts.api import auth_user
from dangjian.core.access import access_object, can
from dangjian.core.bounds import Amount, Id, PageNumberPagination
from dangjian.territory.api import NodeRef, filter_under, under_node
from dangjian.territory.models import Node
from dangjian.units.models import Unit
from dangjian.venues import actions
from dangjian.venues.models import ServicePosition

router = Router(tags=["服务阵地"])
PAGE_SIZE = 50


class AreaCheckOut(Schema):
    applies: bool = Field(..., description="是否适用面积标准（社区、小区党群服务中心）")
    compliant: bool = Field(..., description="是否达标")
    required: Decimal | None = Field(None, description="标准要求面积（m²）")
    rule: str = Field(..., description="适用的标准")
    label: str = Field(..., description="达标 / 未达标 / 不适用")


class UnitRef(Schema):
    id: int = Field(..., description="单位编号")
    name: str = Field(..., description="单位名称")


class PositionOut(Schema):
    id: int = Field(..., description="阵地编号")
    name: str = Field(..., description="阵地名称")
    kind: str = Field(
        ...,
        description="类型：center 党群服务中心、shared 共享活动场所、unit_venue 单位开放场所、station 红色驿站",
    )
    kind_label: str = Field(..., description="类型名称")
    level: str = Field("", description="层级：city、county、street、community、compound")
    level_label: str = Field("", description="层级名称")
    node: NodeRef = Field(..., description="所在区域")
    unit: UnitRef | None = Field(None, description="所属单位")
    floor_area: Amount = Field(..., description="面积（m²）")
    functions: list[str] = Field(..., description="功能室")
    opening_hours: str = Field("", description="开放时间")
    open_to_public: bool = Field(..., description="向群众开放")
    address: str = Field("", description="地址")
    lng: float | None = Field(None, description="经度（GCJ-02）")
    lat: float | None = Field(None, description="纬度（GCJ-02）")
    area_check: AreaCheckOut = Field(..., description="面积标准核查")

    @staticmethod
    def resolve_kind_label(obj: ServicePosition) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_level_label(obj: ServicePosition) -> str:
        return str(obj.get_level_display()) if obj.level else ""

    @staticmethod
    def resolve_area_check(obj: ServicePosition) -> dict[str, Any]:
        check = obj.area_check()
        return {
            "applies": check.applies,
            "compliant": check.compliant,
            "required": check.required,
            "rule": check.rule,
            "label": check.label,
        }


class PositionFilter(Schema):
    kind: str | None = Field(None, description="按类型筛选")
    level: str | None = Field(None, description="按层级筛选")
    under: Id | None = Field(None, description="只看此区域节点下的阵地")
    q: str | None = Field(None, description="名称包含")


class PositionIn(Schema):
    name: str = Field(..., max_length=120, description="阵地名称")
    node: Id = Field(..., description="所在区域节点编号")
    floor_area: Amount = Field(..., description="面积（m²）")
    kind: str = Field("center", description="类型代码")
    level: str = Field("", description="层级（党群服务中心必填）")
    unit: Id | None = Field(None, description="所属单位编号（单位开放场所必填）")
    functions: list[str] = Field(default_factory=list, description="功能室（如“党员活动室”）")
    opening_hours: str = Field("", max_length=120, description="开放时间")
    open_to_public: bool = Field(True, description="向群众开放")
    address: str = Field("", max_length=200, description="地址")


def _positions(request: HttpRequest) -> Any:
    return ServicePosition.objects.restrict(auth_user(request), "view").select_related("node", "unit")


@router.get("", response=list[PositionOut], summary="服务阵地列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_positions(request: HttpRequest, filters: Query[PositionFilter]) -> Any:
    qs = filter_under(_positions(request), under_node(request, filters.under))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.q:
        qs = qs.filter(name__contains=filters.q.strip())
    return qs.order_by("level", "name", "id")


@router.get("/{position_id}", response=PositionOut, summary="服务阵地详情（含面积达标核查）")
def get_position(request: HttpRequest, position_id: int) -> ServicePosition:
    return access_object(_positions(request), auth_user(request), pk=position_id)


@router.post("", response={201: PositionOut}, summary="新建服务阵地")
def create_position(request: HttpRequest, payload: PositionIn) -> Status[ServicePosition]:
    user = auth_user(request)
    node = access_object(Node, user, "view", pk=payload.node)
    if not can(user, "add", node):
        raise HttpError(403, "您的角色无权在此区域新建阵地")
    unit = access_object(Unit, user, "view", pk=payload.unit) if payload.unit is not None else None
    position = actions.create_position(
        name=payload.name,
        node=node,
        floor_area=payload.floor_area,
        kind=payload.kind,
        level=payload.level,
        unit=unit,
        functions=payload.functions,
        opening_hours=payload.opening_hours.strip(),
        open_to_public=payload.open_to_public,
        address=payload.address.strip(),
        acting_user=user,
    )
    return Status(201, access_object(_positions(request), user, pk=position.pk))
