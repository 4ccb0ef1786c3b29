"""Route checks: which zones a planned route crosses, where, for how long, and how close the
others come.

The route is first densified along geodesics (no segment longer than ``MAX_SEGMENT_KM``), so a
long straight segment follows the ellipsoid and cannot jump across a zone. Crossings come from
exact line-polygon overlays; lengths and distances are geodesic kilometres.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geo.crossings import EdgeIndex
from geo.formats import Route
from geo.index import ZoneIndex
from geo.nearby import GEOD
from geo.pack import LEVEL_LABELS, Zone
from geo.status import parse_date, status_on, status_text

__all__ = [
    "MAX_SEGMENT_KM",
    "VERDICTS",
    "Approach",
    "Crossing",
    "RouteChecker",
    "RouteResult",
    "ZoneOnRoute",
    "densify",
]

#: Shorter than a grid cell (0.01 degrees, 1.1 km north-south), as geo.crossings requires.
MAX_SEGMENT_KM = 0.5
#: How far beyond the corridor closest approaches are reported.
NEAR_KM = 25.0
VERDICTS = {4: "do_not_travel", 3: "reconsider", 2: "caution", 1: "ok"}
_SIMPLIFY_DEG = 0.0002  # about 20 m: only for closest-approach searches


@dataclass(frozen=True)
class Crossing:
    """One stretch of the route inside a zone: where it enters and leaves, in km along."""

    enter: tuple[float, float]
    exit: tuple[float, float]
    enter_km: float
    exit_km: float
    inside_km: float


@dataclass(frozen=True)
class ZoneOnRoute:
    """A zone the route crosses (or, with a corridor, passes within ``corridor_km`` of)."""

    id: str
    name: str
    kind: str
    level: int
    status: str
    status_text: str
    raises_level: bool
    inside_km: float
    excepted_km: float
    crossings: tuple[Crossing, ...]
    within_corridor_km: float | None = None


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


@dataclass(frozen=True)
class RouteResult:
    """The answer for one route on one date."""

    verdict: str
    max_level: int | None
    label: str | None
    length_km: float
    covered_km: float
    vertices: int
    date: str
    corridor_km: float
    zones: tuple[ZoneOnRoute, ...]
    near: tuple[Approach, ...]
    reasons: tuple[str, ...] = field(default_factory=tuple)


def densify(part: np.ndarray, max_km: float = MAX_SEGMENT_KM) -> tuple[np.ndarray, np.ndarray]:
    """Vertices with geodesic intermediate points on long segments, and km along each vertex."""
    if len(part) < 2:
        return part, np.zeros(len(part))
    _, _, metres = GEOD.inv(part[:-1, 0], part[:-1, 1], part[1:, 0], part[1:, 1])
    long = np.flatnonzero(metres > max_km * 1000)
    if long.size:
        pieces, start = [], 0
        for i in (int(k) for k in long):
            pieces.append(part[start : i + 1])
            steps = math.ceil(metres[i] / (max_km * 1000)) - 1
            inner = GEOD.npts(part[i, 0], part[i, 1], part[i + 1, 0], part[i + 1, 1], steps)
            pieces.append(np.array(inner, dtype=float).reshape(-1, 2))
            start = i + 1
        pieces.append(part[start:])
        part = np.concatenate(pieces)
        _, _, metres = GEOD.inv(part[:-1, 0], part[:-1, 1], part[1:, 0], part[1:, 1])
    return part, np.concatenate([[0.0], np.cumsum(metres) / 1000])


def _length_km(geometry: BaseGeometry) -> float:
    return float(GEOD.geometry_length(geometry)) / 1000


class RouteChecker:
    """Route checks against one index; build once (it prepares the zones' overlays)."""

    def __init__(self, index: ZoneIndex) -> None:
        self.index = index
        zones = index.pack.zones
        # Exceptions of each parent, by position: inside them the parent does not apply.
        self._children: dict[str, tuple[int, ...]] = {}
        for i, zone in enumerate(zones):
            if zone.kind == "exception" and zone.parent:
                self._children[zone.parent] = (*self._children.get(zone.parent, ()), i)
        self._tree = shapely.STRtree([z.geometry for z in zones])
        self._edges = EdgeIndex([z.geometry for z in zones])
        mid = sum(index.pack.coverage.bounds[1::2]) / 2
        self._scale = math.cos(math.radians(mid))
        self._scaled = [shapely.transform(z.geometry, lambda xy: xy * [self._scale, 1.0]) for z in zones]
        for geometry in (*(z.geometry for z in zones), *self._scaled):
            shapely.prepare(geometry)

    def check(
        self, route: Route, *, date: str | dt.date | None = None, corridor_km: float = 0.0
    ) -> RouteResult:
        """Check ``route`` on ``date``; zones within ``corridor_km`` count as touched."""
        day = parse_date(date)
        zones = self.index.pack.zones
        dense = [densify(p) for p in route.parts]
        lines, offsets, total = [], [], 0.0
        for coords, km in dense:
            lines.append(LineString(coords) if len(coords) > 1 else Point(coords[0]))
            offsets.append(total)
            total += float(km[-1])
        covered_km = self._covered_km(dense)
        found: dict[int, ZoneOnRoute] = {}
        for part, (coords, along) in enumerate(dense):
            cells = self.index.cell_bits(coords[:, 0], coords[:, 1])
            present = int(np.bitwise_or.reduce(cells[0] | cells[1])) if len(coords) else 0
            for i, zone in enumerate(zones):
                if not present >> i & 1:
                    continue
                hit = self._crossings(i, zone, (coords, along), cells, offsets[part], day)
                if hit is not None:
                    found[i] = _merge(found.get(i), hit)
        near = self._near(lines, dense, offsets, set(found), day, max(corridor_km, NEAR_KM))
        for approach in near:
            if approach.distance_km <= corridor_km:
                i = next(k for k, z in enumerate(zones) if z.id == approach.id)
                zone = zones[i]
                status = status_on(zone, day)
                found[i] = ZoneOnRoute(
                    zone.id,
                    zone.name,
                    zone.kind,
                    zone.level,
                    status,
                    status_text(zone, status),
                    status == "in_force" and zone.kind == "zone",
                    0.0,
                    0.0,
                    (),
                    approach.distance_km,
                )
        hits = tuple(found[i] for i in sorted(found))
        beyond = tuple(a for a in near if a.distance_km > corridor_km)
        return _result(self.index, hits, beyond, total, covered_km, route, day, corridor_km)

    def _covered_km(self, dense: list[tuple[np.ndarray, np.ndarray]]) -> float:
        km = 0.0
        for coords, along in dense:
            covered = self.index.classify(coords[:, 0], coords[:, 1]).covered
            if len(coords) > 1:
                both = covered[:-1] & covered[1:]
                km += float(np.diff(along)[both].sum())
        return km

    def _crossings(
        self,
        position: int,
        zone: Zone,
        dense: tuple[np.ndarray, np.ndarray],
        cells: tuple[np.ndarray, np.ndarray],
        offset: float,
        day: dt.date,
    ) -> ZoneOnRoute | None:
        coords, along = dense
        full, edge = cells
        bit = 1 << position
        intervals = self._edges.inside_intervals(
            position, coords, along, (full & bit) != 0, (edge & bit) != 0
        )
        if not intervals:
            return None
        excepted_km = 0.0
        for child in self._children.get(zone.id, ()):
            child_bit = 1 << child
            inner = self._edges.inside_intervals(
                child, coords, along, (full & child_bit) != 0, (edge & child_bit) != 0
            )
            excepted_km += float(sum(end - start for start, end in inner))
        lon = np.interp([k for i in intervals for k in i], along, coords[:, 0])
        lat = np.interp([k for i in intervals for k in i], along, coords[:, 1])
        crossings = tuple(
            Crossing(
                enter=(round(float(lon[2 * i]), 6), round(float(lat[2 * i]), 6)),
                exit=(round(float(lon[2 * i + 1]), 6), round(float(lat[2 * i + 1]), 6)),
                enter_km=round(start + offset, 3),
                exit_km=round(end + offset, 3),
                inside_km=round(end - start, 3),
            )
            for i, (start, end) in enumerate(intervals)
        )
        inside_km = float(sum(end - start for start, end in intervals))
        effective_km = max(inside_km - excepted_km, 0.0)
        status = status_on(zone, day)
        return ZoneOnRoute(
            id=zone.id,
            name=zone.name,
            kind=zone.kind,
            level=zone.level,
            status=status,
            status_text=status_text(zone, status),
            # A route that only touches a zone (0 km) still counts; one wholly inside the
            # zone's exception does not.
            raises_level=status == "in_force" and (effective_km > 1e-6 or inside_km <= 1e-6),
            inside_km=round(effective_km, 3),
            excepted_km=round(min(excepted_km, inside_km), 3),
            crossings=crossings,
        )

    def _near(
        self,
        lines: list[BaseGeometry],
        dense: list[tuple[np.ndarray, np.ndarray]],
        offsets: list[float],
        crossed: set[int],
        day: dt.date,
        radius_km: float,
    ) -> list[Approach]:
        zones = self.index.pack.zones
        pad = radius_km / 110.0 / self._scale
        best: dict[int, Approach] = {}
        for part, line in enumerate(lines):
            scaled = shapely.transform(
                shapely.simplify(line, _SIMPLIFY_DEG, preserve_topology=False),
                lambda xy: xy * [self._scale, 1.0],
            )
            # Zones whose envelope comes within the radius of the route's envelope.
            window = shapely.box(*np.add(line.bounds, [-pad, -pad, pad, pad]))
            for found in self._tree.query(window):
                i = int(found)
                zone = zones[i]
                if i in crossed or zone.kind != "zone":
                    continue
                a, b = shapely.get_coordinates(shapely.shortest_line(scaled, self._scaled[i]))
                route_pt, zone_pt = a / [self._scale, 1.0], b / [self._scale, 1.0]
                _, _, metres = GEOD.inv(route_pt[0], route_pt[1], zone_pt[0], zone_pt[1])
                km = metres / 1000
                if km > radius_km or (i in best and best[i].distance_km <= km):
                    continue
                coords, along = dense[part]
                nearest_vertex = int(np.argmin(np.hypot(*(coords - route_pt).T)))
                best[i] = Approach(
                    id=zone.id,
                    name=zone.name,
                    level=zone.level,
                    status=status_on(zone, day),
                    distance_km=round(float(km), 3),
                    route_point=(round(float(route_pt[0]), 6), round(float(route_pt[1]), 6)),
                    route_km=round(float(along[nearest_vertex]) + offsets[part], 3),
                    zone_point=(round(float(zone_pt[0]), 6), round(float(zone_pt[1]), 6)),
                )
        return sorted(best.values(), key=lambda a: a.distance_km)


def _merge(old: ZoneOnRoute | None, new: ZoneOnRoute) -> ZoneOnRoute:
    if old is None:
        return new
    return ZoneOnRoute(
        new.id,
        new.name,
        new.kind,
        new.level,
        new.status,
        new.status_text,
        old.raises_level or new.raises_level,
        round(old.inside_km + new.inside_km, 3),
        round(old.excepted_km + new.excepted_km, 3),
        old.crossings + new.crossings,
    )


def _result(
    index: ZoneIndex,
    hits: tuple[ZoneOnRoute, ...],
    near: tuple[Approach, ...],
    length: float,
    covered: float,
    route: Route,
    day: dt.date,
    corridor_km: float,
) -> RouteResult:
    reasons: list[str] = []
    if covered == 0 and not hits:
        reasons.append("no part of the route lies inside the pack's coverage: nothing can be said")
        return RouteResult(
            "not_covered",
            None,
            None,
            round(length, 3),
            0.0,
            route.vertices,
            day.isoformat(),
            corridor_km,
            hits,
            near,
            tuple(reasons),
        )
    level = index.pack.baseline.level
    for hit in hits:
        where = (
            f"passes within {hit.within_corridor_km:.1f} km"
            if hit.within_corridor_km is not None
            else f"crosses it for {hit.inside_km:.1f} km"
        )
        if hit.kind == "exception":
            reasons.append(
                f"{hit.name}: the route {where}; inside it the parent zone does not raise the level"
            )
        elif hit.raises_level:
            level = max(level, hit.level)
            reasons.append(
                f"{hit.name} (level {hit.level}, {LEVEL_LABELS[hit.level].lower()}): the route {where}"
            )
        elif hit.excepted_km and not hit.inside_km:
            reasons.append(f"{hit.name}: the route is only inside its exception ({hit.excepted_km:.1f} km)")
        else:
            reasons.append(
                f"{hit.name}: the route {where}, but the zone is {hit.status_text}; "
                "it does not raise the level"
            )
    if covered < length - 0.01:
        reasons.append(f"{length - covered:.1f} km of the route lie outside the pack's coverage")
    if level == index.pack.baseline.level:
        reasons.append(f"baseline for the country: level {level} ({LEVEL_LABELS[level].lower()})")
    return RouteResult(
        VERDICTS[level],
        level,
        LEVEL_LABELS[level],
        round(length, 3),
        round(covered, 3),
        route.vertices,
        day.isoformat(),
        corridor_km,
        hits,
        near,
        tuple(reasons),
    )
