"""A raster shortcut for point-in-polygon tests over any number of polygons at once.

Each cell of a regular lon/lat grid records which polygons cover it entirely and which
polygons' boundaries may cross it. Cells with the same two sets share one *pattern*; the grid
stores a pattern id per cell and a table of patterns, so the memory grows with the number of
distinct patterns, not with the number of polygons. A point in a cell crossed by no boundary
is answered from the cell alone; only points in boundary cells need an exact test. Boundary
cells are found conservatively (edges sampled every half cell, then widened by one cell), so
the shortcut never changes an answer: it only skips tests whose outcome is already known.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["DEFAULT_CELL_DEG", "GRID_VERSION", "Cover", "ZoneGrid"]

#: The point index's cell: 0.01 degrees, about 1.1 km.
DEFAULT_CELL_DEG = 0.01
#: The cells a pack's grid may use: the finest whose grid stays within ``MAX_GRID_CELLS``.
CELL_CHOICES = (0.01, 0.02, 0.025, 0.05, 0.1)
#: At most this many cells in a compiled grid (two bytes each): Peru's 0.01° grid has about
#: 3.8 million; Brazil's or Chile's (with Easter Island) would have 16 million at 0.01°.
MAX_GRID_CELLS = 4_500_000


def cell_for(geometries: Sequence[BaseGeometry]) -> float:
    """The finest of ``CELL_CHOICES`` whose grid over ``geometries`` has at most
    ``MAX_GRID_CELLS`` cells: a larger country gets coarser cells (more points then fall in an
    edge cell and get the exact test; the answer is the same).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cell_for([box(-81, -18, -68, 0)]), cell_for([box(-74, -34, -34, 5)])
    (0.01, 0.02)
    """
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(list(geometries), dtype=object))
    for cell in CELL_CHOICES:
        if ((maxx - minx) / cell + 4) * ((maxy - miny) / cell + 4) <= MAX_GRID_CELLS:
            return cell
    return CELL_CHOICES[-1]


#: Raised whenever the tables a grid builds change meaning: compiled packs of another version
#: are not used (geo.pack.compiled).
GRID_VERSION = 1
#: Polygons burnt at a time: one bit each in a uint64 word.
_CHUNK = 64


class Cover:
    """Which polygons cover each of many points: ``ids[k]`` indexes ``sets`` (sorted polygon
    positions). Points with the same set share one entry, so per-set work is done once."""

    __slots__ = ("ids", "sets")

    def __init__(self, ids: np.ndarray, sets: tuple[tuple[int, ...], ...]) -> None:
        self.ids = ids
        self.sets = sets

    def as_sets(self) -> list[tuple[int, ...]]:
        """Per point, the covering polygon positions (for tests and small inputs)."""
        return [self.sets[i] for i in self.ids.tolist()]


class ZoneGrid:
    """Pattern grid over ``geometries``; ``covering(x, y)`` returns the exact answer.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> grid = ZoneGrid([box(0, 0, 1, 1), box(0.5, 0.5, 2, 2)], cell=0.1)
    >>> xy = np.array([0.2, 0.7, 1.0, 3.0])
    >>> grid.covering(xy, xy).as_sets()
    [(0,), (0, 1), (0, 1), ()]
    >>> grid.covering_one(0.7, 0.7)
    (0, 1)
    """

    def __init__(self, geometries: Sequence[BaseGeometry], cell: float = 0.01) -> None:
        self.cell = cell
        self.geometries = tuple(geometries)
        for geometry in self.geometries:
            shapely.prepare(geometry)
        minx, miny, maxx, maxy = shapely.total_bounds(np.array(self.geometries, dtype=object))
        self.x0 = np.floor(minx / cell) * cell - cell
        self.y0 = np.floor(miny / cell) * cell - cell
        self.ncols = int(np.ceil((maxx - self.x0) / cell)) + 2
        self.nrows = int(np.ceil((maxy - self.y0) / cell)) + 2
        layers = len(self.geometries)
        pattern = np.zeros(self.nrows * self.ncols, dtype=np.int64)
        full_table = np.zeros((1, 0), dtype=bool)
        edge_table = np.zeros((1, 0), dtype=bool)
        for first in range(0, layers, _CHUNK):
            chunk = range(first, min(first + _CHUNK, layers))
            full = np.zeros((self.nrows, self.ncols), dtype=np.uint64)
            edge = np.zeros((self.nrows, self.ncols), dtype=np.uint64)
            for bit, layer in enumerate(chunk):
                self._burn(full, edge, bit, self.geometries[layer])
            # Pattern 0 stays the empty one (cells outside every polygon, and off the grid).
            # All three columns uint64: mixing int64 in would promote to float64 and lose bits.
            keys = np.column_stack([pattern.astype(np.uint64), full.ravel(), edge.ravel()])
            keys = np.concatenate([np.zeros((1, 3), dtype=np.uint64), keys])
            unique, inverse = _unique_rows(keys)
            pattern = inverse[1:].astype(np.int64)
            previous = unique[:, 0].astype(np.intp)
            shifts = np.arange(len(chunk), dtype=np.uint64)
            full_bits = ((unique[:, 1:2] >> shifts) & np.uint64(1)).astype(bool)
            edge_bits = ((unique[:, 2:3] >> shifts) & np.uint64(1)).astype(bool)
            full_table = np.hstack([full_table[previous], full_bits])
            edge_table = np.hstack([edge_table[previous], edge_bits])
        self._tables(
            pattern.astype(np.int32 if len(full_table) < 2**31 else np.int64).reshape(self.nrows, self.ncols),
            full_table,
            edge_table,
        )

    @classmethod
    def from_tables(
        cls,
        geometries: Sequence[BaseGeometry],
        *,
        cell: float,
        x0: float,
        y0: float,
        pattern: np.ndarray,
        full_table: np.ndarray,
        edge_table: np.ndarray,
    ) -> ZoneGrid:
        """A grid whose tables were built before (``geo.pack.compiled``): no polygon is burnt."""
        grid = cls.__new__(cls)
        grid.cell, grid.x0, grid.y0 = cell, x0, y0
        grid.geometries = tuple(geometries)
        for geometry in grid.geometries:
            shapely.prepare(geometry)
        grid.nrows, grid.ncols = pattern.shape
        grid._tables(pattern, full_table, edge_table)
        return grid

    def _tables(self, pattern: np.ndarray, full_table: np.ndarray, edge_table: np.ndarray) -> None:
        self.pattern = pattern
        #: Per pattern and polygon: the cell lies wholly inside the polygon, or its boundary may
        #: cross the cell.
        self.full_table = full_table
        self.edge_table = edge_table
        self._pending_table = edge_table & ~full_table
        self._pending_any: np.ndarray = np.asarray(self._pending_table.any(axis=1))
        self._full_sets = tuple(tuple(np.flatnonzero(row).tolist()) for row in full_table)
        self._edge_sets = tuple(tuple(np.flatnonzero(row).tolist()) for row in self._pending_table)
        # Where each pending polygon sits in its pattern's pending list: exact-test results
        # become a few bits of one integer key per point (when a pattern has at most 31).
        self._local = np.cumsum(self._pending_table, axis=1, dtype=np.int16) - 1
        self._narrow = max((len(s) for s in self._edge_sets), default=0) <= 31
        # The pending polygons of every pattern, in one array (pattern p's are
        # _pending_layers[_pending_starts[p]:][:_pending_counts[p]], in _edge_sets order).
        self._pending_counts = np.asarray([len(s) for s in self._edge_sets], dtype=np.int64)
        self._pending_starts = np.cumsum(self._pending_counts) - self._pending_counts
        self._pending_layers = np.asarray([layer for s in self._edge_sets for layer in s], dtype=np.int64)

    def _window(self, geometry: BaseGeometry) -> tuple[int, int, int, int]:
        minx, miny, maxx, maxy = geometry.bounds
        c0 = max(int(np.floor((minx - self.x0) / self.cell)) - 1, 0)
        r0 = max(int(np.floor((miny - self.y0) / self.cell)) - 1, 0)
        c1 = min(int(np.floor((maxx - self.x0) / self.cell)) + 2, self.ncols)
        r1 = min(int(np.floor((maxy - self.y0) / self.cell)) + 2, self.nrows)
        return r0, r1, c0, c1

    def _burn(self, full: np.ndarray, edge: np.ndarray, bit: int, geometry: BaseGeometry) -> None:
        value = np.uint64(1 << bit)
        r0, r1, c0, c1 = self._window(geometry)
        x0, y0 = self.x0 + c0 * self.cell, self.y0 + r0 * self.cell
        shape = (r1 - r0, c1 - c0)
        rings = shapely.get_rings(shapely.get_parts(geometry))
        edges = _edges(rings)
        inside = _centres_inside(edges, x0, y0, self.cell, shape)
        crossed = _crossed_cells(edges, x0, y0, self.cell, shape)
        full[r0:r1, c0:c1][inside & ~crossed] |= value
        edge[r0:r1, c0:c1][crossed] |= value

    def patterns(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The pattern id of the cell holding each point; 0 (no polygon) off the grid."""
        fx = (x - self.x0) / self.cell
        fy = (y - self.y0) / self.cell
        # Comparisons first: NaN and far-away points fall out here, before any cast.
        ok = (fx >= 0) & (fx < self.ncols) & (fy >= 0) & (fy < self.nrows)
        flat = np.zeros(x.shape, dtype=np.intp)
        if ok.all():
            flat = fy.astype(np.intp) * self.ncols + fx.astype(np.intp)
        else:
            flat[ok] = fy[ok].astype(np.intp) * self.ncols + fx[ok].astype(np.intp)
        found = np.take(self.pattern.ravel(), flat)
        if not ok.all():
            found[~ok] = 0
        return found

    def cells(self, found: np.ndarray, layers: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """For cells of pattern ids ``found`` (see ``patterns``), one column per polygon of
        ``layers``: whether each lies wholly inside it, and whether its boundary may cross it."""
        rows = np.ix_(found, np.asarray(layers, dtype=np.intp))
        return self.full_table[rows], self.edge_table[rows]

    def present(self, found: np.ndarray) -> np.ndarray:
        """Positions of the polygons that cover, or whose boundary may cross, any of the cells
        of pattern ids ``found``."""
        used = np.flatnonzero(np.bincount(found, minlength=len(self.full_table)))
        return np.flatnonzero((self.full_table[used] | self.edge_table[used]).any(axis=0))

    def covering(self, x: np.ndarray, y: np.ndarray) -> Cover:
        """The polygons covering each point (boundary included)."""
        found = self.patterns(x, y)
        ids = np.empty(found.shape, dtype=np.int32)
        sets: list[tuple[int, ...]] = []
        settled = ~self._pending_any[found]
        if settled.any():
            used = np.flatnonzero(np.bincount(found[settled], minlength=len(self.full_table)))
            lookup = np.zeros(len(self.full_table), dtype=np.int32)
            lookup[used] = np.arange(len(used), dtype=np.int32)
            ids[settled] = lookup[found[settled]]
            sets.extend(self._full_sets[p] for p in used.tolist())
        todo = np.flatnonzero(~settled)
        if todo.size:
            ids[todo] = len(sets) + self._exact(found[todo], x[todo], y[todo], sets)
        return Cover(ids, tuple(sets))

    def _exact(
        self, found: np.ndarray, x: np.ndarray, y: np.ndarray, sets: list[tuple[int, ...]]
    ) -> np.ndarray:
        """Exact tests for points in boundary cells; appends their sets, returns their ids."""
        pending = self._pending_table
        layers = np.flatnonzero(pending[np.unique(found)].any(axis=0))
        if self._narrow:
            # Every (point, pending polygon) pair at once, grouped by polygon: the work grows
            # with the pairs, not with points x polygons.
            counts = self._pending_counts[found]
            point = np.repeat(np.arange(len(found)), counts)
            within = np.arange(len(point)) - np.repeat(np.cumsum(counts) - counts, counts)
            layer_of = self._pending_layers[np.repeat(self._pending_starts[found], counts) + within]
            order = np.argsort(layer_of, kind="stable")
            bounds = np.flatnonzero(np.diff(layer_of[order])) + 1
            hit = np.zeros(len(point), dtype=bool)
            for group in np.split(order, bounds) if len(order) else []:
                at = point[group]
                hit[group] = shapely.intersects_xy(self.geometries[int(layer_of[group[0]])], x[at], y[at])
            bits = np.left_shift(np.int64(1), within[hit].astype(np.int64)).astype(np.float64)
            local = np.bincount(point[hit], weights=bits, minlength=len(found)).astype(np.int64)
            key, inverse = np.unique((found.astype(np.int64) << 32) | local, return_inverse=True)
            for value in key.tolist():
                pattern, bits = value >> 32, value & 0xFFFFFFFF
                extra = [layer for b, layer in enumerate(self._edge_sets[pattern]) if bits >> b & 1]
                sets.append(tuple(sorted((*self._full_sets[pattern], *extra))))
            return inverse.reshape(-1).astype(np.int32)
        hits = np.zeros((len(found), len(layers)), dtype=bool)
        for column, layer in enumerate(layers.tolist()):
            sub = np.flatnonzero(pending[found, layer])
            hits[sub, column] = shapely.intersects_xy(self.geometries[layer], x[sub], y[sub])
        keys = np.column_stack([found.astype(np.int64), hits.astype(np.int64)])
        unique, inverse = np.unique(keys, axis=0, return_inverse=True)
        for row in unique:
            extra = layers[row[1:].astype(bool)].tolist()
            sets.append(tuple(sorted((*self._full_sets[int(row[0])], *extra))))
        return inverse.reshape(-1).astype(np.int32)

    def covering_one(self, x: float, y: float) -> tuple[int, ...]:
        """``covering`` for a single point, without array overhead (the one-point API path)."""
        fx, fy = (x - self.x0) / self.cell, (y - self.y0) / self.cell
        if not (0 <= fx < self.ncols and 0 <= fy < self.nrows):
            return ()
        found = int(self.pattern[int(fy), int(fx)])
        full, pending = self._full_sets[found], self._edge_sets[found]
        if not pending:
            return full
        hit = [layer for layer in pending if shapely.intersects_xy(self.geometries[layer], x, y)]
        return tuple(sorted((*full, *hit)))

    @property
    def nbytes(self) -> int:
        """Memory held by the pattern grid and its tables."""
        return int(self.pattern.nbytes + self.full_table.nbytes + self.edge_table.nbytes)


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


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, axis=0, return_inverse=True)`` for an (n, 3) uint64 array, by one
    lexsort (``np.unique`` sorts rows as records: 7x slower on the 2.3 million cells of Peru).

    Examples
    --------
    >>> unique, inverse = _unique_rows(np.array([[1, 0, 2], [0, 5, 0], [1, 0, 2]], dtype=np.uint64))
    >>> unique.tolist(), inverse.tolist()
    ([[0, 5, 0], [1, 0, 2]], [1, 0, 1])
    """
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    inverse = np.empty(len(keys), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse
