"""Route checks: which zones a planned route crosses, where, for how long, and how close the
others come.

The route is first densified along geodesics (no segment longer than ``MAX_SEGMENT_KM``), so a
long straight segment follows the ellipsoid and cannot jump across a zone. Crossings come from
exact line-polygon overlays; lengths and distances are geodesic kilometres.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.advisories import Currency, GovernmentAnswer, answer, currency, disagree
from geo.crossings import EdgeIndex, merge_intervals
from geo.formats import Route
from geo.i18n import _
from geo.index import ZoneIndex
from geo.nearby import GEOD, search_box, segment_metres
from geo.pack import level_label
from geo.results import AlertHit
from geo.status import status_text

__all__ = [
    "MAX_SEGMENT_KM",
    "SLIVER_KM",
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
    advisory: str | None = None
    advisories: tuple[GovernmentAnswer, ...] = ()
    disagreement: bool = False
    currency: tuple[Currency, ...] = ()
    #: Alerts applying along the route at the time asked about (``geo.alerts``).
    alerts: tuple[AlertHit, ...] = ()


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
        day = self.index.pack.date(date)
        government = self.index.rule.advisory(advisory)
        dense = [densify(p) for p in route.parts]
        offsets, total = [], 0.0
        for _coords, km in dense:
            offsets.append(total)
            total += float(km[-1])
        covered_km, any_covered = self._covered(dense)
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
            i: self._on_route(i, merge_intervals(*_columns(spans)), intervals, dense, offsets, day)
            for i, spans in intervals.items()
            if spans
        }
        near = self._near(dense, offsets, set(found_zones), day, max(corridor_km, NEAR_KM))
        for approach in near:
            if approach.distance_km <= corridor_km:
                i = self.index.pack.position(approach.id)
                decision = self.index.rule.decide([i], day, advisory=self._view(i))
                zone = self.index.pack.zones[i]
                status = decision.status[i]
                found_zones[i] = ZoneOnRoute(
                    zone.id,
                    zone.name,
                    zone.kind,
                    zone.level,
                    status,
                    status_text(zone, status),
                    i in decision.raising,
                    0.0,
                    0.0,
                    (),
                    approach.distance_km,
                )
        hidden = self.index.hidden(government, day)
        hits = tuple(found_zones[i] for i in sorted(found_zones) if i not in hidden)
        beyond = tuple(
            a for a in near if a.distance_km > corridor_km and self.index.pack.position(a.id) not in hidden
        )
        covered = any_covered or bool(found_zones)
        answers = self._by_government(found_zones, day, covered)
        result = _result(
            self.index, hits, beyond, total, covered_km, any_covered, route, day, corridor_km, government
        )
        return replace(
            result,
            advisory=government,
            advisories=answers,
            disagreement=disagree(a.level for a in answers),
            currency=currency(self.index.pack, day),
        )

    def _view(self, position: int) -> str | None:
        """The government whose view judges a zone: its own, or the default for decrees and
        research zones (exceptions belong to their parent's government)."""
        source = self.index.pack.zones[position].source
        return source if source in self.index.pack.governments else None

    def _by_government(
        self, found: dict[int, ZoneOnRoute], day: dt.date, covered: bool
    ) -> tuple[GovernmentAnswer, ...]:
        """Each government's level along the route: its country level, raised by its own zones
        the route crosses where they raise the level (as the point check's ``alone`` view)."""
        pack, rule = self.index.pack, self.index.rule
        answers = []
        for code in pack.governments:
            own = [i for i in found if pack.zones[i].source == code]
            raising = [i for i in own if found[i].raises_level]
            excepted = [i for i in own if found[i].excepted_km > 0]
            levels = [rule.baseline_on(code, day), *(pack.zones[i].level for i in raising)]
            answers.append(answer(rule, code, day, max(levels) if covered else None, raising, excepted))
        return tuple(answers)

    def _covered(self, dense: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, bool]:
        """Km of the route between covered vertices, and whether any vertex is covered."""
        km, anywhere = 0.0, False
        for coords, along in dense:
            covered = self.index.classify(coords[:, 0], coords[:, 1]).covered
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
        day: dt.date,
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
            decision = rule.decide(present, day, advisory=self._view(position))
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
        status = rule.status(position, day)
        return ZoneOnRoute(
            id=zone.id,
            name=zone.name,
            kind=zone.kind,
            level=zone.level,
            status=status,
            status_text=status_text(zone, status),
            raises_level=raises,
            inside_km=round(sum(b - a for a, b in counted), 3),
            excepted_km=round(excepted_km, 3),
            crossings=tuple(_crossing(span, dense, offsets) for span in counted),
        )

    def _near(
        self,
        dense: list[tuple[np.ndarray, np.ndarray]],
        offsets: list[float],
        crossed: set[int],
        day: dt.date,
        radius_km: float,
    ) -> list[Approach]:
        """The closest approach of each zone not crossed, by the point check's distance rule.

        Candidate vertices are found in a transverse Mercator frame centred on the route
        (conformal: its distances are within 1 % of geodesic ones over Peru's width); the
        distance reported is the point check's nearest-boundary distance at the best of them.
        """
        zones = self.index.pack.zones
        coords = np.concatenate([c for c, _ in dense])
        along = np.concatenate([a + offsets[k] for k, (_, a) in enumerate(dense)])
        part_of = np.concatenate([np.full(len(c), k) for k, (c, _) in enumerate(dense)])
        best: dict[int, Approach] = {}
        projected: dict[tuple[float, float], np.ndarray] = {}  # the route in each frame used
        whole = _Frame(coords) if _Frame.fits(coords) else None  # one frame, one projection
        for found in self._tree.query(_window(*_extent(coords), radius_km)).tolist():
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
            boundary = frame.project(shapely.clip_by_rect(self._boundaries[found], *span))
            if boundary.is_empty:
                continue
            shapely.prepare(boundary)
            breaks = np.flatnonzero((np.diff(sel) != 1) | (np.diff(part_of[sel]) != 0)) + 1
            near = _nearest_vertices(boundary, xy, along[sel], breaks, radius_km * 1000 * 1.01 + 1000)
            if not near.size:
                continue
            order = sel[near[:_CANDIDATES]]
            for k in order.tolist():
                hits = self.index.nearest_boundaries(
                    float(coords[k, 0]), float(coords[k, 1]), radius_km, only=found
                )
                if not hits or (found in best and best[found].distance_km <= round(hits[0].distance_km, 3)):
                    continue
                hit = hits[0]
                best[found] = Approach(
                    id=zones[found].id,
                    name=zones[found].name,
                    level=zones[found].level,
                    status=self.index.rule.status(found, day),
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


#: Route length one vertex stands for in the coarse closest-approach pass, in km.
_GROUP_KM = 0.1
#: Shorter stretches are touches: they count only where the point check finds the zone.
_TOUCH_KM = 1e-6
#: Stretches of a parent shorter than this beside an excepted stretch are the rounding of the
#: two polygons' shared edge (coordinates are stored to 1e-6 degrees, districts simplified
#: within 35 m), not a way out of the exception.
SLIVER_KM = 0.005
#: Vertices measured exactly per zone in the closest-approach search.
_CANDIDATES = 48


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


def _result(
    index: ZoneIndex,
    hits: tuple[ZoneOnRoute, ...],
    near: tuple[Approach, ...],
    length: float,
    covered: float,
    any_covered: bool,
    route: Route,
    day: dt.date,
    corridor_km: float,
    advisory: str | None,
) -> RouteResult:
    reasons: list[str] = []
    if not any_covered and not hits:
        reasons.append(_("no part of the route lies inside the pack's coverage: nothing can be said"))
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
    level = index.rule.baseline_on(advisory, day)
    for hit in hits:
        where = (
            _("the route passes within {km} km", km=f"{hit.within_corridor_km:.1f}")
            if hit.within_corridor_km is not None
            else _("the route crosses it for {km} km", km=f"{hit.inside_km:.1f}")
        )
        if hit.kind == "exception":
            reasons.append(
                _(
                    "{zone}: {where}; inside it the parent zone does not raise the level",
                    zone=hit.name,
                    where=where,
                )
            )
        elif hit.raises_level:
            level = max(level, hit.level)
            label = str(level_label(hit.level)).lower()
            reasons.append(
                _(
                    "{zone} (level {level}, {label}): {where}",
                    zone=hit.name,
                    level=hit.level,
                    label=label,
                    where=where,
                )
            )
        elif hit.excepted_km and not hit.inside_km:
            reasons.append(
                _(
                    "{zone}: the route is only inside its exception ({km} km)",
                    zone=hit.name,
                    km=f"{hit.excepted_km:.1f}",
                )
            )
        else:
            reasons.append(
                _(
                    "{zone}: {where}, but the zone is {status}; it does not raise the level",
                    zone=hit.name,
                    where=where,
                    status=hit.status_text,
                )
            )
    if covered < length - 0.01:
        reasons.append(
            _("{km} km of the route lie outside the pack's coverage", km=f"{length - covered:.1f}")
        )
    if level == index.pack.baseline.level:
        label = str(level_label(level)).lower()
        reasons.append(_("baseline for the country: level {level} ({label})", level=level, label=label))
    return RouteResult(
        VERDICTS[level],
        level,
        level_label(level),
        round(length, 3),
        round(covered, 3),
        route.vertices,
        day.isoformat(),
        corridor_km,
        hits,
        near,
        tuple(reasons),
    )
