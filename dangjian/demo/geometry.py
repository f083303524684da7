"""Grid polygons for generated cities: a jittered lattice walked in a space-filling order.

The area is a ``cols × rows`` lattice of cells. Every cell's ring has 8 points (corners and
edge midpoints) taken from one shared table of jittered points, so neighbouring cells share
their edges exactly: the polygons tile the area without gaps or overlaps. Each point moves
less than a quarter of the half-cell spacing, so every ring stays simple (valid).

Cells are visited in generalised Hilbert ("gilbert") order, so any run of consecutive cells
is a compact contiguous block: a community is a run of grids, a street a run of
communities. Coordinates are GCJ-02 longitude/latitude.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Metres per degree of latitude; a degree of longitude is this times cos(latitude).
M_PER_DEG = 111_320.0
JITTER = 0.12  # of a cell, at most, for every shared ring point


def _sgn(x: int) -> int:
    return (x > 0) - (x < 0)


def _gilbert(x: int, y: int, ax: int, ay: int, bx: int, by: int) -> Iterator[tuple[int, int]]:
    w, h = abs(ax + ay), abs(bx + by)
    dax, day, dbx, dby = _sgn(ax), _sgn(ay), _sgn(bx), _sgn(by)
    if h == 1:
        for _ in range(w):
            yield x, y
            x, y = x + dax, y + day
        return
    if w == 1:
        for _ in range(h):
            yield x, y
            x, y = x + dbx, y + dby
        return
    ax2, ay2, bx2, by2 = ax // 2, ay // 2, bx // 2, by // 2
    w2, h2 = abs(ax2 + ay2), abs(bx2 + by2)
    if 2 * w > 3 * h:
        if w2 % 2 and w > 2:
            ax2, ay2 = ax2 + dax, ay2 + day
        yield from _gilbert(x, y, ax2, ay2, bx, by)
        yield from _gilbert(x + ax2, y + ay2, ax - ax2, ay - ay2, bx, by)
    else:
        if h2 % 2 and h > 2:
            bx2, by2 = bx2 + dbx, by2 + dby
        yield from _gilbert(x, y, bx2, by2, ax2, ay2)
        yield from _gilbert(x + bx2, y + by2, ax, ay, bx - bx2, by - by2)
        yield from _gilbert(
            x + (ax - dax) + (bx2 - dbx), y + (ay - day) + (by2 - dby), -bx2, -by2, -(ax - ax2), -(ay - ay2)
        )


def gilbert_order(cols: int, rows: int) -> list[tuple[int, int]]:
    """Every cell of a ``cols × rows`` lattice, consecutive cells adjacent (Hilbert-like)."""
    if cols >= rows:
        return list(_gilbert(0, 0, cols, 0, 0, rows))
    return list(_gilbert(0, 0, 0, rows, cols, 0))


def lattice_shape(cells: int, aspect: float = 1.2) -> tuple[int, int]:
    """Even ``cols, rows`` with ``cols * rows >= cells`` and cols/rows ≈ ``aspect``."""
    rows = max(2, math.ceil(math.sqrt(cells / aspect)))
    rows += rows % 2
    cols = max(2, math.ceil(cells / rows))
    cols += cols % 2
    return cols, rows


@dataclass
class Lattice:
    """A jittered lattice of ``cols × rows`` cells of ``cell_m`` metres around a centre."""

    centre_lng: float
    centre_lat: float
    cols: int
    rows: int
    cell_m: float
    seed: int = 0
    _pts: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.dlat = self.cell_m / M_PER_DEG
        self.dlng = self.cell_m / (M_PER_DEG * math.cos(math.radians(self.centre_lat)))
        self.lng0 = self.centre_lng - self.cols * self.dlng / 2
        self.lat0 = self.centre_lat - self.rows * self.dlat / 2
        rng = np.random.default_rng(self.seed)
        jitter = rng.uniform(-JITTER, JITTER, size=(2 * self.cols + 1, 2 * self.rows + 1, 2))
        jitter[0, :, :] = jitter[-1, :, :] = 0  # the outer border stays straight
        jitter[:, 0, :] = jitter[:, -1, :] = 0
        a = np.arange(2 * self.cols + 1)[:, None] / 2 + jitter[:, :, 0]
        b = np.arange(2 * self.rows + 1)[None, :] / 2 + jitter[:, :, 1]
        self._pts = np.stack(
            [np.round(self.lng0 + a * self.dlng, 6), np.round(self.lat0 + b * self.dlat, 6)], axis=-1
        )

    _RING = ((0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2), (0, 1), (0, 0))

    def polygon(self, i: int, j: int) -> dict:
        """The GeoJSON Polygon of cell (i, j), counter-clockwise, closed."""
        ring = [[float(c) for c in self._pts[2 * i + da, 2 * j + db]] for da, db in self._RING]
        return {"type": "Polygon", "coordinates": [ring]}

    def point(self, i: int, j: int, fx: float = 0.0, fy: float = 0.0) -> tuple[float, float]:
        """A point inside cell (i, j): ``fx, fy`` in [-0.3, 0.3] cells from its centre."""
        fx, fy = max(-0.3, min(0.3, fx)), max(-0.3, min(0.3, fy))
        return (
            round(self.lng0 + (i + 0.5 + fx) * self.dlng, 6),
            round(self.lat0 + (j + 0.5 + fy) * self.dlat, 6),
        )


# --- the demo city: Voronoi grids over a town outline -------------------------------------


def _hilbert_index(n: int, x: int, y: int) -> int:
    """Position of cell (x, y) along the Hilbert curve over an ``n × n`` lattice (n = 2^k)."""
    d, s = 0, n // 2
    while s > 0:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0:
            if rx == 1:
                x, y = s - 1 - x, s - 1 - y
            x, y = y, x
        s //= 2
    return d


@dataclass
class Town:
    """A town of ``cells`` grids: Voronoi cells over jittered, relaxed seed points, clipped
    to an irregular outline, so grid edges run like streets (straight segments meeting at
    three-way junctions) rather than as a rectangular patchwork.

    Seeds are denser towards the old centre (smaller grids downtown), relaxed twice
    (Lloyd) so that no cell is a sliver, and ordered along a Hilbert curve so that any run
    of consecutive cells is a compact, contiguous block: a community is a run of grids, a
    street a run of communities. Neighbouring cells share their edges exactly (the
    coordinates of one diagram, rounded once), so the polygons tile without gaps or
    overlaps. Coordinates are GCJ-02 longitude/latitude.
    """

    centre_lng: float
    centre_lat: float
    cells: int
    radius_m: float
    seed: int = 0
    polygons: list[dict] = field(init=False, repr=False)
    seeds: list[tuple[float, float]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        import shapely
        from shapely.geometry import Point, Polygon

        rng = np.random.default_rng(self.seed)
        dlat = 1 / M_PER_DEG
        dlng = 1 / (M_PER_DEG * math.cos(math.radians(self.centre_lat)))
        # The outline: a 36-gon whose radius wanders smoothly (±12 %), a little wider east–west.
        angles = np.linspace(0, 2 * math.pi, 36, endpoint=False)
        phase = rng.uniform(0, 2 * math.pi, 3)
        wobble = 1 + 0.06 * np.sin(2 * angles + phase[0]) + 0.04 * np.sin(3 * angles + phase[1])
        wobble += 0.02 * np.sin(5 * angles + phase[2])
        ring = [
            (1.15 * self.radius_m * w * math.cos(a), self.radius_m * w * math.sin(a))
            for a, w in zip(angles, wobble, strict=True)
        ]
        outline = Polygon(ring)
        # Seeds: rejection-sampled with a density falling off from the centre, then relaxed.
        pts: list[tuple[float, float]] = []
        minx, miny, maxx, maxy = outline.bounds
        while len(pts) < self.cells:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            r = math.hypot(x / 1.15, y) / self.radius_m
            if rng.uniform() < 1.0 - 0.45 * min(r, 1.0) and outline.contains(Point(x, y)):
                pts.append((x, y))
        for _ in range(2):
            cells = self._cells(outline, pts)
            pts = [(c.centroid.x, c.centroid.y) for c in cells]
        cells = self._cells(outline, pts)
        # Hilbert order over a 64 × 64 lattice of the bounding box.
        n = 64

        def key(p: tuple[float, float]) -> int:
            gx = min(n - 1, int((p[0] - minx) / (maxx - minx) * n))
            gy = min(n - 1, int((p[1] - miny) / (maxy - miny) * n))
            return _hilbert_index(n, gx, gy)

        rank = {k: key(pts[k]) for k in range(len(pts))}
        # Walk from cell to neighbouring cell (lowest Hilbert rank first), jumping only when
        # stuck, so that runs of consecutive cells share edges.
        tree = shapely.STRtree(cells)
        near: dict[int, list[int]] = {
            k: sorted(
                (int(j) for j in tree.query(c) if j != k and c.intersection(cells[j]).length > 1.0),
                key=rank.__getitem__,
            )
            for k, c in enumerate(cells)
        }
        order: list[int] = []
        left = set(range(len(pts)))
        current = min(left, key=rank.__getitem__)
        while True:
            order.append(current)
            left.discard(current)
            if not left:
                break
            nxt = [j for j in near[current] if j in left]
            current = nxt[0] if nxt else min(left, key=rank.__getitem__)

        def to_lnglat(x: float, y: float) -> tuple[float, float]:
            return round(self.centre_lng + x * dlng, 6), round(self.centre_lat + y * dlat, 6)

        self.polygons, self.seeds = [], []
        for k in order:
            geom = shapely.set_precision(cells[k], 1e-3)  # millimetres: shared vertices stay shared
            coords = [to_lnglat(x, y) for x, y in geom.exterior.coords]
            ring_ll = [list(c) for c in coords]
            poly = Polygon(ring_ll)
            if not poly.exterior.is_ccw:
                ring_ll.reverse()
            self.polygons.append({"type": "Polygon", "coordinates": [ring_ll]})
            self.seeds.append(to_lnglat(*pts[k]))
        self._shapes = [Polygon(p["coordinates"][0]) for p in self.polygons]
        # Where the walk had to jump: cell k does not touch cell k - 1.
        self.breaks = [k for k in range(1, len(order)) if order[k] not in near[order[k - 1]]]
        self._dlng, self._dlat = dlng, dlat

    @staticmethod
    def _cells(outline: Any, pts: list[tuple[float, float]]) -> list[Any]:
        import shapely
        from shapely.geometry import MultiPoint, Point

        diagram = shapely.voronoi_polygons(MultiPoint(pts), extend_to=outline)
        by_seed: list[Any] = [None] * len(pts)
        for cell in diagram.geoms:
            for k, p in enumerate(pts):
                if by_seed[k] is None and cell.contains(Point(p)):
                    by_seed[k] = cell.intersection(outline)
                    break
        return by_seed

    def polygon(self, k: int) -> dict:
        return self.polygons[k]

    def point(self, k: int, toward: float = 0.0, angle: float = 0.0) -> tuple[float, float]:
        """A point of cell ``k``: its seed, or ``toward`` (0–0.6) of the way from the seed to
        the cell's edge in direction ``angle`` (radians). Always inside the cell."""
        from shapely.geometry import Point

        lng, lat = self.seeds[k]
        shape_k = self._shapes[k]
        for f in (toward, toward / 2, 0.0):
            x = lng + f * 250 * math.cos(angle) * self._dlng
            y = lat + f * 250 * math.sin(angle) * self._dlat
            if shape_k.contains(Point(x, y)):
                return round(x, 6), round(y, 6)
        rp = shape_k.representative_point()
        return round(rp.x, 6), round(rp.y, 6)
