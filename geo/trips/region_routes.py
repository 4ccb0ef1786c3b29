"""Routes across borders: a route is checked in every country of the region it passes through,
and the border crossings are named.

Each country's part is checked by that country's own ``RouteChecker`` (its zones, governments
and date); the answer is the home checker's, with the level, zones, nearby zones, reasons and
each government's level taken over every country passed, and the km covered summed. "Not
covered" means that no part lies in any country served.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import numpy as np

from geo.engine.advisories import GovernmentAnswer, disagree
from geo.engine.index import ZoneIndex
from geo.engine.region import Region
from geo.engine.words import COUNTRY_WORDS
from geo.i18n import _
from geo.io.formats import Route
from geo.pack import level_label
from geo.trips.route import RouteChecker, densify
from geo.trips.verdict import VERDICTS, BorderCrossing, RouteResult

__all__ = ["GAP_KM", "RegionRoutes", "crossing_reason"]


#: A route the home pack covers to within this (km) is answered by it alone.
COVERED_KM = 0.01
#: Gaps shorter than this between stretches in countries served are bridged (km).
GAP_KM = 2.0


#: A stretch of a route in one country: country, km in, km out, where in, where out.
Stretch = tuple[str, float, float, tuple[float, float], tuple[float, float]]


class RegionRoutes:
    """``RouteChecker`` over a region: the same ``check``, in every country the route crosses."""

    def __init__(self, region: Region, home: RouteChecker | None = None) -> None:
        self.region = region
        self.index: ZoneIndex = region.home
        self._home = home or RouteChecker(region.home)
        #: Each neighbour's checker, made the first time a route reaches its bounds.
        self._checkers: dict[str | None, RouteChecker] = {}

    def _checker(self, index: ZoneIndex) -> RouteChecker:
        if index is self.region.home:
            return self._home
        if index.pack.country not in self._checkers:
            self._checkers[index.pack.country] = RouteChecker(index)
        return self._checkers[index.pack.country]

    def check(
        self,
        route: Route,
        *,
        date: str | dt.date | None = None,
        corridor_km: float = 0.0,
        advisory: object = None,
    ) -> RouteResult:
        """Check ``route`` in each country it passes through (``RouteChecker.check``)."""
        home = self._home.check(route, date=date, corridor_km=corridor_km, advisory=advisory)
        if home.length_km - home.covered_km <= COVERED_KM:
            return home  # all of it in the home pack, which answers wherever it covers
        xy = np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in route.parts])
        candidates = self.region.near(*xy.min(axis=0), *xy.max(axis=0)) if len(xy) else [self.region.home]
        if len(candidates) == 1:
            return home
        countries, crossings = self.countries_on(route, candidates)
        abroad = [i for i in candidates[1:] if i.pack.country in countries]
        if not abroad:
            return home
        results = (
            [(self.region.home, home)]
            if self.region.home.pack.country in countries or home.covered_km
            else []
        )
        results += [
            (i, self._checker(i).check(route, date=date, corridor_km=corridor_km, advisory=advisory))
            for i in abroad
        ]
        return _combined(home, results, countries, crossings)

    def countries_on(
        self, route: Route, candidates: list[ZoneIndex] | None = None
    ) -> tuple[tuple[str, ...], tuple[BorderCrossing, ...]]:
        """The countries the route passes through, in order, and where it crosses from one into
        another: the route's line cut by each country's coverage (where two overlap, the first
        served, as ``Region.index_at``). A gap between stretches of one country (a lake the
        district layer leaves out) is no crossing; between two countries the crossing is placed
        in the gap's middle, or where the route enters the second when the gap is longer than
        ``GAP_KM``; leaving or entering the countries served at either end is named too."""
        seen: list[str] = []
        crossings: list[BorderCrossing] = []
        for part in route.parts:
            stretches, total = _stretches(
                np.asarray(part, dtype=float), candidates or list(self.region.indexes)
            )
            for country, _start, _end, _a, _b in stretches:
                if country not in seen:
                    seen.append(country)
            crossings += _crossings(stretches, total)
        return tuple(seen), tuple(crossings)


def _stretches(part: np.ndarray, indexes: list[ZoneIndex]) -> tuple[list[Stretch], float]:
    """(country, km in, km out, where in, where out) of each stretch of ``part`` inside a
    country served, in order along it; and the part's length in km. The route's vertices,
    densified to ``MAX_SEGMENT_KM``, are each given to the first pack covering them (as
    ``Region.index_at``, all at once on the packs' grids); where two consecutive ones differ,
    the change is placed by bisection on the segment between them."""
    if len(part) < 2:
        return [], 0.0
    points, km = densify(part)
    owner = np.full(len(points), -1, dtype=np.int64)
    for position, index in enumerate(indexes):
        free = np.flatnonzero(owner < 0)
        if not free.size:
            break
        owner[free[index.covers(points[free, 0], points[free, 1])]] = position
    changes = np.flatnonzero(owner[1:] != owner[:-1])
    bounds = [0, *(changes + 1).tolist(), len(points)]
    found: list[Stretch] = []
    for first, end in itertools.pairwise(bounds):
        who = int(owner[first])
        if who < 0:
            continue
        country = indexes[who].pack.country
        if country is None:
            continue
        start_at, start_km = _edge(points, km, first, indexes, who, entering=True)
        end_at, end_km = _edge(points, km, end - 1, indexes, who, entering=False)
        found.append((country, start_km, end_km, start_at, end_at))
    return found, float(km[-1])


def _edge(
    points: np.ndarray, km: np.ndarray, at: int, indexes: list[ZoneIndex], who: int, *, entering: bool
) -> tuple[tuple[float, float], float]:
    """Where the stretch owned by ``indexes[who]`` begins (``entering``) or ends at vertex
    ``at``: the vertex itself at the route's ends, else the point between it and its neighbour
    outside the stretch found by bisection (to 1/1024 of the segment)."""
    other = at - 1 if entering else at + 1
    if other < 0 or other >= len(points):
        return (float(points[at, 0]), float(points[at, 1])), float(km[at])
    inside, outside = points[at], points[other]
    low, high = 0.0, 1.0  # fraction from inside to outside: low stays in, high is out
    for _step in range(_BISECT):
        mid = (low + high) / 2
        x, y = inside + (outside - inside) * mid
        if _owner_at(indexes, float(x), float(y)) == who:
            low = mid
        else:
            high = mid
    x, y = inside + (outside - inside) * low
    along = float(km[at] + (km[other] - km[at]) * low)
    return (round(float(x), 6), round(float(y), 6)), along


def _owner_at(indexes: list[ZoneIndex], x: float, y: float) -> int:
    for position, index in enumerate(indexes):
        if index.covered(x, y):
            return position
    return -1


#: Bisection steps that place where a stretch begins or ends on its segment (<= 0.5 km: to 0.5 m).
_BISECT = 10


def _crossings(stretches: list[Stretch], total: float) -> list[BorderCrossing]:
    """Where consecutive stretches change country, where a longer gap leaves one and enters the
    next, and where the route comes from or goes beyond every country served."""
    result: list[BorderCrossing] = []
    if stretches and stretches[0][1] > GAP_KM:
        first = stretches[0]
        result.append(
            BorderCrossing(None, first[0], round(first[3][0], 5), round(first[3][1], 5), round(first[1], 3))
        )
    for (a, _s, a_end, _a_in, a_out), (b, b_start, _e, b_in, _b_out) in itertools.pairwise(stretches):
        if a == b:
            continue
        if b_start - a_end <= GAP_KM:
            lon, lat, at = (a_out[0] + b_in[0]) / 2, (a_out[1] + b_in[1]) / 2, (a_end + b_start) / 2
        else:
            lon, lat, at = b_in[0], b_in[1], b_start
        result.append(BorderCrossing(a, b, round(lon, 5), round(lat, 5), round(at, 3)))
    if stretches and total - stretches[-1][2] > GAP_KM:
        last = stretches[-1]
        result.append(
            BorderCrossing(last[0], None, round(last[4][0], 5), round(last[4][1], 5), round(last[2], 3))
        )
    return result


def _combined(
    home: RouteResult,
    results: list[tuple[ZoneIndex, RouteResult]],
    countries: tuple[str, ...],
    crossings: tuple[BorderCrossing, ...],
) -> RouteResult:
    covered = sum(r.covered_km for _i, r in results)
    levels = [r.max_level for _i, r in results if r.max_level is not None]
    level = max(levels) if levels else None
    reasons: list[str] = []
    for index, result in results:
        name = _(COUNTRY_WORDS.get(index.pack.country or "", index.pack.name))
        outside = _(
            "{km} km of the route lie outside the pack's coverage",
            km=f"{result.length_km - result.covered_km:.1f}",
        )
        reasons += [
            _("in {country}: {reason}", country=name, reason=r) for r in result.reasons if r != outside
        ]
    reasons += [crossing_reason(crossing) for crossing in crossings]
    if covered < home.length_km - 0.01:
        reasons.append(
            _(
                "{km} km of the route lie outside every country served",
                km=f"{home.length_km - covered:.1f}",
            )
        )
    answers = _worst_answers([r.advisories for _i, r in results])
    return replace(
        home,
        verdict=VERDICTS[level] if level is not None else "not_covered",
        max_level=level,
        label=level_label(level),
        covered_km=round(covered, 3),
        zones=tuple(z for _i, r in results for z in r.zones),
        near=tuple(n for _i, r in results for n in r.near),
        reasons=tuple(reasons),
        advisories=answers,
        disagreement=disagree(a.level for a in answers),
        currency=tuple({c.source: c for _i, r in results for c in r.currency}.values()),
        countries=countries,
        border_crossings=crossings,
    )


def crossing_reason(crossing: BorderCrossing) -> str:
    """The words for a border crossing: the route's reasons and an itinerary leg's say the same."""
    return _(
        "crosses from {a} into {b} at km {km} ({lat}, {lon})",
        a=_country_words(crossing.from_country),
        b=_country_words(crossing.to_country),
        km=f"{crossing.km:.1f}",
        lat=f"{crossing.lat:.4f}",
        lon=f"{crossing.lon:.4f}",
    )


def _country_words(code: str | None) -> str:
    return _(COUNTRY_WORDS[code]) if code in COUNTRY_WORDS else _("outside every country served")


def _worst_answers(per_country: list[tuple[GovernmentAnswer, ...]]) -> tuple[GovernmentAnswer, ...]:
    """Each government's answer where its level along the route is highest, its areas from
    every country."""
    best: dict[str, GovernmentAnswer] = {}
    areas: dict[str, list[str]] = {}
    for answers in per_country:
        for answer in answers:
            areas.setdefault(answer.government, []).extend(answer.areas)
            held = best.get(answer.government)
            if held is None or (answer.level or 0) > (held.level or 0):
                best[answer.government] = answer
    return tuple(replace(a, areas=tuple(dict.fromkeys(areas[code]))) for code, a in best.items())
