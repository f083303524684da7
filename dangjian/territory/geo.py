"""Geometry for grids: polygon checks and ``locate(lng, lat)`` → the grid containing a point.

The index is a shapely STRtree over every active grid's polygon, built once per process
and rebuilt when grid boundaries change (a cheap version probe at most every few seconds,
and immediately in the process that made the change). Coordinates are GCJ-02.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.strtree import STRtree

from dangjian.territory.choices import Level

# Sanity box for Chinese coordinates; anything outside is a typo or swapped lng/lat.
CHINA_BOX = (73.0, 3.0, 136.0, 54.0)
RECHECK_SECONDS = 5.0
# A street's or county's extent is the convex hull of its grids plus this margin (~500 m).
EXTENT_MARGIN_DEG = 0.005


class BoundaryError(ValueError):
    pass


def parse_boundary(geojson: dict[str, Any] | None) -> shapely.Geometry:
    """Validate a GeoJSON Polygon/MultiPolygon (or Feature) and return the shapely geometry."""
    if not geojson:
        raise BoundaryError("缺少边界")
    if geojson.get("type") == "Feature":
        geojson = geojson.get("geometry") or {}
    if geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise BoundaryError("边界必须是 GeoJSON Polygon 或 MultiPolygon")
    try:
        geom = shape(geojson)
    except Exception as exc:  # noqa: BLE001 - shapely raises several types for bad input
        raise BoundaryError(f"边界坐标无法解析：{exc}") from exc
    if geom.is_empty or not geom.is_valid:
        raise BoundaryError("边界多边形无效（自相交或点数不足）")
    minx, miny, maxx, maxy = geom.bounds
    if minx < CHINA_BOX[0] or maxx > CHINA_BOX[2] or miny < CHINA_BOX[1] or maxy > CHINA_BOX[3]:
        raise BoundaryError("边界坐标超出中国范围（应为 GCJ-02 经纬度，经度在前）")
    return geom


@dataclass
class _Index:
    version: tuple
    tree: STRtree
    ids: list[int]
    geoms: list[shapely.Geometry]
    checked_at: float
    # Extents (convex hulls of their grids) of each street and county, for points in no grid.
    streets: dict[int, shapely.Geometry]
    counties: dict[int, shapely.Geometry]


_lock = threading.Lock()
_index: _Index | None = None


def _version() -> tuple:
    from django.db.models import Count, Max

    from dangjian.territory.models import Node

    agg = Node.objects.filter(level=Level.GRID).aggregate(n=Count("id"), at=Max("updated_at"))
    return (agg["n"], agg["at"])


def _build(version: tuple) -> _Index:
    from dangjian.territory.models import Node

    ids: list[int] = []
    geoms: list[shapely.Geometry] = []
    by_street: dict[int, list[shapely.Geometry]] = {}
    by_county: dict[int, list[shapely.Geometry]] = {}
    rows = Node.objects.filter(level=Level.GRID, retired_at__isnull=True, boundary__isnull=False).values_list(
        "id", "boundary", "street_id", "county_id"
    )
    for pk, boundary, street_id, county_id in rows.iterator(chunk_size=2000):
        geom = shape(boundary)
        shapely.prepare(geom)
        ids.append(pk)
        geoms.append(geom)
        if street_id:
            by_street.setdefault(street_id, []).append(geom)
        if county_id:
            by_county.setdefault(county_id, []).append(geom)
    return _Index(
        version=version,
        tree=STRtree(geoms),
        ids=ids,
        geoms=geoms,
        checked_at=time.monotonic(),
        streets=_hulls(by_street),
        counties=_hulls(by_county),
    )


def _hulls(groups: dict[int, list[shapely.Geometry]]) -> dict[int, shapely.Geometry]:
    """The extent of each group of grids: their convex hull plus a small margin."""
    out = {}
    for key, parts in groups.items():
        hull = shapely.convex_hull(shapely.GeometryCollection(parts)).buffer(EXTENT_MARGIN_DEG)
        shapely.prepare(hull)
        out[key] = hull
    return out


def grid_index() -> _Index:
    global _index
    now = time.monotonic()
    idx = _index
    if idx is not None and now - idx.checked_at < RECHECK_SECONDS:
        return idx
    with _lock:
        version = _version()
        if _index is None or _index.version != version:
            _index = _build(version)
        else:
            _index.checked_at = now
        return _index


def invalidate() -> None:
    global _index
    with _lock:
        _index = None


def locate_id(lng: float, lat: float) -> int | None:
    """The id of the active grid containing (lng, lat), or None."""
    idx = grid_index()
    point = shapely.Point(lng, lat)
    for i in idx.tree.query(point, predicate="intersects"):
        return idx.ids[int(i)]
    return None


def locate(lng: float, lat: float) -> Any:
    """The grid ``Node`` containing (lng, lat), or None (outside every grid)."""
    from dangjian.territory.models import Node

    pk = locate_id(lng, lat)
    return Node.objects.get(pk=pk) if pk is not None else None


def locate_many(points: list[tuple[float, float]]) -> list[int | None]:
    """Vectorised locate for batches (imports, benchmarks)."""
    idx = grid_index()
    pts = shapely.points(points)
    hits = idx.tree.query(pts, predicate="intersects")
    out: list[int | None] = [None] * len(points)
    for p, g in zip(hits[0], hits[1], strict=True):
        if out[int(p)] is None:
            out[int(p)] = idx.ids[int(g)]
    return out


@dataclass(frozen=True)
class Place:
    """Where a point falls: its grid, else the street or county whose extent holds it."""

    grid_id: int | None
    street_id: int | None
    county_id: int | None

    @property
    def inside(self) -> bool:
        return self.grid_id is not None or self.street_id is not None or self.county_id is not None


# Nodes a point was placed at, kept per process for the intake path (their ancestor
# columns are what a placed record copies). Renames reach the cache within NODE_SECONDS.
NODE_SECONDS = 60.0
_nodes: dict[int, tuple[float, Any]] = {}


def placement_node(pk: int) -> Any:
    """The territory Node ``pk`` (without its boundary), from a short-lived per-process cache."""
    from dangjian.territory.models import Node

    now = time.monotonic()
    hit = _nodes.get(pk)
    if hit is not None and now - hit[0] < NODE_SECONDS:
        return hit[1]
    node = Node.objects.defer("boundary").get(pk=pk)
    if len(_nodes) > 20000:
        _nodes.clear()
    _nodes[pk] = (now, node)
    return node


def forget_nodes(**_: Any) -> None:
    _nodes.clear()


def place_point(lng: float, lat: float) -> Place:
    grid_id = locate_id(lng, lat)
    if grid_id is not None:
        return Place(grid_id, None, None)
    idx = grid_index()
    point = shapely.Point(lng, lat)
    street_id = next((sid for sid, hull in idx.streets.items() if hull.contains(point)), None)
    county_id = next((cid for cid, hull in idx.counties.items() if hull.contains(point)), None)
    return Place(None, street_id, county_id)
