"""Territory API: the node tree, grid boundaries as GeoJSON, point-to-grid look-up, new nodes.

Also the small pieces the other apps' APIs share: :class:`NodeRef` and :func:`under_node`.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.accounts.api import auth_user
from dangjian.core.access import access_object, can
from dangjian.core.bounds import Count, Id, PageNumberPagination
from dangjian.core.models import PLACEMENT_LEVELS
from dangjian.territory import actions, geo, selectors
from dangjian.territory.choices import GridType, Level
from dangjian.territory.models import Node

router = Router(tags=["区域网格"])
PAGE_SIZE = 50


class NodeRef(Schema):
    id: int = Field(..., description="区域节点编号")
    name: str = Field(..., description="名称")
    level: str = Field(..., description="层级")
    code: str = Field(..., description="区域编码")


def under_node(request: HttpRequest, node_id: int | None) -> Node | None:
    """The node a list is narrowed to (``?under=``); 404 when missing or out of scope."""
    if node_id is None:
        return None
    return access_object(Node, auth_user(request), "view", pk=node_id)


def filter_under(qs: QuerySet[Any], node: Node | None, *, node_field: str = "node") -> QuerySet[Any]:
    """Records of a placed queryset lying at or below ``node``."""
    if node is None:
        return qs
    if node.level in PLACEMENT_LEVELS:
        return qs.filter(**{f"{node.level}_id": node.pk})
    return qs.filter(**{f"{node_field}__path__startswith": node.path})


class NodeOut(Schema):
    id: int = Field(..., description="区域节点编号")
    level: str = Field(
        ...,
        description="层级：city 市、county 县(市、区)、street 街道(镇)、community 社区、grid 网格、compound 小区、building 楼栋、household 户",
    )
    level_label: str = Field(..., description="层级名称")
    name: str = Field(..., description="名称")
    code: str = Field(..., description="区域编码（县级 GB/T 2260 6 位，网格 15 位唯一编码）")
    parent_id: int | None = Field(None, description="上级节点编号")
    depth: int = Field(..., description="深度（市为 0）")
    grid_type: str = Field("", description="网格类型（仅网格）")
    grid_type_label: str = Field("", description="网格类型名称")
    households: int = Field(..., description="户数")
    lng: float | None = Field(None, description="中心经度（GCJ-02）")
    lat: float | None = Field(None, description="中心纬度（GCJ-02）")

    @staticmethod
    def resolve_level_label(obj: Node) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_grid_type_label(obj: Node) -> str:
        return str(obj.get_grid_type_display()) if obj.grid_type else ""


class NodeDetailOut(NodeOut):
    full_name: str = Field(..., description="全称（含上级）")
    boundary: dict | None = Field(None, description="边界（GeoJSON Polygon/MultiPolygon，GCJ-02）")
    children_count: int = Field(..., description="下级节点数（未撤销）")

    @staticmethod
    def resolve_full_name(obj: Node) -> str:
        return obj.full_name()


class NodeIn(Schema):
    parent: Id | None = Field(None, description="上级节点编号（市级节点为空，仅平台管理员可建）")
    level: str = Field(..., description="层级")
    name: str = Field(..., max_length=100, description="名称")
    code: str = Field("", description="编码；留空则自动分配（市、县须填写 GB/T 2260 代码）")
    grid_type: str = Field("", description="网格类型（网格默认全科网格）")
    boundary: dict | None = Field(None, description="边界 GeoJSON Polygon/MultiPolygon（GCJ-02，网格应填写）")
    households: Count = Field(0, description="户数")


class NodeFilter(Schema):
    level: str | None = Field(None, description="按层级筛选")
    parent: Id | None = Field(None, description="按上级节点筛选")
    q: str | None = Field(None, description="名称包含或编码前缀")


class LocateOut(Schema):
    grid: NodeOut = Field(..., description="该点所在的网格")
    community: NodeRef | None = Field(None, description="所属社区")
    street: NodeRef | None = Field(None, description="所属街道")


def _detail(node: Node, user: Any) -> Node:
    node.children_count = selectors.children(user, node).count()  # type: ignore[attr-defined]
    return node


@router.get("/nodes", response=list[NodeOut], summary="区域节点列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_nodes(request: HttpRequest, filters: Query[NodeFilter]) -> Any:
    qs = selectors.visible_nodes(auth_user(request))
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return qs.order_by("path").defer("boundary")


@router.get("/nodes/{node_id}", response=NodeDetailOut, summary="区域节点详情")
def get_node(request: HttpRequest, node_id: int) -> Node:
    user = auth_user(request)
    node = access_object(selectors.visible_nodes(user), user, pk=node_id)
    return _detail(node, user)


@router.get("/nodes/{node_id}/children", response=list[NodeOut], summary="下级节点")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def node_children(request: HttpRequest, node_id: int) -> Any:
    user = auth_user(request)
    node = access_object(selectors.visible_nodes(user), user, pk=node_id)
    return selectors.children(user, node).defer("boundary")


@router.get("/grids.geojson", summary="网格边界（GeoJSON）")
def grids_geojson(
    request: HttpRequest, under: int | None = Query(None, description="只取此节点下的网格")
) -> dict[str, Any]:
    """可见网格的边界 FeatureCollection（GCJ-02），供 ECharts 地图使用。"""
    return selectors.grids_geojson(auth_user(request), under_node(request, under))


@router.get("/locate", response=LocateOut, summary="坐标定位网格")
def locate(
    request: HttpRequest,
    lng: float = Query(..., ge=-180, le=180, description="经度（GCJ-02）"),
    lat: float = Query(..., ge=-90, le=90, description="纬度（GCJ-02）"),
) -> dict[str, Any]:
    """返回包含该点的网格；不在任何（您可见的）网格内时 404。"""
    user = auth_user(request)
    grid_id = geo.locate_id(lng, lat)
    grid = (
        selectors.visible_nodes(user).select_related("community", "street").filter(pk=grid_id).first()
        if grid_id is not None
        else None
    )
    if grid is None:
        raise Http404("该位置不在您可见的任何网格内")
    return {"grid": grid, "community": grid.community, "street": grid.street}


@router.post("/nodes", response={201: NodeDetailOut}, summary="新建区域节点")
def create_node(request: HttpRequest, payload: NodeIn) -> Status[Node]:
    user = auth_user(request)
    parent = None
    if payload.parent is None:
        if not user.is_superuser:
            raise HttpError(403, "只有平台管理员可以新建市级节点")
    else:
        parent = access_object(selectors.visible_nodes(user), user, pk=payload.parent)
        if not can(user, "add", parent):
            raise HttpError(403, "您的角色无权在此区域下新建节点")
    if payload.grid_type and payload.grid_type not in GridType.values:
        raise ValidationError({"grid_type": "网格类型不正确，可选：" + "、".join(GridType.labels)})
    if payload.level not in Level.values:
        raise ValidationError({"level": "层级不正确，可选：" + "、".join(Level.labels)})
    node = actions.create_node(
        parent=parent,
        level=payload.level,
        name=payload.name,
        code=payload.code.strip() or None,
        grid_type=payload.grid_type,
        boundary=payload.boundary,
        households=payload.households,
        acting_user=user,
    )
    return Status(201, _detail(node, user))
