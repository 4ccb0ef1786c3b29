"""What an itinerary check answers: each stop and leg, and how the trip's verdict and reasons
follow from them."""

from __future__ import annotations

from dataclasses import dataclass

from geo.engine.index import ZoneIndex
from geo.engine.results import PointResult
from geo.engine.words import MODE_WORDS
from geo.i18n import _
from geo.pack import level_label
from geo.trips.alerts import reason
from geo.trips.gazetteer import Place
from geo.trips.night import NightTravel
from geo.trips.region_routes import crossing_reason
from geo.trips.verdict import VERDICTS, RouteResult

__all__ = [
    "MODES",
    "MODE_NAMES",
    "ItineraryResult",
    "LegResult",
    "StopResult",
    "Unplaced",
    "itinerary_result",
    "leg_verdict",
    "overall_verdict",
]


MODES = ("flight", "road", "river", "rail", "foot")


#: How reasons name each mode (translated when shown; one table with the map's).
MODE_NAMES = MODE_WORDS


@dataclass(frozen=True)
class StopResult:
    """A stop: where it resolved to, and the point check on its date."""

    index: int
    name: str
    date: str
    place: Place | None
    passed_over: tuple[Place, ...]
    check: PointResult


@dataclass(frozen=True)
class LegResult:
    """A leg between two stops: how it was checked and what it touches."""

    index: int
    origin: str
    destination: str
    mode: str
    date: str
    checked: str  # "endpoints", "route" or "straight_line"
    approximate: bool
    route: RouteResult | None
    check_actual_route: tuple[str, ...]
    verdict: str
    #: A road leg departing or arriving between sunset and sunrise: the night-travel rules.
    night: NightTravel | None = None

    @property
    def counted(self) -> bool:
        """Whether the leg's level counts in the trip's: not a flight (only its ends, the
        stops, are checked) and not a straight line that only seems to cross a zone."""
        return self.route is not None and not self.check_actual_route


@dataclass(frozen=True)
class Unplaced:
    """A calendar event that is not a stop of the itinerary, and why."""

    event: str
    #: The event's date in the pack's zone; None when it has no start that can be read.
    date: str | None
    location: str
    reason: str
    candidates: tuple[Place, ...] = ()


@dataclass(frozen=True)
class ItineraryResult:
    """The whole trip: an overall verdict, and each stop and leg with its reasons."""

    verdict: str
    max_level: int | None
    label: str | None
    needs_review: bool
    stops: tuple[StopResult, ...]
    legs: tuple[LegResult, ...]
    reasons: tuple[str, ...]
    #: Calendar events that are not stops: listed, never dropped.
    unplaced: tuple[Unplaced, ...] = ()
    #: Each stop's own reasons and each leg's, in order (the trip's ``reasons`` name them).
    stop_reasons: tuple[tuple[str, ...], ...] = ()
    leg_reasons: tuple[tuple[str, ...], ...] = ()


def leg_verdict(route_verdict: str, doubtful: bool) -> str:
    """A surface leg's verdict: its route's, unless checked along a straight line that seems
    to cross a zone above the baseline (then: check the actual route)."""
    return "check_actual_route" if doubtful else route_verdict


def overall_verdict(levels: list[int]) -> tuple[str, int | None, str | None]:
    """A trip's verdict, level and label from the levels of the stops and legs that count
    (``LegResult.counted``; a covered stop counts, with 0 where no zone applies)."""
    if not levels:
        return "not_covered", None, None
    level = max(levels)
    return VERDICTS[level], level, level_label(level)


