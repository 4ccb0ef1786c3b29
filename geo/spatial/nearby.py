"""Nearest boundary points of zones around a point, in geodesic kilometres.

Candidate boundary segments come from an STR-tree over all zone edges; the nearest point of
each is found in a local equirectangular frame (longitude scaled by cos(latitude)), and the
distance and bearing to it are then measured on the WGS84 ellipsoid. Within a few tens of
kilometres the frame changes which point is nearest by far less than the 0.5 % tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

__all__ = ["GEOD", "BoundaryIndex", "Edges", "NearestPoint", "search_box", "segment_metres"]

GEOD = Geod(ellps="WGS84")
# Shortest length of one degree of latitude and of longitude at the equator, in km.
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON = 111.320


#: Segments shorter than this in both latitude and longitude (about a kilometre) are measured
#: by the ellipsoid's local metric; longer ones by ``GEOD.inv``.
_SHORT_DEG = 0.01


def segment_metres(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Geodesic length of each segment on ``GEOD``'s ellipsoid, in metres: every length along a
    route comes from here.

    Segments under ``_SHORT_DEG`` each way (GPS tracks: a vertex every few metres) are measured
    by the ellipsoid's first fundamental form at their middle latitude, sqrt((M dphi)^2 +
    (N cos(phi) dlambda)^2), whose relative error is of the order of (length / radius)^2, below
    2e-7 at a kilometre (``tests/test_route.py`` compares it with ``GEOD.inv``); ``GEOD.inv``
    costs 0.4 microseconds a segment, a quarter of a 100,000-vertex route's check. Longer
    segments are measured by ``GEOD.inv``.
    """
    lon1, lat1, lon2, lat2 = (np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2))
    dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    dlat = lat2 - lat1
    phi = np.radians((lat1 + lat2) / 2)
    w2 = 1.0 - GEOD.es * np.sin(phi) ** 2
    meridian = GEOD.a * (1.0 - GEOD.es) / w2**1.5  # M, radius of curvature along the meridian
    normal = GEOD.a / np.sqrt(w2)  # N, in the prime vertical
    metres = np.hypot(meridian * np.radians(dlat), normal * np.cos(phi) * np.radians(dlon))
    long = (np.abs(dlat) >= _SHORT_DEG) | (np.abs(dlon) >= _SHORT_DEG)
    if long.any():
        metres[long] = GEOD.inv(lon1[long], lat1[long], lon2[long], lat2[long])[2]
    return metres


def search_box(
    minx: float, miny: float, maxx: float, maxy: float, radius_km: float
) -> tuple[float, float, float, float]:
    """A lon/lat box holding every place within ``radius_km`` of the box given, on the
    ellipsoid (longitude degrees measured at the box's most poleward reach).

    Examples
    --------
    >>> [round(v, 3) for v in search_box(-77.0, -12.0, -77.0, -12.0, 10.0)]
    [-77.093, -12.091, -76.907, -11.909]
    """
    dlat = radius_km / _KM_PER_DEG_LAT * 1.01
    coslat = max(math.cos(math.radians(min(max(abs(miny), abs(maxy)) + dlat, 90.0))), 1e-6)
    dlon = min(radius_km / (_KM_PER_DEG_LON * coslat) * 1.01, 360.0)
    return minx - dlon, miny - dlat, maxx + dlon, maxy + dlat


@dataclass(frozen=True)
class NearestPoint:
    """The nearest point of one geometry: its index, geodesic km, bearing from the query."""

    owner: int
    distance_km: float
    bearing_deg: float
    lon: float
    lat: float


#: Edges per leaf of a neighbour's edge tree (``Edges.of(..., run=RUN)``): one box per run of
#: this many consecutive edges, a few thousand objects for a pack of 100,000 edges, not one each
#: (a shapely line per edge costs about 300 bytes); the edges of the runs a query meets are then
#: tested in numpy. The home pack, where most routes are checked, keeps one line per edge: a
#: 100,000-vertex route's edge pairs come straight from the tree, three times faster.
RUN = 16


