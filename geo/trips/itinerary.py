"""Itinerary checks: stops (place names or coordinates, each with a date) and the legs between.

A flight leg is checked only at its ends. A surface leg with geometry is checked as a route;
without geometry it is checked as the straight (geodesic) line between its stops, marked
approximate, and a zone that line seems to cross is reported as "check the actual route",
never as a certain crossing. Every stop and leg is checked on its own date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from geo.dates import parse_time
from geo.engine.index import ZoneIndex
from geo.engine.region import Region
from geo.errors import InputFormatError, RiskzonesError
from geo.i18n import _
from geo.io.formats import Route, read_route
from geo.trips.alerts import AlertLayer, moment, route_with_alerts, with_alerts
from geo.trips.gazetteer import Gazetteer, Place
from geo.trips.night import CITY_POPULATION, night_travel
from geo.trips.region_routes import RegionRoutes
from geo.trips.route import RouteChecker
from geo.trips.trip_result import (
    MODES,
    ItineraryResult,
    LegResult,
    StopResult,
    Unplaced,
    itinerary_result,
    leg_verdict,
)

__all__ = ["MAX_STOPS", "TooManyStopsError", "check_itinerary", "leg_route"]


#: Most stops an itinerary may have unless the server is configured otherwise.
MAX_STOPS = 100


def _stop_point(
    stop: Any, position: int, gazetteer: Gazetteer
) -> tuple[str, Any, Any, Place | None, tuple[Place, ...]]:
    """Name, lon, lat (validated later by the point check), and the place if named."""
    where = f"stops[{position}]"
    if not isinstance(stop, dict):
        raise InputFormatError(
            _("{where} must be an object with a place or lat and lon", where=where), field=where
        )
    if "airport" in stop:
        code = stop["airport"]
        airport = gazetteer.airport(code) if isinstance(code, str) else None
        if airport is None:
            raise InputFormatError(
                _(
                    "{where}.airport {code} is not an airport in Peru; give its IATA code (LIM, CUZ, ...) "
                    "or a place",
                    where=where,
                    code=repr(code),
                ),
                field=f"{where}.airport",
            )
        name = str(stop.get("name") or gazetteer.airport_name(code))
        return name, airport.lon, airport.lat, airport, ()
    if "lat" in stop or "lon" in stop:
        name = str(stop.get("name") or stop.get("place") or f"stop {position + 1}")
        return name, stop.get("lon"), stop.get("lat"), None, ()  # validated by check_point
    place = stop.get("place")
    if not isinstance(place, str) or not place.strip():
        raise InputFormatError(_("{where} needs a place name or lat and lon", where=where), field=where)
    resolution = gazetteer.resolve(place, department=stop.get("department"), field=f"{where}.place")
    found = resolution.place
    name = str(stop.get("name") or place)
    return name, found.lon, found.lat, found, resolution.passed_over


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
            if fmt == "polyline" and isinstance(value, str):
                return read_route({"polyline": value})
            return read_route(value, fmt)
        except InputFormatError as error:
            raise InputFormatError(f"{where}.{key}: {error}", field=f"{where}.{key}") from None
    return None


def check_itinerary(
    index: ZoneIndex,
    routes: RouteChecker | RegionRoutes,
    gazetteer: Gazetteer,
    document: Any,
    *,
    max_stops: int = MAX_STOPS,
    advisory: object = None,
    alerts: AlertLayer | None = None,
    unplaced: tuple[Unplaced, ...] = (),
    region: Region | None = None,
) -> ItineraryResult:
    """Check an itinerary document ``{"stops": [...], "legs": [...]}`` (see module docs), for
    ``advisory`` (a government of the pack; default ``us``). ``unplaced`` are the calendar
    events that are not stops (``geo.trips.calendar``): the answer lists them and asks for
    review. With a ``region`` (``geo.engine.region``), each stop is answered in the country it
    lies in, its date read in that country's time zone."""
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
        here = _answering(index, region, lon, lat)
        day = _date(here, stop, f"stops[{position}].date")
        try:
            check = here.check_point(lon=lon, lat=lat, date=day, advisory=government)
        except RiskzonesError as error:
            field = f"stops[{position}].{error.field or 'lat'}"
            raise type(error)(f"stops[{position}]: {error}", field=field) from None
        if alerts is not None:
            check = with_alerts(check, alerts, moment(day, here.pack.timezone), here.pack.timezone)
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
    return itinerary_result(index, tuple(stops), tuple(legs), unplaced)


def _answering(index: ZoneIndex, region: Region | None, lon: Any, lat: Any) -> ZoneIndex:
    """The index a stop is answered by: its country's in the region, else ``index``."""
    if region is None:
        return index
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        return index  # the home index's check names the field and the fix
    if not (np.isfinite(x) and np.isfinite(y) and abs(x) <= 180 and abs(y) <= 90):
        return index
    return region.index_at(x, y) or index


class TooManyStopsError(InputFormatError):
    """More stops than the configured limit."""


def _date(index: ZoneIndex, item: dict[str, Any], field: str) -> dt.date:
    return index.pack.date(item.get("date"), field=field)


def _leg(
    routes: RouteChecker | RegionRoutes,
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