def itinerary_result(
    index: ZoneIndex,
    stops: tuple[StopResult, ...],
    legs: tuple[LegResult, ...],
    unplaced: tuple[Unplaced, ...] = (),
) -> ItineraryResult:
    """The trip's verdict, level and reasons from its checked ``stops`` and ``legs``; calendar
    events that could not be placed (``unplaced``) make it need review. Each stop and leg
    keeps its own reasons; the trip's are theirs, each named by its stop or leg."""
    reasons: list[str] = [
        _(
            "calendar event {event} ({date}): {reason}",
            event=u.event,
            date=u.date or "?",
            reason=u.reason,
        )
        for u in unplaced
    ]
    levels: list[int] = []
    stop_reasons: list[tuple[str, ...]] = []
    for stop in stops:
        own = _stop_reasons(stop)
        stop_reasons.append(own)
        label = _("stop {number} ({name}, {date})", number=stop.index + 1, name=stop.name, date=stop.date)
        reasons.extend(f"{label}: {r}" for r in own)
        if stop.check.covered:
            levels.append(stop.check.level or 0)
    leg_reasons: list[tuple[str, ...]] = []
    needs_review = False
    for leg in legs:
        own = _leg_reasons(index, leg)
        leg_reasons.append(own)
        label = _(
            "leg {number} ({origin} to {destination}, {mode}, {date})",
            number=leg.index + 1,
            origin=leg.origin,
            destination=leg.destination,
            mode=_(MODE_NAMES[leg.mode]),
            date=leg.date,
        )
        reasons.extend(f"{label}: {r}" for r in own)
        if leg.route is not None and not leg.counted:
            needs_review = True
        elif leg.counted and leg.route is not None and leg.route.max_level is not None:
            levels.append(leg.route.max_level)
    verdict, level, overall_label = overall_verdict(levels)
    return ItineraryResult(
        verdict,
        level,
        overall_label,
        needs_review or bool(unplaced),
        stops,
        legs,
        tuple(reasons),
        unplaced,
        tuple(stop_reasons),
        tuple(leg_reasons),
    )


def _stop_reasons(stop: StopResult) -> tuple[str, ...]:
    """Why a stop has its answer: outside coverage, the zones that raise its level, alerts,
    and how its place was found when that is uncertain."""
    check = stop.check
    if not check.covered:
        return (_("outside the pack's coverage"),)
    own: list[str] = []
    raising = [z.name for z in check.zones if z.raises_level]
    if raising:
        own.append(_("level {level}, in {zones}", level=check.level, zones=", ".join(raising)))
    own.extend(reason(alert) for alert in check.alerts)
    if stop.place and stop.place.approximate:
        own.append(_("located at the centre of its district (approximate)"))
    if stop.passed_over and stop.place:
        own.append(
            _(
                "taken as {place}, {department}; also the name of {count} smaller places",
                place=stop.place.name,
                department=stop.place.department,
                count=len(stop.passed_over),
            )
        )
    return tuple(own)


def _leg_reasons(index: ZoneIndex, leg: LegResult) -> tuple[str, ...]:
    """Why a leg has its answer: night travel, a flight's unchecked line, the borders it crosses,
    a straight line that seems to cross a zone, alerts on its route and the zones it crosses
    above the baseline."""
    own: list[str] = [leg.night.summary] if leg.night is not None else []
    if leg.route is None:
        own.append(_("flight, only its ends are checked"))
        return tuple(own)
    own.extend(crossing_reason(crossing) for crossing in leg.route.border_crossings)
    if not leg.counted:
        # The zones' names as the answer gives them: a leg abroad crosses another pack's zones.
        names = {zone.id: zone.name for zone in leg.route.zones}
        own.append(
            _(
                "no route given; the straight line between the stops crosses {zones}: check the actual route",
                zones="; ".join(names.get(zone_id, zone_id) for zone_id in leg.check_actual_route),
            )
        )
        return tuple(own)
    own.extend(reason(alert) for alert in leg.route.alerts)
    own.extend(
        _(
            "crosses {zone} for {km} km (level {level})",
            zone=zone.name,
            km=f"{zone.inside_km:.1f}",
            level=zone.level,
        )
        for zone in leg.route.zones
        if zone.raises_level and zone.level > index.pack.baseline.level
    )
    return tuple(own)
