"""How close a route comes to the zones it does not cross: by the point check's distance rule
(geodesic km to the nearest boundary point), at the route's nearest vertices."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.engine.day import PackDay
from geo.engine.index import ZoneIndex
from geo.spatial.nearby import search_box

__all__ = ["Approach", "closest_approaches"]

#: Route length one vertex stands for in the coarse closest-approach pass, in km.
_GROUP_KM = 0.1
#: Vertices measured exactly per zone in the closest-approach search.
_CANDIDATES = 48


@dataclass(frozen=True)
class Approach:
    """The closest the route comes to a zone it does not cross."""

    id: str
    name: str
    level: int
    status: str
    distance_km: float
    route_point: tuple[float, float]
    route_km: float
    zone_point: tuple[float, float]


def closest_approaches(
    index: ZoneIndex,
    tree: shapely.STRtree,
    boundaries: list[BaseGeometry],
    dense: list[tuple[np.ndarray, np.ndarray]],
    offsets: list[float],
    crossed: set[int],
    today: PackDay,
    radius_km: float,
) -> list[Approach]:
    """The closest approach of each zone not ``crossed`` within ``radius_km``, by the point
    check's distance rule; ``tree`` and ``boundaries`` index the zones of ``index``.

    Candidate vertices are found in a transverse Mercator frame centred on the route
    (conformal: its distances are within 1 % of geodesic ones over Peru's width); the
    distance reported is the point check's nearest-boundary distance at the best of them.
    """
    zones = index.pack.zones
    coords = np.concatenate([c for c, _ in dense])
    along = np.concatenate([a + offsets[k] for k, (_, a) in enumerate(dense)])
    part_of = np.concatenate([np.full(len(c), k) for k, (c, _) in enumerate(dense)])
    best: dict[int, Approach] = {}
    projected: dict[tuple[float, float], np.ndarray] = {}  # the route in each frame used
    whole = _Frame(coords) if _Frame.fits(coords) else None  # one frame, one projection
    for found in tree.query(_window(*_extent(coords), radius_km)).tolist():
        if found in crossed or zones[found].kind != "zone":
            continue
        lo, hi = np.reshape(zones[found].geometry.bounds, (2, 2))
        reach = _window(lo, hi, radius_km).bounds
        sel = np.flatnonzero(
            (coords[:, 0] >= reach[0])
            & (coords[:, 1] >= reach[1])
            & (coords[:, 0] <= reach[2])
            & (coords[:, 1] <= reach[3])
        )
        if not sel.size:
            continue
        frame = whole or _Frame(coords[sel])
        if frame.key not in projected:
            projected[frame.key] = frame.forward(coords)
        xy = projected[frame.key][sel]
        # Only the boundary within reach of these vertices can be nearest: project that.
        span = _window(*_extent(coords, sel), radius_km).bounds
        boundary = frame.project(shapely.clip_by_rect(boundaries[found], *span))
        if boundary.is_empty:
            continue
        shapely.prepare(boundary)
        breaks = np.flatnonzero((np.diff(sel) != 1) | (np.diff(part_of[sel]) != 0)) + 1
        near = _nearest_vertices(boundary, xy, along[sel], breaks, radius_km * 1000 * 1.01 + 1000)
        if not near.size:
            continue
        order = sel[near[:_CANDIDATES]]
        for k in order.tolist():
            hits = index.nearest_boundaries(float(coords[k, 0]), float(coords[k, 1]), radius_km, only=found)
            if not hits or (found in best and best[found].distance_km <= round(hits[0].distance_km, 3)):
                continue
            hit = hits[0]
            best[found] = Approach(
                id=zones[found].id,
                name=zones[found].name,
                level=zones[found].level,
                status=today.status[found],
                distance_km=round(hit.distance_km, 3),
                route_point=(round(float(coords[k, 0]), 6), round(float(coords[k, 1]), 6)),
                route_km=round(float(along[k]), 3),
                zone_point=(round(hit.lon, 6), round(hit.lat, 6)),
            )
    return sorted(best.values(), key=lambda a: (a.distance_km, a.id))


def _nearest_vertices(
    boundary: BaseGeometry, xy: np.ndarray, along: np.ndarray, breaks: np.ndarray, limit: float
) -> np.ndarray:
    """Positions of the vertices ``xy`` (frame metres) nearest ``boundary``, nearest first: all
    within a margin of the nearest (none when none is within ``limit`` metres).

    A coarse pass first: the first vertex of every ``_GROUP_KM`` of route (and of every run)
    stands for its group. No vertex of a group is nearer the boundary than its first vertex's
    distance minus the group's length along the route, so only groups that can hold a vertex
    within the margin of the nearest first vertex are measured vertex by vertex.
    """
    start = np.zeros(len(xy), dtype=bool)
    start[0] = True
    start[breaks] = True
    key = np.floor(along / _GROUP_KM)
    start[1:] |= key[1:] != key[:-1]
    first = np.flatnonzero(start)
    last = np.r_[first[1:], len(xy)] - 1
    spread = (along[last] - along[first]) * 1000 * 1.01  # frame scale within 1 %
    distance = shapely.distance(boundary, shapely.points(xy[first]))
    if float(np.min(distance - spread)) > limit:
        return np.zeros(0, dtype=np.intp)
    # Dense vertices lie within 0.25 km of their segment's ends: 300 m of margin keeps every
    # vertex whose point check could be the nearest.
    threshold = float(distance.min()) * 1.011 + 300.0
    close = distance - spread <= threshold
    members = np.concatenate([np.arange(a, b + 1) for a, b in zip(first[close], last[close], strict=True)])
    exact = shapely.distance(boundary, shapely.points(xy[members]))
    keep = exact <= threshold
    return members[keep][np.argsort(exact[keep], kind="stable")]


class _Frame:
    """A transverse Mercator frame centred on some vertices, in metres."""

    #: Widest span, in degrees of longitude and latitude, of vertices one frame serves: 4
    #: degrees (about 440 km) from the central meridian, the scale is within 0.3 % of 1.
    SPAN_DEG = 8.0

    @staticmethod
    def fits(coords: np.ndarray) -> bool:
        """Whether one frame centred on ``coords`` keeps them all within ``SPAN_DEG``."""
        lo, hi = _extent(coords)
        span = hi - lo
        return bool(span[0] <= _Frame.SPAN_DEG and span[1] <= _Frame.SPAN_DEG)

    def __init__(self, coords: np.ndarray) -> None:
        lon0 = float((coords[:, 0].min() + coords[:, 0].max()) / 2)
        lat0 = float((coords[:, 1].min() + coords[:, 1].max()) / 2)
        # The frame only ranks candidates (distances are then geodesic), so its centre may be
        # rounded to half a degree, and the transformers (~12 ms to create) reused.
        self.key = (round(lon0 * 2) / 2, round(lat0 * 2) / 2)
        self._to = _transformer(*self.key)

    def forward(self, coords: np.ndarray) -> np.ndarray:
        x, y = self._to.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geometry, self.forward)


@functools.lru_cache(maxsize=512)
def _transformer(lon0: float, lat0: float) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=tmerc +lon_0={lon0} +lat_0={lat0} +ellps=WGS84 +units=m", always_xy=True
    )


def _extent(coords: np.ndarray, sel: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest lon and lat of ``coords`` (of the rows ``sel``), column by column:
    ``min(axis=0)`` across an (n, 2) array is twenty times slower."""
    lon, lat = (coords[:, 0], coords[:, 1]) if sel is None else (coords[sel, 0], coords[sel, 1])
    return np.array([lon.min(), lat.min()]), np.array([lon.max(), lat.max()])


def _window(lo: np.ndarray, hi: np.ndarray, radius_km: float) -> BaseGeometry:
    """A lon/lat box holding every place within ``radius_km`` of the box ``lo``-``hi``."""
    return shapely.box(*search_box(lo[0], lo[1], hi[0], hi[1], radius_km))
