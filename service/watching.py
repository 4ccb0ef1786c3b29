"""Watches: a saved route or itinerary, its answer kept as a summary, re-checked when the pack
or an alert near it changes; a changed summary queues a signed notification (``service.delivery``).

What a notification compares (``summarise``): the verdict, the highest level and the reasons
overall, and per stop and leg its level (or verdict), the zones and the alerts that make it.
"""

from __future__ import annotations

import json
from typing import Any

import shapely

from geo.formats import parse_route
from geo.itinerary import leg_route
from service.answers import Serving, answer_itinerary, answer_route

__all__ = [
    "WATCH_KINDS",
    "canonical",
    "differences",
    "recheck",
    "recheck_near",
    "request_bounds",
    "run_watch",
    "summarise",
]

WATCH_KINDS = ("route", "itinerary")


def run_watch(served: Serving, kind: str, request: dict[str, Any], max_stops: int) -> dict[str, Any]:
    """The answer for a watch's saved request, as the API gives it."""
    if kind == "itinerary":
        return answer_itinerary(
            served, request["itinerary"], max_stops=max_stops, advisory=request.get("advisory")
        )
    route = parse_route(request["route"], request.get("format") or "geojson")
    return answer_route(
        served,
        route,
        date=request.get("date"),
        corridor_km=float(request.get("corridor_km") or 0.0),
        advisory=request.get("advisory"),
    )


def request_bounds(
    kind: str, request: dict[str, Any], answer: dict[str, Any]
) -> tuple[float, float, float, float]:
    """The envelope of a watch: its stops and every leg or route geometry it was given."""
    boxes = []
    if kind == "itinerary":
        boxes += [shapely.Point(s["check"]["lon"], s["check"]["lat"]).bounds for s in answer["stops"]]
        for position, leg in enumerate(request["itinerary"].get("legs") or []):
            route = leg_route(leg, f"legs[{position}]") if isinstance(leg, dict) else None
            boxes += [shapely.MultiPoint(part).bounds for part in (route.parts if route else ())]
    else:
        route = parse_route(request["route"], request.get("format") or "geojson")
        boxes += [shapely.MultiPoint(part).bounds for part in route.parts]
    minx = min(b[0] for b in boxes)
    miny = min(b[1] for b in boxes)
    maxx = max(b[2] for b in boxes)
    maxy = max(b[3] for b in boxes)
    return minx, miny, maxx, maxy


def _route_summary(route: dict[str, Any]) -> dict[str, Any]:
    return {
        "verdict": route["verdict"],
        "max_level": route["max_level"],
        "zones": sorted(z["id"] for z in route["zones"] if z.get("raises_level")),
        "alerts": [a["id"] for a in route.get("alerts", [])],
    }


def summarise(kind: str, answer: dict[str, Any]) -> dict[str, Any]:
    """What notifications compare, from an answer."""
    if kind == "route":
        return {"overall": {**_route_summary(answer), "reasons": list(answer["reasons"])}}
    parts: dict[str, Any] = {
        "overall": {
            "verdict": answer["verdict"],
            "max_level": answer["max_level"],
            "reasons": list(answer["reasons"]),
        }
    }
    for stop in answer["stops"]:
        check = stop["check"]
        parts[f"stop {stop['index'] + 1} ({stop['name']}, {stop['date']})"] = {
            "level": check["level"],
            "zones": sorted(z["id"] for z in check["zones"] if z.get("raises_level")),
            "alerts": [a["id"] for a in check.get("alerts", [])],
        }
    for leg in answer["legs"]:
        label = f"leg {leg['index'] + 1} ({leg['origin']} to {leg['destination']}, {leg['date']})"
        parts[label] = {
            "verdict": leg["verdict"],
            **(_route_summary(leg["route"]) if leg.get("route") else {}),
        }
    return parts


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Each part (overall, stop, leg) whose summary changed, with before and after."""
    changed = []
    for part in [*before, *(p for p in after if p not in before)]:
        if before.get(part) != after.get(part):
            changed.append({"where": part, "before": before.get(part), "after": after.get(part)})
    return changed


def canonical(document: Any) -> str:
    """A document as stored and signed: sorted keys, no spaces (the same bytes every time)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def recheck(served: Serving, watches: list[Any], event: dict[str, Any], max_stops: int) -> dict[str, int]:
    """Re-check ``watches`` after ``event`` (what changed: kind and ref); queue a notification
    for each whose summary changed. Counts of re-checked and notified watches."""
    from geo.errors import RiskzonesError
    from service.store.watches import save_check

    notified = 0
    for watch in watches:
        try:
            summary = summarise(watch.kind, run_watch(served, watch.kind, watch.request, max_stops))
        except RiskzonesError as error:  # e.g. a stop's place is no longer in a new pack
            summary = {"overall": {"error": str(error)}}
        changed = differences(watch.summary, summary)
        notification = (
            {
                "watch": watch.id,
                "event": event,
                "changed": changed,
                "summary": summary,
                "link": f"/v1/watches/{watch.id}",
            }
            if changed
            else None
        )
        if save_check(served.alerts.store, watch.id, summary, notification):
            notified += 1
    return {"rechecked": len(watches), "notified": notified}


def recheck_near(served: Serving, bounds: Any, event: dict[str, Any], max_stops: int) -> dict[str, int]:
    """Re-check the watches whose envelope meets ``bounds`` (a change there)."""
    from service.store.watches import watches_near

    return recheck(served, watches_near(served.alerts.store, bounds), event, max_stops)
