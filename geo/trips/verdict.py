"""What a route check answers: the crossings, the zones on the route, the result, and how its
verdict and reasons follow from them (the verdict table, ``VERDICTS``, is the one the
itinerary, the alerts and the browser's device mode read)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.engine.advisories import Currency, GovernmentAnswer
from geo.engine.day import PackDay
from geo.engine.results import AlertHit
from geo.i18n import _
from geo.io.formats import Route
from geo.pack import level_label
from geo.trips.approach import Approach

__all__ = ["VERDICTS", "Crossing", "RouteResult", "ZoneOnRoute", "route_result"]

VERDICTS = {4: "do_not_travel", 3: "reconsider", 2: "caution", 1: "ok"}


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
class BorderCrossing:
    """Where a route passes from one country served to another (None: out of every one)."""

    from_country: str | None
    to_country: str | None
    lon: float
    lat: float
    km: float


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
    #: Alerts applying along the route at the time asked about (``geo.trips.alerts``).
    alerts: tuple[AlertHit, ...] = ()
    #: The countries served that the route passes through, in order (``geo.trips.region_routes``;
    #: empty when it was checked in one pack only).
    countries: tuple[str, ...] = ()
    #: Where it crosses from one of them into another.
    border_crossings: tuple[BorderCrossing, ...] = ()


def route_result(
    hits: tuple[ZoneOnRoute, ...],
    near: tuple[Approach, ...],
    length: float,
    covered: float,
    any_covered: bool,
    route: Route,
    today: PackDay,
    corridor_km: float,
    advisory: str | None,
) -> RouteResult:
    """The result of a route check, its verdict and reasons, from the zones it crosses (``hits``)
    and passes near, on the day of ``today``, for ``advisory``."""
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
            today.day.isoformat(),
            corridor_km,
            hits,
            near,
            tuple(reasons),
        )
    level = today.baseline(advisory)
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
    if level == today.pack.baseline.level:
        label = str(level_label(level)).lower()
        reasons.append(_("baseline for the country: level {level} ({label})", level=level, label=label))
    return RouteResult(
        VERDICTS[level],
        level,
        level_label(level),
        round(length, 3),
        round(covered, 3),
        route.vertices,
        today.day.isoformat(),
        corridor_km,
        hits,
        near,
        tuple(reasons),
    )
