"""The territory browser: a lazily loaded tree of the user's part of the territory, a map
of grid polygons drawn with ECharts from GeoJSON, node detail pages and the 定位 tool."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dangjian.core import bounds
from dangjian.core.access import access_object
from dangjian.core.models import PLACEMENT_LEVELS
from dangjian.core.pages import page
from dangjian.party.models import Organization, PartyMember
from dangjian.people.models import GridWorker, Resident
from dangjian.territory import geo, selectors
from dangjian.territory.codes import format_code
from dangjian.territory.models import MicroGrid, Node
from dangjian.units.models import Unit
from dangjian.venues.models import ServicePosition

# Levels whose map shows the grids below them; from the grid down the map shows one grid.
AREA_LEVELS = ("city", "county", "street", "community")


def _visible(user: Any, pk: int) -> Node:
    return access_object(selectors.visible_nodes(user), user, "view", pk=pk)


def _with_child_counts(qs: Any) -> Any:
    return qs.annotate(n_children=Count("children", filter=Q(children__retired_at__isnull=True)))


def _parse_point(lng_raw: str, lat_raw: str) -> tuple[float, float] | str:
    """(lng, lat) or a Chinese error message."""
    try:
        lng, lat = float(lng_raw.strip()), float(lat_raw.strip())
    except (ValueError, AttributeError):
        return "请输入数字形式的经度和纬度"
    if not (math.isfinite(lng) and math.isfinite(lat)):
        return "请输入数字形式的经度和纬度"
    min_lng, min_lat, max_lng, max_lat = geo.CHINA_BOX
    if not (min_lng <= lng <= max_lng and min_lat <= lat <= max_lat):
        return "坐标超出中国范围（GCJ-02 经纬度，经度在前，例如 110.355, 22.705）"
    return lng, lat


def locate_for(user: Any, lng_raw: str, lat_raw: str) -> dict[str, Any]:
    """The 定位 answer as a JSON-ready dict (``error`` set when the input is bad)."""
    point = _parse_point(lng_raw, lat_raw)
    if isinstance(point, str):
        return {"ok": False, "error": point}
    lng, lat = point
    pk = geo.locate_id(lng, lat)
    grid = (
        selectors.visible_nodes(user).select_related("community", "street").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if grid is None:
        # A grid outside the user's scope is reported like no grid at all.
        return {
            "ok": True,
            "found": False,
            "lng": lng,
            "lat": lat,
            "message": "该坐标不在您可查看的任何网格内",
        }
    community = grid.community.name if grid.community else ""
    street = grid.street.name if grid.street else ""
    return {
        "ok": True,
        "found": True,
        "lng": lng,
        "lat": lat,
        "grid": {
            "id": grid.pk,
            "name": grid.name,
            "code": grid.code,
            "code_display": format_code(grid.code),
            "community": community,
            "street": street,
            "url": reverse("territory:node_detail", args=[grid.pk]),
        },
        "message": f"坐标位于 {street}{community}{grid.name}（{format_code(grid.code)}）",
    }


@page("territory:browser")
@require_GET
def browser(request: HttpRequest) -> HttpResponse:
    user = request.user
    roots = selectors.scope_roots(user)
    root_qs = _with_child_counts(Node.objects.filter(pk__in=[r.pk for r in roots])).order_by("code")
    located = None
    if "lng" in request.GET or "lat" in request.GET:
        located = locate_for(user, request.GET.get("lng", ""), request.GET.get("lat", ""))
    return render(
        request,
        "territory/browser.html",
        {
            "roots": list(root_qs),
            "geojson_url": reverse("territory:grids_geojson"),
            "located": located,
            "lng": request.GET.get("lng", ""),
            "lat": request.GET.get("lat", ""),
        },
    )


@login_required
@require_GET
def children(request: HttpRequest, pk: int) -> HttpResponse:
    node = _visible(request.user, pk)
    kids = list(_with_child_counts(selectors.children(request.user, node)))
    return render(request, "territory/_children.html", {"node": node, "nodes": kids})


@login_required
@require_GET
def grids_geojson(request: HttpRequest) -> JsonResponse:
    """Grid polygons for the map: all visible grids, or those of ``?node=<id>``."""
    user = request.user
    node = None
    raw = request.GET.get("node") or request.GET.get("under") or ""
    if raw:
        pk = bounds.parse_id(raw)
        if pk is None:
            return JsonResponse({"error": "区域编号不正确"}, status=400)
        node = _visible(user, pk)
    if node is None or node.level in AREA_LEVELS:
        data = selectors.grids_geojson(user, node)
    else:
        # A grid or anything below it: the one grid it lies in.
        grid_id = node.pk if node.level == "grid" else node.grid_id
        data = selectors.grids_geojson(user, None)
        data["features"] = [f for f in data["features"] if f["id"] == grid_id]
    community_ids = {f["properties"]["community"] for f in data["features"]}
    names = dict(Node.objects.filter(pk__in=community_ids).values_list("pk", "name"))
    for f in data["features"]:
        props = f["properties"]
        props["community_name"] = names.get(props["community"], "")
        props["code_display"] = format_code(props["code"])
        props["url"] = reverse("territory:node_detail", args=[f["id"]])
    return JsonResponse(data)


@login_required
@require_GET
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    node = _visible(user, pk)
    ancestor_ids = [int(i) for i in node.path.strip("/").split("/") if i][:-1]
    breadcrumb = list(selectors.visible_nodes(user).filter(pk__in=ancestor_ids).order_by("depth"))
    kids = list(_with_child_counts(selectors.children(user, node)))
    counts: dict[str, int] | None = None
    if node.level in PLACEMENT_LEVELS:
        under = {f"{node.level}_id": node.pk}
        counts = {
            "residents": Resident.objects.restrict(user, "view").filter(**under).count(),
            "members": PartyMember.objects.restrict(user, "view").filter(**under).count(),
            "grid_workers": GridWorker.objects.restrict(user, "view").filter(active=True, **under).count(),
            "organizations": Organization.objects.restrict(user, "view").filter(**under).count(),
            "units": Unit.objects.restrict(user, "view").filter(**under).count(),
            "positions": ServicePosition.objects.restrict(user, "view").filter(**under).count(),
        }
    micro_grids = []
    if node.level in PLACEMENT_LEVELS:
        micro_grids = list(
            MicroGrid.objects.restrict(user, "view")
            .filter(**{f"{node.level}_id": node.pk})
            .select_related("area", "organization", "member__person")
            .order_by("kind", "name")[:50]
        )
    has_map = node.level in AREA_LEVELS or node.level == "grid" or bool(node.grid_id)
    return render(
        request,
        "territory/node_detail.html",
        {
            "node": node,
            "breadcrumb": breadcrumb,
            "children": kids,
            "micro_grids": micro_grids,
            "counts": counts,
            "count_tiles": [
                ("居民", "people", counts["residents"]),
                ("党员", "person-badge", counts["members"]),
                ("网格员", "person-walking", counts["grid_workers"]),
                ("党组织", "diagram-3", counts["organizations"]),
                ("驻区单位", "buildings", counts["units"]),
                ("服务阵地", "house-heart", counts["positions"]),
            ]
            if counts
            else [],
            "code_display": format_code(node.code),
            "has_map": has_map,
            "geojson_url": reverse("territory:grids_geojson") + f"?node={node.pk}",
        },
    )


@login_required
@require_GET
def locate(request: HttpRequest) -> JsonResponse:
    result = locate_for(request.user, request.GET.get("lng", ""), request.GET.get("lat", ""))
    return JsonResponse(result, status=200 if result["ok"] else 400)
