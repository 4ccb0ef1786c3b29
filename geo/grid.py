"""A raster shortcut for point-in-polygon tests over many polygons at once.

Each cell of a regular lon/lat grid records, as bits, the polygons that cover it entirely and
the polygons whose boundary may cross it. A point in a cell crossed by no boundary is
answered from the cell alone; only points in boundary cells need an exact test. Boundary
cells are found conservatively (edges sampled every half cell, then widened by one cell), so
the shortcut never changes an answer: it only skips tests whose outcome is already known.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import PackError

__all__ = ["MAX_LAYERS", "ZoneGrid"]

#: One bit per polygon in a uint64 cell.
MAX_LAYERS = 64


class ZoneGrid:
    """Bitmask grid over ``geometries``; ``covering(x, y)`` returns the exact answer.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> grid = ZoneGrid([box(0, 0, 1, 1), box(0.5, 0.5, 2, 2)], cell=0.1)
    >>> xy = np.array([0.2, 0.7, 1.0, 3.0])
    >>> grid.covering(xy, xy).tolist()
    [1, 3, 3, 0]
    """

    def __init__(self, geometries: Sequence[BaseGeometry], cell: float = 0.01) -> None:
        if len(geometries) > MAX_LAYERS:
            raise PackError(f"the grid index holds at most {MAX_LAYERS} polygons")
        self.cell = cell
        self.geometries = tuple(geometries)
        for geometry in self.geometries:
            shapely.prepare(geometry)
        minx, miny, maxx, maxy = shapely.total_bounds(np.array(self.geometries, dtype=object))
        self.x0 = np.floor(minx / cell) * cell - cell
        self.y0 = np.floor(miny / cell) * cell - cell
        self.ncols = int(np.ceil((maxx - self.x0) / cell)) + 2
        self.nrows = int(np.ceil((maxy - self.y0) / cell)) + 2
        # Half the memory when the bits fit in 32.
        self.dtype = np.dtype(np.uint32 if len(self.geometries) <= 32 else np.uint64)
        self.full = np.zeros((self.nrows, self.ncols), dtype=self.dtype)
        self.edge = np.zeros((self.nrows, self.ncols), dtype=self.dtype)
        for layer, geometry in enumerate(self.geometries):
            self._burn(layer, geometry)

    def _window(self, geometry: BaseGeometry) -> tuple[int, int, int, int]:
        minx, miny, maxx, maxy = geometry.bounds
        c0 = max(int(np.floor((minx - self.x0) / self.cell)) - 1, 0)
        r0 = max(int(np.floor((miny - self.y0) / self.cell)) - 1, 0)
        c1 = min(int(np.floor((maxx - self.x0) / self.cell)) + 2, self.ncols)
        r1 = min(int(np.floor((maxy - self.y0) / self.cell)) + 2, self.nrows)
        return r0, r1, c0, c1

    def _burn(self, layer: int, geometry: BaseGeometry) -> None:
        bit = self.dtype.type(1 << layer)
        r0, r1, c0, c1 = self._window(geometry)
        x0, y0 = self.x0 + c0 * self.cell, self.y0 + r0 * self.cell
        shape = (r1 - r0, c1 - c0)
        rings = shapely.get_rings(shapely.get_parts(geometry))
        edges = _edges(rings)
        inside = _centres_inside(edges, x0, y0, self.cell, shape)
        crossed = _crossed_cells(edges, x0, y0, self.cell, shape)
        self.full[r0:r1, c0:c1][inside & ~crossed] |= bit
        self.edge[r0:r1, c0:c1][crossed] |= bit

    def cells(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (full, edge) bits of the cells holding each point; 0 outside the grid."""
        fx = (x - self.x0) / self.cell
        fy = (y - self.y0) / self.cell
        # Comparisons first: NaN and far-away points fall out here, before any cast.
        ok = (fx >= 0) & (fx < self.ncols) & (fy >= 0) & (fy < self.nrows)
        flat = np.zeros(x.shape, dtype=np.intp)
        if ok.all():
            flat = fy.astype(np.intp) * self.ncols + fx.astype(np.intp)
        else:
            flat[ok] = fy[ok].astype(np.intp) * self.ncols + fx[ok].astype(np.intp)
        full = np.take(self.full.ravel(), flat)
        edge = np.take(self.edge.ravel(), flat)
        if not ok.all():
            full[~ok] = 0
            edge[~ok] = 0
        return full, edge

    def covering(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Bits of the polygons covering each point (boundary included); bit i is polygon i."""
        bits, edge = self.cells(x, y)
        pending = edge & ~bits
        todo = np.flatnonzero(pending)
        if not todo.size:
            return bits
        pending, tx, ty = pending[todo], x[todo], y[todo]
        found = np.zeros(todo.shape, dtype=self.dtype)
        present = int(np.bitwise_or.reduce(pending))
        for layer, geometry in enumerate(self.geometries):
            bit = self.dtype.type(1 << layer)
            if not present & (1 << layer):
                continue
            sub = np.flatnonzero(pending & bit)
            hit = shapely.intersects_xy(geometry, tx[sub], ty[sub])
            found[sub[hit]] |= bit
        bits[todo] |= found
        return bits

    def covering_one(self, x: float, y: float) -> int:
        """``covering`` for a single point, without array overhead (the one-point API path)."""
        fx, fy = (x - self.x0) / self.cell, (y - self.y0) / self.cell
        if not (0 <= fx < self.ncols and 0 <= fy < self.nrows):
            return 0
        row, col = int(fy), int(fx)
        bits, edge = int(self.full[row, col]), int(self.edge[row, col])
        pending = edge & ~bits
        layer = 0
        while pending >> layer:
            if pending >> layer & 1 and shapely.intersects_xy(self.geometries[layer], x, y):
                bits |= 1 << layer
            layer += 1
        return bits

    @property
    def nbytes(self) -> int:
        """Memory held by the two bit grids."""
        return int(self.full.nbytes + self.edge.nbytes)


def _edges(rings: np.ndarray) -> np.ndarray:
    """All ring edges as rows of (xa, ya, xb, yb)."""
    parts = []
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        parts.append(np.column_stack([xy[:-1], xy[1:]]))
    return np.concatenate(parts) if parts else np.zeros((0, 4))


def _centres_inside(
    edges: np.ndarray, x0: float, y0: float, cell: float, shape: tuple[int, int]
) -> np.ndarray:
    """Even-odd rule on cell centres: count the edge crossings left of each centre."""
    nrows, ncols = shape
    xa, ya, xb, yb = edges.T
    lo, hi = np.minimum(ya, yb), np.maximum(ya, yb)
    # Rows whose centre y lies in [lo, hi): half-open, so a vertex is never counted twice.
    first = np.ceil((lo - y0) / cell - 0.5).astype(np.intp)
    stop = np.ceil((hi - y0) / cell - 0.5).astype(np.intp)
    first, stop = np.clip(first, 0, nrows), np.clip(stop, 0, nrows)
    counts = np.maximum(stop - first, 0)
    which = np.repeat(np.arange(len(edges)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = first[which] + offsets
    yc = y0 + (rows + 0.5) * cell
    t = (yc - ya[which]) / (yb[which] - ya[which])
    xi = xa[which] + t * (xb[which] - xa[which])
    cols = np.clip(np.ceil((xi - x0) / cell - 0.5).astype(np.intp), 0, ncols)
    toggles = np.zeros((nrows, ncols + 1), dtype=np.uint8)
    np.add.at(toggles, (rows, cols), 1)
    return (np.cumsum(toggles, axis=1, dtype=np.uint32)[:, :ncols] % 2).astype(bool)


def _crossed_cells(
    edges: np.ndarray, x0: float, y0: float, cell: float, shape: tuple[int, int]
) -> np.ndarray:
    """Cells an edge may pass through: samples every half cell, widened by one cell."""
    nrows, ncols = shape
    xa, ya, xb, yb = edges.T
    steps = np.maximum(np.ceil(np.hypot(xb - xa, yb - ya) / (cell / 2)).astype(np.intp), 1) + 1
    which = np.repeat(np.arange(len(edges)), steps)
    t = (np.arange(steps.sum()) - np.repeat(np.cumsum(steps) - steps, steps)) / np.repeat(steps - 1, steps)
    x = xa[which] + t * (xb[which] - xa[which])
    y = ya[which] + t * (yb[which] - ya[which])
    cols = np.clip(np.floor((x - x0) / cell).astype(np.intp), 0, ncols - 1)
    rows = np.clip(np.floor((y - y0) / cell).astype(np.intp), 0, nrows - 1)
    crossed = np.zeros((nrows + 2, ncols + 2), dtype=bool)
    crossed[rows + 1, cols + 1] = True
    widened = np.zeros_like(crossed)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            widened[1 + dr : nrows + 1 + dr, 1 + dc : ncols + 1 + dc] |= crossed[1 : nrows + 1, 1 : ncols + 1]
    return widened[1 : nrows + 1, 1 : ncols + 1]
