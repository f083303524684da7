"""Grid polygons tile the town: valid, non-overlapping, and compounds locate to their grid."""

from __future__ import annotations

import random

import shapely
from shapely.geometry import shape

from dangjian.territory import geo
from dangjian.territory.codes import check_code
from dangjian.territory.models import Node


def test_it_gives_every_grid_a_valid_polygon(demo):
    grids = list(Node.objects.filter(level="grid"))
    assert len(grids) == 97
    for grid in grids:
        geom = geo.parse_boundary(grid.boundary)  # raises on invalid
        assert grid.grid_type == "general"
        assert 110.3 < geom.centroid.x < 110.4 and 22.66 < geom.centroid.y < 22.76


def test_it_tiles_without_overlap(demo):
    geoms = [shape(g.boundary) for g in Node.objects.filter(level="grid")]
    total = sum(g.area for g in geoms)
    assert abs(shapely.union_all(geoms).area - total) < total * 1e-9
    rng = random.Random(5)
    for a, b in (rng.sample(geoms, 2) for _ in range(300)):
        assert a.intersection(b).area < a.area * 1e-9


def test_it_locates_each_compound_in_its_own_grid(demo):
    geo.invalidate()
    for compound in Node.objects.filter(level="compound"):
        assert geo.locate_id(compound.lng, compound.lat) == compound.parent_id, compound.name
    assert geo.locate_id(100.0, 30.0) is None


def test_it_codes_grids_with_unique_fifteen_digits(demo):
    grids = Node.objects.filter(level="grid").select_related("parent")
    codes = [g.code for g in grids]
    assert len(set(codes)) == len(codes) == 97
    for grid in grids:
        assert len(grid.code) == 15 and grid.code.startswith("450981")
        assert check_code("grid", grid.code, grid.parent.code) == []
