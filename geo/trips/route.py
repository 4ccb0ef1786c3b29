"""Route checks: which zones a planned route crosses, where, for how long, and how close the
others come.

The route is first densified along geodesics (no segment longer than ``MAX_SEGMENT_KM``), so a
long straight segment follows the ellipsoid and cannot jump across a zone. Crossings come from
exact line-polygon overlays; lengths and distances are geodesic kilometres.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.engine.advisories import GovernmentAnswer, disagree
from geo.engine.day import PackDay
from geo.engine.index import ZoneIndex
from geo.io.formats import Route
from geo.pack.status import status_text
from geo.spatial.crossings import EdgeIndex, merge_intervals
from geo.spatial.nearby import GEOD, segment_metres
from geo.trips.approach import closest_approaches
from geo.trips.verdict import Crossing, RouteResult, ZoneOnRoute, route_result

__all__ = ["MAX_SEGMENT_KM", "NEAR_KM", "SLIVER_KM", "RouteChecker", "densify"]

#: Shorter than a grid cell (0.01 degrees, 1.1 km north-south), as geo.spatial.crossings requires.
MAX_SEGMENT_KM = 0.5
#: How far beyond the corridor closest approaches are reported.
NEAR_KM = 25.0


def densify(part: np.ndarray, max_km: float = MAX_SEGMENT_KM) -> tuple[np.ndarray, np.ndarray]:
    """Vertices with geodesic intermediate points on long segments, and km along each vertex."""
    if len(part) < 2:
        return part, np.zeros(len(part))
    metres = segment_metres(part[:-1, 0], part[:-1, 1], part[1:, 0], part[1:, 1])
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
        metres = segment_metres(part[:-1, 0], part[:-1, 1], part[1:, 0], part[1:, 1])
    return part, np.concatenate([[0.0], np.cumsum(metres) / 1000])


def _length_km(geometry: BaseGeometry) -> float:
    return float(GEOD.geometry_length(geometry)) / 1000


Interval = tuple[float, float]


class RouteChecker:
    """Route checks against one index; build once (it prepares the zones' overlays).

    Where the route is inside a zone comes from exact cuts of its segments by the zone's edges;
    which of those stretches count is decided by the index's level rule, stretch by stretch
    (inside an exception in force, the parent does not count); how close other zones come is
    measured with the point check's own nearest-boundary search at the route's vertices.
    """

    def __init__(self, index: ZoneIndex) -> None:
        self.index = index
        zones = index.pack.zones
        self._tree = shapely.STRtree([z.geometry for z in zones])
        self._edges = EdgeIndex([z.geometry for z in zones], index.edges)
        self._boundaries = [shapely.boundary(z.geometry) for z in zones]

    def check(
        self,
        route: Route,
        *,
        date: str | dt.date | None = None,
        corridor_km: float = 0.0,
        advisory: object = None,
    ) -> RouteResult:
        """Check ``route`` on ``date`` for ``advisory`` (a government of the pack, default
        ``us``); zones within ``corridor_km`` count as touched."""
        today = self.index.on(self.index.pack.date(date))
        government = self.index.rule.advisory(advisory)
        dense = [densify(p) for p in route.parts]
        offsets, total = [], 0.0
        for _coords, km in dense:
            offsets.append(total)
            total += float(km[-1])
        covered_km, any_covered = self._covered(dense, today)
        intervals: dict[int, list[Interval]] = {}
        grid = self.index.grid
        for part, (coords, along) in enumerate(dense):
            cells = grid.patterns(coords[:, 0], coords[:, 1])
            # The last layer is the pack's coverage, not a zone.
            layers = [i for i in grid.present(cells).tolist() if i < len(self.index.pack.zones)]
            if not layers:
                continue
            full, edge = grid.cells(cells, layers)
            for i, found in self._edges.inside_intervals(layers, coords, along, full, edge).items():
                intervals.setdefault(i, []).extend((a + offsets[part], b + offsets[part]) for a, b in found)
        found_zones = {
            i: self._on_route(i, merge_intervals(*_columns(spans)), intervals, dense, offsets, today)
            for i, spans in intervals.items()
            if spans
        }
        near = closest_approaches(
            self.index,
            self._tree,
            self._boundaries,
            dense,
            offsets,
            set(found_zones),
            today,
            max(corridor_km, NEAR_KM),
        )
        for approach in near:
            if approach.distance_km <= corridor_km:
                i = self.index.pack.position(approach.id)
                decision = today.decide([i], advisory=self._view(i))
                if i not in decision.status:
                    continue  # a zone its own government does not count on the day (a text not in force)
                zone = self.index.pack.zones[i]
                status = decision.status[i]
                found_zones[i] = ZoneOnRoute(
                    zone.id,
                    zone.name,
                    zone.kind,
                    zone.level,
                    status,
                    status_text(zone, status, today.day),
                    i in decision.raising,
                    0.0,
                    0.0,
                    (),
                    approach.distance_km,
                )
        hidden = today.hidden(government)
        hits = tuple(found_zones[i] for i in sorted(found_zones) if i not in hidden)
        beyond = tuple(
            a for a in near if a.distance_km > corridor_km and self.index.pack.position(a.id) not in hidden
        )
        covered = any_covered or bool(found_zones)
        answers = self._by_government(found_zones, today, covered)
        result = route_result(
            hits, beyond, total, covered_km, any_covered, route, today, corridor_km, government
        )
        return replace(
            result,
            advisory=government,
            advisories=answers,
            disagreement=disagree(a.level for a in answers),
            currency=today.currency,
        )

    def _view(self, position: int) -> str | None:
        """The government whose view judges a zone: its own, or the default for decrees and
        research zones (exceptions belong to their parent's government)."""
        source = self.index.pack.zones[position].source
        return source if source in self.index.pack.governments else None

    def _by_government(
        self, found: dict[int, ZoneOnRoute], today: PackDay, covered: bool
    ) -> tuple[GovernmentAnswer, ...]:
        """Each government's level along the route: its country level, raised by its own zones
        the route crosses where they raise the level (as the point check's ``alone`` view)."""
        pack = self.index.pack
        answers = []
        for code in pack.governments:
            own = [i for i in found if pack.zones[i].source == code]
            raising = [i for i in own if found[i].raises_level]
            excepted = [i for i in own if found[i].excepted_km > 0]
            levels = [today.baseline(code), *(pack.zones[i].level for i in raising)]
            answers.append(today.answer(code, max(levels) if covered else None, raising, excepted))
        return tuple(answers)

    def _covered(self, dense: list[tuple[np.ndarray, np.ndarray]], today: PackDay) -> tuple[float, bool]:
        """Km of the route between covered vertices, and whether any vertex is covered."""
        km, anywhere = 0.0, False
        for coords, along in dense:
            covered = self.index.classify(coords[:, 0], coords[:, 1], date=today.day).covered
            anywhere = anywhere or bool(covered.any())
            if len(coords) > 1:
                both = covered[:-1] & covered[1:]
                km += float(np.diff(along)[both].sum())
        return km, anywhere

    def _on_route(
        self,
        position: int,
        spans: list[Interval],
        intervals: dict[int, list[Interval]],
        dense: list[tuple[np.ndarray, np.ndarray]],
        offsets: list[float],
        today: PackDay,
    ) -> ZoneOnRoute:
        """The zone's stretches, each judged by the level rule with the exceptions present there."""
        rule = self.index.rule
        children = {
            c: merge_intervals(*_columns(intervals[c]))
            for c in rule.exceptions_of.get(position, ())
            if intervals.get(c)
        }
        judged: list[tuple[Interval, bool, bool]] = []  # (piece, excepted, raising)
        for piece in _pieces(spans, [span for spans_c in children.values() for span in spans_c]):
            middle = (piece[0] + piece[1]) / 2
            if piece[1] - piece[0] < _TOUCH_KM and position not in self.index.grid.covering_one(
                *_at(middle, dense, offsets, entering=True)
            ):
                continue  # a touch the point check does not see: within rounding of the edge
            present = [position, *(c for c, cs in children.items() if _within(middle, cs))]
            decision = today.decide(present, advisory=self._view(position))
            judged.append((piece, position in decision.excepted, position in decision.raising))
        counted: list[Interval] = []
        excepted_km = 0.0
        raises = False
        for k, (piece, excepted, raising) in enumerate(judged):
            # A sliver between an excepted stretch and the parent's edge (the two polygons' shared
            # edge, rounded separately) belongs to the exception.
            beside = [judged[j] for j in (k - 1, k + 1) if 0 <= j < len(judged)]
            sliver = piece[1] - piece[0] < SLIVER_KM and any(
                e and (abs(n[0] - piece[1]) < 1e-9 or abs(n[1] - piece[0]) < 1e-9) for n, e, _ in beside
            )
            if excepted or sliver:
                excepted_km += piece[1] - piece[0]
                continue
            counted.append(piece)
            raises = raises or raising
        counted = merge_intervals(*_columns(counted)) if counted else []
        zone = self.index.pack.zones[position]
        status = today.status[position]
        return ZoneOnRoute(
            id=zone.id,
            name=zone.name,
            kind=zone.kind,
            level=zone.level,
            status=status,
            status_text=status_text(zone, status, today.day),
            raises_level=raises,
            inside_km=round(sum(b - a for a, b in counted), 3),
            excepted_km=round(excepted_km, 3),
            crossings=tuple(_crossing(span, dense, offsets) for span in counted),
        )


#: Shorter stretches are touches: they count only where the point check finds the zone.
_TOUCH_KM = 1e-6
#: Stretches of a parent shorter than this beside an excepted stretch are the rounding of the
#: two polygons' shared edge (coordinates are stored to 1e-6 degrees, districts simplified
#: within 35 m), not a way out of the exception.
SLIVER_KM = 0.005


def _columns(spans: list[Interval]) -> tuple[list[float], list[float]]:
    return [a for a, _ in spans], [b for _, b in spans]


def _within(km: float, spans: list[Interval]) -> bool:
    return any(a - 1e-9 <= km <= b + 1e-9 for a, b in spans)


def _pieces(spans: list[Interval], cuts_from: list[Interval]) -> list[Interval]:
    """``spans`` cut at every end of ``cuts_from``; a zero-length span stays one piece."""
    ends = sorted({k for span in cuts_from for k in span})
    pieces: list[Interval] = []
    for a, b in spans:
        inner = [k for k in ends if a < k < b]
        marks = [a, *inner, b]
        pieces.extend((marks[j], marks[j + 1]) for j in range(len(marks) - 1))
    return pieces


def _crossing(span: Interval, dense: list[tuple[np.ndarray, np.ndarray]], offsets: list[float]) -> Crossing:
    """Where a stretch (km along the whole route) enters and leaves."""
    enter, leave = _at(span[0], dense, offsets, entering=True), _at(span[1], dense, offsets, entering=False)
    return Crossing(
        enter=(round(enter[0], 6), round(enter[1], 6)),
        exit=(round(leave[0], 6), round(leave[1], 6)),
        enter_km=round(span[0], 3),
        exit_km=round(span[1], 3),
        inside_km=round(span[1] - span[0], 3),
    )


def _at(
    km: float, dense: list[tuple[np.ndarray, np.ndarray]], offsets: list[float], *, entering: bool
) -> tuple[float, float]:
    """The point ``km`` along the whole route. Where parts meet, a stretch enters in the later
    part and leaves in the earlier one."""
    holding = [k for k, start in enumerate(offsets) if start - 1e-9 <= km <= start + dense[k][1][-1] + 1e-9]
    part = holding[-1] if entering else holding[0]
    coords, along = dense[part]
    local = km - offsets[part]
    return float(np.interp(local, along, coords[:, 0])), float(np.interp(local, along, coords[:, 1]))
