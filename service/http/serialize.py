"""Engine answers to JSON: one place decides the shape the API promises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from geo.io.formats import input_summary
from geo.pack.status import status_text

if TYPE_CHECKING:
    from geo.engine.advisories import Currency
    from geo.engine.day import PackDay
    from geo.engine.results import PointResult
    from geo.io.formats import Route
    from geo.pack import Zone, ZonePack
    from geo.trips.night import NightTravel
    from geo.trips.trip_result import ItineraryResult
    from geo.trips.verdict import RouteResult

__all__ = [
    "currency_json",
    "itinerary_answer",
    "itinerary_json",
    "pack_ref",
    "point_answer",
    "point_json",
    "route_answer",
    "route_json",
    "zone_properties",
]


def pack_ref(pack: ZonePack) -> dict[str, str]:
    """Which pack answered."""
    return {"id": pack.id, "version": pack.version}


def point_json(result: PointResult, *, with_advice: bool = True) -> dict[str, Any]:
    """A point answer; without advice in batches, where it is given once for all points.

    Built field by field: ``dataclasses.asdict`` deep-copies and costs more than the lookup.
    """
    body: dict[str, Any] = {
        "lon": result.lon,
        "lat": result.lat,
        "date": result.date,
        "covered": result.covered,
        "level": result.level,
        "label": result.label,
        "zones": [{**vars(z), "categories": list(z.categories)} for z in result.zones],
        "nearby": [{**vars(n), "nearest": {"lon": n.nearest[0], "lat": n.nearest[1]}} for n in result.nearby],
        "admin": dict(vars(result.admin)) if result.admin else None,
        "hint": result.hint,
        "advisory": result.advisory,
        "advisories": [
            {**vars(a), "areas": list(a.areas), "excepted": list(a.excepted)} for a in result.advisories
        ],
        "disagreement": result.disagreement,
        "currency": currency_json(result.currency),
        "alerts": [{**vars(a), "advice": list(a.advice)} for a in result.alerts],
        "country": result.country,
        "not_drawn": [vars(n) for n in result.not_drawn],
    }
    if with_advice:
        advice = result.advice
        body["advice"] = {
            "baseline": list(advice.baseline),
            "zones": [{"id": zone_id, "advice": text} for zone_id, text in advice.zones],
            "contacts": list(advice.contacts),
        }
    return body


def currency_json(items: Iterable[Currency]) -> list[dict[str, Any]]:
    """How current each source is: the same list in point, route and pack answers."""
    return [
        {
            "source": c.source,
            "as_of": c.as_of,
            "verified_on": c.verified_on,
            "possibly_outdated": c.possibly_outdated,
        }
        for c in items
    ]


def zone_feature(zone: Zone, today: PackDay, geometry: dict[str, Any]) -> dict[str, Any]:
    """A zone as a GeoJSON Feature with its status on the day of ``today`` (``/v1/zones``,
    ``/ogc``); ``geometry`` is its GeoJSON geometry, made once."""
    status = today.status_of(zone)
    return {
        "type": "Feature",
        "id": zone.id,
        "properties": zone_properties(zone, status, status_text(zone, status, today.day)),
        "geometry": geometry,
    }


def zone_properties(zone: Zone, status: str, status_text: str) -> dict[str, Any]:
    """A zone's published properties with its status on the asked date; its name, summary
    and advice in the language of the request (the pack's other translations left out)."""
    published = {k: v for k, v in zone.properties.items() if k != "translations"}
    return {**published, **asdict(zone.text), "status": status, "status_text": status_text}


def point_answer(result: PointResult, pack: ZonePack) -> dict[str, Any]:
    """The whole answer for one point, as ``GET /v1/check`` and ``riskzones check --json`` give it."""
    return {**point_json(result), "pack": pack_ref(pack)}


def route_json(result: RouteResult) -> dict[str, Any]:
    """A route answer (tuples become lists)."""
    return asdict(result)


def route_answer(result: RouteResult, route: Route, pack: ZonePack) -> dict[str, Any]:
    """The whole answer for one route, as ``POST /v1/route`` and ``riskzones route --json`` give
    it: the check, the route's name, what was read from the file, and the pack."""
    return {**route_json(result), "name": route.name, "input": input_summary(route), "pack": pack_ref(pack)}


def itinerary_json(result: ItineraryResult) -> dict[str, Any]:
    """An itinerary answer: stops with their point checks, legs with their route checks, and
    the calendar events that could not be placed (only when there are some)."""
    unplaced = (
        {
            "unplaced": [
                {**asdict(u), "candidates": [asdict(p) for p in u.candidates]} for u in result.unplaced
            ]
        }
        if result.unplaced
        else {}
    )
    return {
        "verdict": result.verdict,
        "max_level": result.max_level,
        "label": result.label,
        "needs_review": result.needs_review,
        "reasons": list(result.reasons),
        "stops": [
            {
                "index": s.index,
                "name": s.name,
                "date": s.date,
                "place": asdict(s.place) if s.place else None,
                "also_named": [asdict(p) for p in s.passed_over],
                "check": point_json(s.check, with_advice=False),
                "reasons": list(own),
            }
            for s, own in zip(result.stops, result.stop_reasons, strict=True)
        ],
        "legs": [
            {
                **{k: v for k, v in asdict(leg).items() if k not in ("route", "night")},
                "route": asdict(leg.route) if leg.route else None,
                "night": night_json(leg.night) if leg.night else None,
                "reasons": list(own),
            }
            for leg, own in zip(result.legs, result.leg_reasons, strict=True)
        ],
        **unplaced,
    }


def night_json(night: NightTravel) -> dict[str, Any]:
    """A leg's night-travel answer."""
    return {
        **{k: v for k, v in vars(night).items() if k != "rules"},
        "at_night": list(night.at_night),
        "allowed_on": list(night.allowed_on),
        "rules": [
            {
                **vars(rule),
                "version": rule.version.isoformat(),
                "waypoints": [list(w) for w in rule.waypoints] if rule.waypoints else None,
            }
            for rule in night.rules
        ],
    }


def itinerary_answer(result: ItineraryResult, pack: ZonePack) -> dict[str, Any]:
    """The whole answer for an itinerary, as ``POST /v1/itinerary`` and ``riskzones itinerary
    --json`` give it."""
    return {**itinerary_json(result), "pack": pack_ref(pack)}
