"""Where a densified route is inside a polygon, as km intervals along it.

Vertices in grid cells that lie entirely inside (or outside) the polygon settle their
segments at once. A segment touching a cell that the boundary may cross is cut where it
meets the polygon's edges (found through an STR-tree of the edges), and each piece is
tested at its midpoint. Segments must be shorter than a grid cell (``route.MAX_SEGMENT_KM``
sees to it): then a segment between two settled cells cannot cross the boundary, because the
grid marks every cell next to a boundary cell as unsettled too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.spatial.nearby import Edges

__all__ = ["EdgeIndex", "merge_intervals"]


def _cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]


class EdgeIndex:
    """The edges of several polygons, for cutting route segments where they cross them."""

    def __init__(self, geometries: Sequence[BaseGeometry], edges: Edges | None = None) -> None:
        """``edges``: the geometries' edges when already built (the point index has them)."""
        self._edges = edges if edges is not None else Edges.of(geometries)
        self._a, self._b, self._owner = self._edges.a, self._edges.b, self._edges.owner
        self.geometries = tuple(geometries)

    def inside_intervals(
        self,
        layers: Sequence[int],
        coords: np.ndarray,
        along: np.ndarray,
        inside_cell: np.ndarray,
        boundary_cell: np.ndarray,
    ) -> dict[int, list[tuple[float, float]]]:
        """Sorted, merged (start_km, end_km) stretches of the route inside each polygon of
        ``layers``.

        ``inside_cell`` and ``boundary_cell`` (one column per layer) say, per vertex, whether its
        grid cell lies wholly inside the polygon or may be crossed by its boundary. Segments
        near any boundary are matched to the edges once, for all layers.
        """
        found: dict[int, list[tuple[float, float]]] = {}
        if len(coords) == 1:
            for k, layer in enumerate(layers):
                hit = bool(inside_cell[0, k]) or (
                    bool(boundary_cell[0, k])
                    and bool(shapely.intersects_xy(self.geometries[layer], *coords[0]))
                )
                found[layer] = [(float(along[0]), float(along[0]))] if hit else []
            return found
        near = boundary_cell[:-1] | boundary_cell[1:]
        hard = np.flatnonzero(near.any(axis=1))
        a, b = coords[hard], coords[hard + 1]
        segment, edge = self._edges.overlapping(np.minimum(a, b), np.maximum(a, b))
        owner_start, length = along[hard], np.diff(along)[hard]
        for k, layer in enumerate(layers):
            inside = inside_cell[:, k] & ~boundary_cell[:, k]
            full = np.flatnonzero(inside[:-1] & inside[1:])
            starts, ends = [along[full]], [along[full + 1]]
            mine = near[hard, k]
            if mine.any():
                pairs = mine[segment] & (self._owner[edge] == layer)
                lo, hi = self._pieces_inside(layer, a, b, segment[pairs], edge[pairs], np.flatnonzero(mine))
                starts.append(owner_start[lo[1]] + lo[0] * length[lo[1]])
                ends.append(owner_start[lo[1]] + hi * length[lo[1]])
            found[layer] = merge_intervals(np.concatenate(starts), np.concatenate(ends))
        return found

    def _pieces_inside(
        self, layer: int, a: np.ndarray, b: np.ndarray, segment: np.ndarray, edge: np.ndarray, cut: np.ndarray
    ) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
        """For segments ``cut`` of a->b, crossed by edges ``edge`` (pairs ``segment``, ``edge``):
        ((t_start, segment), t_end) of each piece inside the polygon."""
        p, r = a[segment], b[segment] - a[segment]
        q, s = self._a[edge], self._b[edge] - self._a[edge]
        denom = _cross(r, s)
        qp = q - p
        with np.errstate(divide="ignore", invalid="ignore"):
            t = _cross(qp, s) / denom
            u = _cross(qp, r) / denom
        crossing = (denom != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
        # Collinear overlaps: cut at the edge's ends as they fall on the segment.
        collinear = (denom == 0) & (_cross(qp, r) == 0)
        rr = np.einsum("ij,ij->i", r, r)
        rr[rr == 0] = 1.0
        t_q = np.einsum("ij,ij->i", qp, r) / rr
        t_qs = np.einsum("ij,ij->i", qp + s, r) / rr
        cuts_t = np.concatenate(
            [t[crossing], t_q[collinear], t_qs[collinear], np.zeros(len(cut)), np.ones(len(cut))]
        )
        cuts_s = np.concatenate([segment[crossing], segment[collinear], segment[collinear], cut, cut])
        keep = (cuts_t >= 0) & (cuts_t <= 1)
        cuts_t, cuts_s = cuts_t[keep], cuts_s[keep]
        order = np.lexsort((cuts_t, cuts_s))
        cuts_t, cuts_s = cuts_t[order], cuts_s[order]
        same = cuts_s[1:] == cuts_s[:-1]
        t0, t1, owner = cuts_t[:-1][same], cuts_t[1:][same], cuts_s[:-1][same]
        mid = (t0 + t1) / 2
        x = a[owner, 0] + mid * (b[owner, 0] - a[owner, 0])
        y = a[owner, 1] + mid * (b[owner, 1] - a[owner, 1])
        inside = shapely.intersects_xy(self.geometries[layer], x, y)
        return (t0[inside], owner[inside]), t1[inside]


def merge_intervals(
    starts: Sequence[float] | np.ndarray, ends: Sequence[float] | np.ndarray, gap_km: float = 1e-6
) -> list[tuple[float, float]]:
    """Sort intervals and join those that touch; plain floats, ready for JSON.

    Examples
    --------
    >>> merge_intervals([0.0, 2.0, 1.0], [1.0, 3.0, 1.5])
    [(0.0, 1.5), (2.0, 3.0)]
    """
    start = np.asarray(starts, dtype=float)
    if not start.size:
        return []
    order = np.argsort(start, kind="stable")
    start, end = start[order], np.asarray(ends, dtype=float)[order]
    reach = np.maximum.accumulate(end)  # the furthest end so far
    first = np.flatnonzero(np.concatenate([[True], start[1:] > reach[:-1] + gap_km]))
    last = np.concatenate([first[1:] - 1, [len(start) - 1]])
    return list(zip(start[first].tolist(), reach[last].tolist(), strict=True))