@dataclass(frozen=True)
class Edges:
    """Every ring edge of several polygons: start and end points, the polygon each belongs to,
    and an STR-tree of the boxes of runs of ``RUN`` consecutive edges."""

    a: np.ndarray
    b: np.ndarray
    owner: np.ndarray
    tree: shapely.STRtree
    #: Each edge's envelope: min x, min y, max x, max y.
    envelope: np.ndarray
    #: Consecutive edges per leaf of ``tree`` (1: a line per edge).
    run: int = 1

    @classmethod
    def of(cls, geometries: Sequence[BaseGeometry], run: int = 1) -> Edges:
        starts, ends, owners = [], [], []
        for owner, geometry in enumerate(geometries):
            for ring in shapely.get_rings(shapely.get_parts(geometry)):
                xy = shapely.get_coordinates(ring)
                starts.append(xy[:-1])
                ends.append(xy[1:])
                owners.append(np.full(len(xy) - 1, owner))
        if not starts:  # no polygon (a pack of country-wide levels only)
            starts, ends, owners = [np.zeros((0, 2))], [np.zeros((0, 2))], [np.zeros(0, dtype=int)]
        a, b = np.concatenate(starts), np.concatenate(ends)
        # The tree indexes envelopes: a two-point line's is the edge's box, and lines are made
        # in half the time of boxes (a quarter of a cold `riskzones check`).
        low, high = np.minimum(a, b), np.maximum(a, b)
        if run == 1:
            # The tree indexes envelopes: a two-point line's is the edge's box, and lines are
            # made in half the time of boxes.
            tree = shapely.STRtree(shapely.linestrings(np.stack([a, b], axis=1)))
        else:
            starts_at = np.arange(0, len(a), run)
            run_lo = np.minimum.reduceat(low, starts_at) if len(a) else np.zeros((0, 2))
            run_hi = np.maximum.reduceat(high, starts_at) if len(a) else np.zeros((0, 2))
            tree = shapely.STRtree(shapely.box(run_lo[:, 0], run_lo[:, 1], run_hi[:, 0], run_hi[:, 1]))
        return cls(a, b, np.concatenate(owners), tree, np.hstack([low, high]), run)

    def overlapping(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (box, edge): every edge whose envelope meets box ``k`` (corners ``lo[k]``,
        ``hi[k]``; edges touching it count), ordered by box, then edge."""
        lo, hi = np.atleast_2d(lo), np.atleast_2d(hi)
        box, run = self.tree.query(shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1]))
        if self.run == 1:
            return box, run  # the tree's leaves are the edges
        order = np.lexsort((run, box))
        box, run = box[order], run[order]
        first = run * self.run
        counts = np.minimum(self.run, len(self.a) - first)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        box = np.repeat(box, counts)
        edge = np.repeat(first, counts) + offsets
        envelope = self.envelope[edge]
        meets = ((envelope[:, :2] <= hi[box]) & (envelope[:, 2:] >= lo[box])).all(axis=1)
        return box[meets], edge[meets]

    def meeting(self, west: float, south: float, east: float, north: float) -> np.ndarray:
        """The edges whose envelope meets one box (``overlapping`` for a single box, in fewer
        steps: the nearby search asks this once per answer)."""
        runs = self.tree.query(shapely.box(west, south, east, north))
        if not runs.size or self.run == 1:
            return runs
        edge = (runs[:, None] * self.run + np.arange(self.run)).ravel()
        edge = edge[edge < len(self.a)]
        box = self.envelope[edge]
        meets = (box[:, 0] <= east) & (box[:, 2] >= west) & (box[:, 1] <= north) & (box[:, 3] >= south)
        return edge[meets]


class BoundaryIndex:
    """All edges of ``geometries``, indexed for nearest-point queries within a radius."""

    def __init__(self, geometries: Sequence[BaseGeometry], run: int = 1) -> None:
        self.edges = Edges.of(geometries, run)
        self._a, self._b, self._owner = self.edges.a, self.edges.b, self.edges.owner
        self._count = len(geometries)

    def within(
        self,
        lon: float,
        lat: float,
        radius_km: float,
        skip: frozenset[int] = frozenset(),
        only: int | None = None,
    ) -> list[NearestPoint]:
        """Nearest point of each geometry whose boundary is within ``radius_km``, nearest first;
        geometries in ``skip`` (e.g. those covering the point), or all but ``only``, are left
        out before any work."""
        found = self.edges.meeting(*search_box(lon, lat, lon, lat, radius_km))
        if not found.size:
            return []
        coslat = max(math.cos(math.radians(lat)), 1e-6)
        if skip:
            skipped = np.zeros(self._count, dtype=bool)
            skipped[list(skip)] = True
            found = found[~skipped[self._owner[found]]]
        if only is not None:
            found = found[self._owner[found] == only]
        if not found.size:
            return []
        a, b, owner = self._a[found], self._b[found], self._owner[found]
        scale = np.array([coslat, 1.0])
        p = np.array([lon, lat]) * scale
        sa, sb = a * scale, b * scale
        ab = sb - sa
        length2 = np.einsum("ij,ij->i", ab, ab)
        t = np.clip(np.einsum("ij,ij->i", p - sa, ab) / np.where(length2 > 0, length2, 1), 0, 1)
        nearest = a + t[:, None] * (b - a)
        d2 = np.einsum("ij,ij->i", (nearest - [lon, lat]) * scale, (nearest - [lon, lat]) * scale)
        order = np.lexsort((d2, owner))
        first = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
        points = nearest[first]
        count = len(first)
        azimuth, _, metres = GEOD.inv(np.full(count, lon), np.full(count, lat), points[:, 0], points[:, 1])
        results = [
            NearestPoint(
                owner=int(owner[i]),
                distance_km=float(metres[k] / 1000),
                bearing_deg=float(azimuth[k] % 360),
                lon=float(points[k, 0]),
                lat=float(points[k, 1]),
            )
            for k, i in enumerate(first)
            if metres[k] / 1000 <= radius_km
        ]
        return sorted(results, key=lambda r: (r.distance_km, r.owner))
