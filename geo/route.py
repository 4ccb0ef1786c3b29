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
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

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

MAX_SEGMENT_KM = 1.0
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
        exceptions: dict[str, list[BaseGeometry]] = {}
        for zone in zones:
            if zone.kind == "exception" and zone.parent:
                exceptions.setdefault(zone.parent, []).append(zone.geometry)
        # Where a parent zone applies: its area minus its exceptions.
        self._effective = {
            z.id: z.geometry.difference(shapely.union_all(exceptions[z.id]))
            if z.id in exceptions
            else z.geometry
            for z in zones
        }
        self._tree = shapely.STRtree([z.geometry for z in zones])
        mid = sum(index.pack.coverage.bounds[1::2]) / 2
        self._scale = math.cos(math.radians(mid))
        self._scaled = [shapely.transform(z.geometry, lambda xy: xy * [self._scale, 1.0]) for z in zones]
        for geometry in (*self._effective.values(), *self._scaled):
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
        for part, line in enumerate(lines):
            for i in self._tree.query(line, predicate="intersects"):
                hit = self._crossings(zones[int(i)], line, dense[part], offsets[part], day)
                found[int(i)] = _merge(found.get(int(i)), hit)
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
        coverage_bit = 1 << len(self.index.pack.zones)
        km = 0.0
        for coords, along in dense:
            covered = (
                self.index._grid.covering(coords[:, 0], coords[:, 1]).astype(np.int64) & coverage_bit
            ) != 0
            if len(coords) > 1:
                both = covered[:-1] & covered[1:]
                km += float(np.diff(along)[both].sum())
        return km

    def _crossings(
        self,
        zone: Zone,
        line: BaseGeometry,
        dense: tuple[np.ndarray, np.ndarray],
        offset: float,
        day: dt.date,
    ) -> ZoneOnRoute:
        coords, along = dense
        inside = line.intersection(zone.geometry)
        effective = (
            line.intersection(self._effective[zone.id])
            if self._effective[zone.id] is not zone.geometry
            else inside
        )
        planar = (
            np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(coords, axis=0).T))])
            if len(coords) > 1
            else np.zeros(1)
        )
        crossings = []
        for piece in shapely.get_parts(
            shapely.line_merge(inside, directed=True) if inside.geom_type == "MultiLineString" else inside
        ):
            xy = shapely.get_coordinates(piece)
            if not len(xy):
                continue
            # A piece is a stretch of the route: it ends its own planar length after it starts.
            start = line.project(Point(xy[0])) if line.geom_type == "LineString" else 0.0
            stop = min(start + piece.length, planar[-1])
            enter_km, exit_km = (float(np.interp(p, planar, along)) + offset for p in (start, stop))
            crossings.append(
                Crossing(
                    enter=(round(float(xy[0, 0]), 6), round(float(xy[0, 1]), 6)),
                    exit=(round(float(xy[-1, 0]), 6), round(float(xy[-1, 1]), 6)),
                    enter_km=round(enter_km, 3),
                    exit_km=round(exit_km, 3),
                    inside_km=round(_length_km(piece), 3),
                )
            )
        crossings.sort(key=lambda c: c.enter_km)
        inside_km = sum(c.inside_km for c in crossings)
        has_exceptions = self._effective[zone.id] is not zone.geometry
        effective_km = (
            inside_km if not has_exceptions else (0.0 if effective.is_empty else _length_km(effective))
        )
        status = status_on(zone, day)
        return ZoneOnRoute(
            id=zone.id,
            name=zone.name,
            kind=zone.kind,
            level=zone.level,
            status=status,
            status_text=status_text(zone, status),
            raises_level=status == "in_force" and (effective_km > 0 or inside_km == 0),
            inside_km=round(effective_km, 3),
            excepted_km=round(max(inside_km - effective_km, 0.0), 3),
            crossings=tuple(crossings),
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
                shapely.simplify(line, _SIMPLIFY_DEG), lambda xy: xy * [self._scale, 1.0]
            )
            for i in self._tree.query(
                line.buffer(pad, quad_segs=2)
                if False
                else shapely.box(*np.add(line.bounds, [-pad, -pad, pad, pad]))
            ):
                i = int(i)
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


def as_dict(result: Any) -> dict[str, Any]:
    """JSON-ready dictionary of a route result."""
    from dataclasses import asdict

    return asdict(result)
