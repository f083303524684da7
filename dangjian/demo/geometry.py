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
