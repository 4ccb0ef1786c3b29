"""What a watch keeps between checks, and how its summary is made.

A watch is stored as its *parts* (each stop and leg, or the one route: where it lies, on which
day, and its answer there without alerts, ``base``) and its *summary* (per part, what
notifications compare: verdict or level, the zones and the alerts that make it, and the trip's
overall verdict). Alerts change nothing but alerts, so when one changes only the parts it
touches are counted again (``part_summary`` on the stored base); a new pack runs the engine
again (``watch_parts``). Both paths make every summary entry with ``part_summary`` and the
overall with ``overall``, so they cannot disagree (tested against the full answer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely

from geo.engine.rules import raised_by_alerts
from geo.io.formats import Route, parse_route
from geo.trips.alerts import (
    Alert,
    AlertLayer,
    alerts_along,
    applies,
    asked_moment,
    hit,
    moment,
    raised_route,
    reason,
)
from geo.trips.itinerary import check_itinerary, leg_route
from geo.trips.trip_result import leg_verdict, overall_verdict
from geo.trips.verdict import RouteResult

__all__ = [
    "Bounds",
    "boxes",
    "days_of",
    "envelope",
    "overall",
    "part_route",
    "part_summary",
    "summarise",
    "touched",
    "watch_parts",
]

Bounds = tuple[float, float, float, float]


def _raising(zones: Any) -> list[str]:
    return sorted(z.id for z in zones if z.raises_level)


def _route_base(result: RouteResult) -> dict[str, Any]:
    return {"verdict": result.verdict, "max_level": result.max_level, "zones": _raising(result.zones)}


def watch_parts(served: Any, kind: str, request: dict[str, Any], max_stops: int) -> list[dict[str, Any]]:
    """The parts of a watch, checked by the engine without alerts: each with ``where`` (its
    label in notifications), ``day`` (None: whatever day is asked), where it lies (``point``,
    ``line``, or ``box`` with ``leg``: a route given as geometry, read again from the request
    when needed) and ``base``, its answer there."""
    if kind == "route":
        route = parse_route(request["route"], request.get("format") or "geojson")
        result = served.routes.check(
            route,
            date=request.get("date"),
            corridor_km=float(request.get("corridor_km") or 0.0),
            advisory=request.get("advisory"),
        )
        base = {**_route_base(result), "reasons": list(result.reasons)}
        return [
            {"where": "overall", "day": request.get("date"), "box": _bounds(route), "leg": None, "base": base}
        ]
    trip = check_itinerary(
        served.index,
        served.routes,
        served.gazetteer,
        request["itinerary"],
        max_stops=max_stops,
        advisory=request.get("advisory"),
        region=served.region,
    )
    parts: list[dict[str, Any]] = []
    for stop in trip.stops:
        check = stop.check
        parts.append(
            {
                "where": f"stop {stop.index + 1} ({stop.name}, {stop.date})",
                "day": stop.date,
                "point": [check.lon, check.lat],
                "base": {"level": check.level, "zones": _raising(check.zones), "counted": check.covered},
            }
        )
    given = request["itinerary"].get("legs") or []
    for leg in trip.legs:
        part: dict[str, Any] = {
            "where": f"leg {leg.index + 1} ({leg.origin} to {leg.destination}, {leg.date})",
            "day": leg.date,
        }
        if leg.route is None:  # a flight: only its ends, the stops, are checked
            parts.append({**part, "base": {"verdict": leg.verdict}})
            continue
        base = {**_route_base(leg.route), "doubtful": bool(leg.check_actual_route), "counted": leg.counted}
        if leg.approximate:
            ends = [parts[leg.index]["point"], parts[leg.index + 1]["point"]]
            parts.append({**part, "line": ends, "base": base})
        else:
            given_route = leg_route(given[leg.index], f"legs[{leg.index}]")
            assert given_route is not None  # the leg was checked along it
            parts.append({**part, "box": _bounds(given_route), "leg": leg.index, "base": base})
    return parts


def _bounds(route: Route) -> Bounds:
    points = np.concatenate([np.asarray(p, dtype=float)[:, :2] for p in route.parts])
    (minx, miny), (maxx, maxy) = points.min(axis=0).tolist(), points.max(axis=0).tolist()
    return (minx, miny, maxx, maxy)


def part_route(part: dict[str, Any], request: Callable[[], dict[str, Any]]) -> Route:
    """The route a leg (or a route watch) is checked along; ``request`` gives the watch's
    request when the route must be read from it."""
    if "line" in part:
        return Route((np.asarray(part["line"], dtype=float),))
    saved = request()
    if part["leg"] is None:
        return parse_route(saved["route"], saved.get("format") or "geojson")
    route = leg_route(saved["itinerary"]["legs"][part["leg"]], f"legs[{part['leg']}]")
    assert route is not None
    return route


def part_summary(
    part: dict[str, Any],
    layer: AlertLayer,
    zone: str,
    now: dt.datetime,
    request: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """What notifications compare for one part, the alerts of ``layer`` counted on its base:
    a stop's level (``geo.engine.rules.raised_by_alerts``), a leg's or route's verdict and level
    (``geo.trips.alerts.raised_route``, ``geo.trips.itinerary.leg_verdict``), the zones and the alerts."""
    base = part["base"]
    if "point" in part:
        lon, lat = part["point"]
        found = layer.at_point(lon, lat, moment(dt.date.fromisoformat(part["day"]), zone))
        return {
            "level": raised_by_alerts(base["level"], (a.level for a in found)),
            "zones": base["zones"],
            "alerts": _listed(found, zone),
        }
    if not _placed(part):  # a flight
        return {"verdict": base["verdict"]}
    when = asked_moment(part["day"], zone, now)
    found = alerts_along(part_route(part, request), layer, when)
    level, verdict = raised_route(base["max_level"], base["verdict"], found)
    entry = {
        "verdict": verdict if "reasons" in base else leg_verdict(verdict, base["doubtful"]),
        "max_level": level,
        "zones": base["zones"],
        "alerts": _listed(found, zone),
    }
    if "reasons" in base:  # a route watch: its zones' reasons too
        entry["reasons"] = base["reasons"]
    return entry


def _listed(found: list[Alert], zone: str) -> list[dict[str, str]]:
    """The alerts of a part as a summary lists them: id, and the reason answers give (so a
    changed level, end or summary is a change)."""
    return [{"id": a.id, "reason": reason(hit(a, zone))} for a in found]


def overall(kind: str, parts: list[dict[str, Any]], entries: dict[str, Any]) -> dict[str, Any]:
    """A watch's overall entry from its parts' entries: a route's own; a trip's verdict from
    the levels of the stops and legs that count (``geo.trips.itinerary.overall_verdict``)."""
    if kind == "route":
        return dict(entries[parts[0]["where"]])
    levels = []
    for part in parts:
        entry = entries[part["where"]]
        if not part["base"].get("counted"):
            continue
        if "point" in part:
            levels.append(entry["level"] or 0)
        elif entry["max_level"] is not None:
            levels.append(entry["max_level"])
    verdict, level, _ = overall_verdict(levels)
    return {"verdict": verdict, "max_level": level}


def summarise(
    kind: str,
    parts: list[dict[str, Any]],
    layer: AlertLayer,
    zone: str,
    now: dt.datetime,
    request: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """A watch's whole summary: ``overall`` and an entry per part (a route watch: only
    ``overall``)."""
    entries = {part["where"]: part_summary(part, layer, zone, now, request) for part in parts}
    if kind == "route":
        return {"overall": overall(kind, parts, entries)}
    return {"overall": overall(kind, parts, entries), **entries}


def _placed(part: dict[str, Any]) -> bool:
    """Whether a part lies somewhere: a stop, or a leg or route with a line or a box (not a
    flight, whose ends are the stops)."""
    return "point" in part or "line" in part or "box" in part


def _shapes(parts: list[dict[str, Any]]) -> np.ndarray:
    """The geometries of ``parts`` (each with a point, a line or a box), made in a few
    vectorised calls."""
    shapes = np.empty(len(parts), dtype=object)
    points = [k for k, p in enumerate(parts) if "point" in p]
    lines = [k for k, p in enumerate(parts) if "line" in p]
    boxed = [k for k, p in enumerate(parts) if "box" in p]
    if points:
        shapes[points] = shapely.points(np.array([parts[k]["point"] for k in points], dtype=float))
    if lines:
        vertices = [parts[k]["line"] for k in lines]
        coords = np.array([xy for line in vertices for xy in line], dtype=float)
        which = np.repeat(np.arange(len(lines)), [len(line) for line in vertices])
        shapes[lines] = shapely.linestrings(coords, indices=which)
    if boxed:
        corners = np.array([parts[k]["box"] for k in boxed], dtype=float)
        shapes[boxed] = shapely.box(corners[:, 0], corners[:, 1], corners[:, 2], corners[:, 3])
    return shapes


def touched(parts: list[dict[str, Any]], alerts: list[Alert], zone: str, now: dt.datetime) -> np.ndarray:
    """Per part, whether one of ``alerts`` lies where it does on its day (a route given as
    geometry is tested by its box here, then along the route itself by ``part_summary``).
    A flight leg has no place of its own: never. All parts at once: an alert change tests
    the parts of thousands of watches."""
    placed = np.array([k for k, part in enumerate(parts) if _placed(part)], dtype=int)
    reached = np.zeros(len(parts), dtype=bool)
    if not placed.size:
        return reached
    shapes = _shapes([parts[k] for k in placed.tolist()])
    days = [parts[k]["day"] for k in placed.tolist()]
    moments = {day: asked_moment(day, zone, now) for day in set(days)}
    for alert in alerts:
        on = {day: applies(alert, when) for day, when in moments.items()}
        on_day = np.array([on[day] for day in days], dtype=bool)
        if not on_day.any():
            continue
        shapely.prepare(alert.geometry)
        hits = np.zeros(len(placed), dtype=bool)
        hits[on_day] = shapely.intersects(alert.geometry, shapes[on_day])
        reached[placed[hits]] = True
    return reached


def envelope(parts: list[dict[str, Any]]) -> Bounds:
    """The box holding every part that lies somewhere."""
    placed = [part for part in parts if _placed(part)]
    if not placed:
        return (0.0, 0.0, 0.0, 0.0)
    minx, miny, maxx, maxy = shapely.total_bounds(_shapes(placed)).tolist()
    return (minx, miny, maxx, maxy)


def boxes(parts: list[dict[str, Any]]) -> list[tuple[str | None, Bounds]]:
    """Each part's day and box, as the database keeps them to find the watches a change
    can touch (flights have none)."""
    placed = [part for part in parts if _placed(part)]
    if not placed:
        return []
    bounds = shapely.bounds(_shapes(placed)).tolist()
    return [(part["day"], (b[0], b[1], b[2], b[3])) for part, b in zip(placed, bounds, strict=True)]


def days_of(alerts: list[Alert], zone: str) -> tuple[str, str]:
    """The first and last day (in ``zone``, ISO) on which one of ``alerts`` applies."""
    tz = ZoneInfo(zone)
    first = min(a.starts for a in alerts).astimezone(tz).date()
    last = (max(a.ends for a in alerts) - dt.timedelta(microseconds=1)).astimezone(tz).date()
    return first.isoformat(), max(first, last).isoformat()
