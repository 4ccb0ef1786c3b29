"""Itinerary checks: stops (place names or coordinates, each with a date) and the legs between.

A flight leg is checked only at its ends. A surface leg with geometry is checked as a route;
without geometry it is checked as the straight (geodesic) line between its stops, marked
approximate, and a zone that line seems to cross is reported as "check the actual route",
never as a certain crossing. Every stop and leg is checked on its own date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.alerts import AlertLayer, moment, reason, route_with_alerts, with_alerts
from geo.dates import parse_time
from geo.documents import parse_json, parse_yaml
from geo.errors import InputFormatError, RiskzonesError
from geo.formats import Route, detect_format, parse_route
from geo.gazetteer import Gazetteer, Place
from geo.i18n import N_, _
from geo.index import ZoneIndex
from geo.night import CITY_POPULATION, NightTravel, night_travel
from geo.pack import level_label
from geo.results import PointResult
from geo.route import VERDICTS, RouteChecker, RouteResult

__all__ = [
    "MAX_STOPS",
    "MODES",
    "ItineraryResult",
    "LegResult",
    "StopResult",
    "check_itinerary",
    "leg_verdict",
    "overall_verdict",
    "parse_itinerary_csv",
    "read_itinerary",
]

#: Itinerary document kinds ``read_itinerary`` takes.
DOCUMENT_KINDS = ("json", "yaml", "csv")

MODES = ("flight", "road", "river", "rail", "foot")
#: How reasons name each mode (translated when shown).
MODE_NAMES = {
    "flight": N_("flight"),
    "road": N_("road"),
    "river": N_("river"),
    "rail": N_("rail"),
    "foot": N_("foot"),
}
#: Most stops an itinerary may have unless the server is configured otherwise.
MAX_STOPS = 100


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
class ItineraryResult:
    """The whole trip: an overall verdict, and each stop and leg with its reasons."""

    verdict: str
    max_level: int | None
    label: str | None
    needs_review: bool
    stops: tuple[StopResult, ...]
    legs: tuple[LegResult, ...]
    reasons: tuple[str, ...]


def _stop_point(
    stop: Any, position: int, gazetteer: Gazetteer
) -> tuple[str, Any, Any, Place | None, tuple[Place, ...]]:
    """Name, lon, lat (validated later by the point check), and the place if named."""
    where = f"stops[{position}]"
    if not isinstance(stop, dict):
        raise InputFormatError(
            _("{where} must be an object with a place or lat and lon", where=where), field=where
        )
    if "lat" in stop or "lon" in stop:
        name = str(stop.get("name") or stop.get("place") or f"stop {position + 1}")
        return name, stop.get("lon"), stop.get("lat"), None, ()  # validated by check_point
    place = stop.get("place")
    if not isinstance(place, str) or not place.strip():
        raise InputFormatError(_("{where} needs a place name or lat and lon", where=where), field=where)
    resolution = gazetteer.resolve(place, department=stop.get("department"), field=f"{where}.place")
    found = resolution.place
    return place, found.lon, found.lat, found, resolution.passed_over


def leg_route(leg: dict[str, Any], where: str) -> Route | None:
    for key, fmt in (("route", None), ("gpx", "gpx"), ("kml", "kml"), ("polyline", "polyline")):
        if key not in leg:
            continue
        value = leg[key]
        if not isinstance(value, str) and not (isinstance(value, dict) and key in ("route", "polyline")):
            wanted = (
                _("GeoJSON (an object) or route text")
                if key == "route"
                else _("{kind} text", kind=key.upper())
            )
            raise InputFormatError(
                _("{where}.{key} must be {wanted}", where=where, key=key, wanted=wanted),
                field=f"{where}.{key}",
            )
        try:
            if fmt == "polyline":
                return parse_route(json.dumps(value if isinstance(value, dict) else {"polyline": value}), fmt)
            if isinstance(value, dict):
                return parse_route(json.dumps(value), "geojson")
            return parse_route(value, fmt or detect_format(value))
        except InputFormatError as error:
            raise InputFormatError(f"{where}.{key}: {error}", field=f"{where}.{key}") from None
    return None


def check_itinerary(
    index: ZoneIndex,
    routes: RouteChecker,
    gazetteer: Gazetteer,
    document: Any,
    *,
    max_stops: int = MAX_STOPS,
    advisory: object = None,
    alerts: AlertLayer | None = None,
) -> ItineraryResult:
    """Check an itinerary document ``{"stops": [...], "legs": [...]}`` (see module docs), for
    ``advisory`` (a government of the pack; default ``us``)."""
    government = index.rule.advisory(advisory)
    if not isinstance(document, dict) or not isinstance(document.get("stops"), list):
        raise InputFormatError(
            _(
                "send {example}",
                example='{"stops": [{"place": "Lima", "date": "2026-12-01"}, ...], "legs"?: [...]}',
            ),
            field="stops",
        )
    stops_in = document["stops"]
    if len(stops_in) < 1:
        raise InputFormatError(_("an itinerary needs at least one stop"), field="stops")
    if len(stops_in) > max_stops:
        raise TooManyStopsError(
            _("{count} stops; the limit is {limit}", count=len(stops_in), limit=max_stops), field="stops"
        )
    legs_in = document.get("legs") or []
    if not isinstance(legs_in, list) or len(legs_in) > max(len(stops_in) - 1, 0):
        raise InputFormatError(
            _(
                "legs must be a list of at most {count} legs (one between each pair of stops)",
                count=len(stops_in) - 1,
            ),
            field="legs",
        )
    cities = [(p.lon, p.lat) for p in gazetteer.places if (p.population or 0) >= CITY_POPULATION]
    stops: list[StopResult] = []
    for position, stop in enumerate(stops_in):
        name, lon, lat, place, passed_over = _stop_point(stop, position, gazetteer)
        day = _date(index, stop, f"stops[{position}].date")
        try:
            check = index.check_point(lon=lon, lat=lat, date=day, advisory=government)
        except RiskzonesError as error:
            field = f"stops[{position}].{error.field or 'lat'}"
            raise type(error)(f"stops[{position}]: {error}", field=field) from None
        if alerts is not None:
            check = with_alerts(check, alerts, moment(day, index.pack.timezone), index.pack.timezone)
        stops.append(StopResult(position, name, day.isoformat(), place, passed_over, check))
    legs = [
        _leg(
            routes,
            stops,
            position,
            legs_in[position] if position < len(legs_in) else {},
            government,
            cities,
            alerts,
        )
        for position in range(len(stops) - 1)
    ]
    return _overall(index, tuple(stops), tuple(legs))


class TooManyStopsError(InputFormatError):
    """More stops than the configured limit."""


def _date(index: ZoneIndex, item: dict[str, Any], field: str) -> dt.date:
    return index.pack.date(item.get("date"), field=field)


def _leg(
    routes: RouteChecker,
    stops: list[StopResult],
    position: int,
    leg: Any,
    advisory: str | None,
    cities: list[tuple[float, float]],
    alerts: AlertLayer | None = None,
) -> LegResult:
    where = f"legs[{position}]"
    if not isinstance(leg, dict):
        raise InputFormatError(_("{where} must be an object with a mode", where=where), field=where)
    mode = leg.get("mode", "road")
    if mode not in MODES:
        raise InputFormatError(
            _(
                "{where}.mode {mode} is unknown; use one of {modes}",
                where=where,
                mode=repr(mode),
                modes=", ".join(MODES),
            ),
            field=f"{where}.mode",
        )
    origin, destination = stops[position], stops[position + 1]
    day = _date(routes.index, leg, f"{where}.date") if "date" in leg else dt.date.fromisoformat(origin.date)
    pack = routes.index.pack
    depart = (
        parse_time(leg["depart"], day, pack.timezone, field=f"{where}.depart") if "depart" in leg else None
    )
    arrive = (
        parse_time(leg["arrive"], day, pack.timezone, field=f"{where}.arrive", after=depart)
        if "arrive" in leg
        else None
    )
    if depart is not None and arrive is not None and arrive <= depart:
        raise InputFormatError(
            _("{where}.arrive is not after {where}.depart", where=where), field=f"{where}.arrive"
        )
    night = (
        night_travel(
            pack,
            (origin.check.lon, origin.check.lat),
            (destination.check.lon, destination.check.lat),
            depart,
            arrive,
            cities,
        )
        if mode == "road"
        else None
    )
    common = {
        "index": position,
        "origin": origin.name,
        "destination": destination.name,
        "mode": mode,
        "date": day.isoformat(),
        "night": night,
    }
    if mode == "flight":
        return LegResult(
            **common,
            checked="endpoints",
            approximate=False,
            route=None,
            check_actual_route=(),
            verdict="endpoints_only",
        )
    route = leg_route(leg, where)
    approximate = route is None
    if route is None:
        ends = np.array(
            [[origin.check.lon, origin.check.lat], [destination.check.lon, destination.check.lat]]
        )
        route = Route((ends,))
    result = routes.check(route, date=day, advisory=advisory)
    if alerts is not None:
        result = route_with_alerts(result, route, alerts, moment(day, pack.timezone), pack.timezone)
    baseline = routes.index.pack.baseline.level
    doubtful = tuple(z.id for z in result.zones if approximate and z.raises_level and z.level > baseline)
    return LegResult(
        **common,
        checked="straight_line" if approximate else "route",
        approximate=approximate,
        route=result,
        check_actual_route=doubtful,
        verdict=leg_verdict(result.verdict, bool(doubtful)),
    )


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


def _overall(index: ZoneIndex, stops: tuple[StopResult, ...], legs: tuple[LegResult, ...]) -> ItineraryResult:
    reasons: list[str] = []
    levels: list[int] = []
    for stop in stops:
        check = stop.check
        label = _("stop {number} ({name}, {date})", number=stop.index + 1, name=stop.name, date=stop.date)
        if not check.covered:
            reasons.append(_("{stop} is outside the pack's coverage", stop=label))
            continue
        levels.append(check.level or 0)
        raising = [z.name for z in check.zones if z.raises_level]
        if raising:
            reasons.append(
                _(
                    "{stop}: level {level}, in {zones}",
                    stop=label,
                    level=check.level,
                    zones=", ".join(raising),
                )
            )
        for alert in check.alerts:
            reasons.append(f"{label}: {reason(alert)}")
        if stop.place and stop.place.approximate:
            reasons.append(_("{stop}: located at the centre of its district (approximate)", stop=label))
        if stop.passed_over and stop.place:
            reasons.append(
                _(
                    "{stop}: taken as {place}, {department}; also the name of {count} smaller places",
                    stop=label,
                    place=stop.place.name,
                    department=stop.place.department,
                    count=len(stop.passed_over),
                )
            )
    needs_review = False
    for leg in legs:
        label = _(
            "leg {number} ({origin} to {destination}, {mode}, {date})",
            number=leg.index + 1,
            origin=leg.origin,
            destination=leg.destination,
            mode=_(MODE_NAMES[leg.mode]),
            date=leg.date,
        )
        if leg.night is not None:
            reasons.append(f"{label}: {leg.night.summary}")
        if leg.route is None:
            reasons.append(_("{leg}: flight, only its ends are checked", leg=label))
            continue
        if not leg.counted:
            needs_review = True
            reasons.append(
                _(
                    "{leg}: no route given; the straight line between the stops crosses {zones}: "
                    "check the actual route",
                    leg=label,
                    zones=", ".join(leg.check_actual_route),
                )
            )
            continue
        if leg.route.max_level is not None:
            levels.append(leg.route.max_level)
        for alert in leg.route.alerts:
            reasons.append(f"{label}: {reason(alert)}")
        for zone in leg.route.zones:
            if zone.raises_level and zone.level > index.pack.baseline.level:
                reasons.append(
                    _(
                        "{leg}: crosses {zone} for {km} km (level {level})",
                        leg=label,
                        zone=zone.name,
                        km=f"{zone.inside_km:.1f}",
                        level=zone.level,
                    )
                )
    verdict, level, overall_label = overall_verdict(levels)
    return ItineraryResult(verdict, level, overall_label, needs_review, stops, legs, tuple(reasons))


def read_itinerary(raw: bytes, kind: str) -> Any:
    """The itinerary document in ``raw``, read as ``kind`` (json, yaml or csv); the one reader
    of the API and the command line. ``check_itinerary`` validates what it holds."""
    if kind == "csv":
        try:
            return parse_itinerary_csv(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputFormatError(_("the CSV itinerary is not UTF-8 text"), field="body") from None
    if kind == "yaml":
        return parse_yaml(raw, what=_("the itinerary"))
    if kind == "json":
        return parse_json(raw, what=_("the itinerary"))
    raise InputFormatError(
        _("itinerary kind {kind} is unknown; use json, yaml or csv", kind=repr(kind)), field="body"
    )


def parse_itinerary_csv(text: str) -> dict[str, Any]:
    """Stops from CSV rows (place or lat/lon, date, and the mode of the leg to the next stop)."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        return _itinerary_rows(reader)
    except csv.Error as exc:
        raise InputFormatError(
            _("CSV itinerary line {line}: {problem}", line=reader.line_num, problem=exc), field="stops"
        ) from None


def _itinerary_rows(reader: csv.DictReader[str]) -> dict[str, Any]:
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    if not ({"place"} <= columns or {"lat", "lon"} <= columns):
        raise InputFormatError(_("CSV itinerary: needs a place column or lat and lon columns"), field="stops")
    stops, legs = [], []
    for row in reader:
        values = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        stop: dict[str, Any] = {"date": values.get("date") or None}
        if values.get("lat") or values.get("lon"):
            try:
                stop.update(
                    lat=float(values["lat"]),
                    lon=float(values["lon"]),
                    name=values.get("place") or None,
                )
            except (KeyError, ValueError):
                raise InputFormatError(
                    _("CSV line {line}: lat and lon must be numbers", line=reader.line_num), field="stops"
                ) from None
        else:
            stop["place"] = values.get("place", "")
        stops.append(stop)
        legs.append({"mode": values.get("mode") or "road"})
    return {"stops": stops, "legs": legs[:-1]}
