"""Watches: a saved route or itinerary, its answer kept as a summary, re-checked when the pack
or an alert near it changes; a changed summary queues a signed notification (``service.delivery``).

What a notification compares (``summarise``): the verdict, the highest level and the reasons
overall, and per stop and leg its level (or verdict), the zones and the alerts that make it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely

from geo.alerts import Alert, applies, moment
from geo.formats import parse_route
from geo.itinerary import leg_route
from service.answers import Serving, answer_itinerary, answer_route

__all__ = [
    "WATCH_KINDS",
    "differences",
    "envelope",
    "recheck",
    "recheck_for_pack",
    "recheck_near",
    "run_watch",
    "summarise",
    "touches",
    "watch_parts",
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


def watch_parts(kind: str, request: dict[str, Any], answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The stops and legs of a watch, each with its day (None: whatever day is asked) and
    where it lies: a point (a stop), a line (a leg checked along the straight line), or a box
    (a route given as geometry: its envelope, which holds every vertex)."""
    if kind == "route":
        route = parse_route(request["route"], request.get("format") or "geojson")
        boxes = [shapely.MultiPoint(part).bounds for part in route.parts]
        return [{"day": request.get("date"), "box": _union(boxes)}]
    parts: list[dict[str, Any]] = [
        {"day": stop["date"], "point": [stop["check"]["lon"], stop["check"]["lat"]]}
        for stop in answer["stops"]
    ]
    given = request["itinerary"].get("legs") or []
    for leg in answer["legs"]:
        if leg["mode"] == "flight":
            continue  # only its ends are checked: the stops
        spec = given[leg["index"]] if leg["index"] < len(given) else {}
        given_route = leg_route(spec, f"legs[{leg['index']}]") if isinstance(spec, dict) else None
        if given_route is not None:
            box = _union([shapely.MultiPoint(p).bounds for p in given_route.parts])
            parts.append({"day": leg["date"], "box": box})
        else:
            ends = [parts[leg["index"]]["point"], parts[leg["index"] + 1]["point"]]
            parts.append({"day": leg["date"], "line": ends})
    return parts


def envelope(parts: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """The box holding every part."""
    boxes = []
    for part in parts:
        if "point" in part:
            boxes.append((*part["point"], *part["point"]))
        elif "line" in part:
            boxes.append(shapely.LineString(part["line"]).bounds)
        else:
            boxes.append(tuple(part["box"]))
    return _union(boxes)


def _union(boxes: list[tuple[float, ...]]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def touches(parts: list[dict[str, Any]], alerts: list[Alert], zone: str) -> bool:
    """Whether one of the alerts can change an answer for one of ``parts``: it lies where the
    part does, on the part's day (a watch saved without parts is always re-checked)."""
    if not parts:
        return True
    for part in parts:
        if "point" in part:
            shape = shapely.Point(part["point"])
        elif "line" in part:
            shape = shapely.LineString(part["line"])
        else:
            shape = shapely.box(*part["box"])
        for alert in alerts:
            on_day = part["day"] is None or applies(alert, moment(dt.date.fromisoformat(part["day"]), zone))
            if on_day and alert.geometry.intersects(shape):
                return True
    return False


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


def recheck_near(
    served: Serving, alerts: list[Alert], event: dict[str, Any], max_stops: int
) -> dict[str, int]:
    """Re-check the watches an alert change can affect: ``alerts`` are its versions (before
    and after); the database finds the watches whose envelope meets them, ``touches`` keeps
    those with a stop or leg where and when one of them applies."""
    from service.store.watches import watches_near

    bounds = _union([a.geometry.bounds for a in alerts])
    zone = served.pack.timezone
    near = watches_near(served.alerts.store, bounds)
    return recheck(served, [w for w in near if touches(w.parts, alerts, zone)], event, max_stops)


def recheck_for_pack(served: Serving, max_stops: int = 100) -> dict[str, int] | None:
    """When the pack ``served`` serves is newer than the one the watches were last checked
    for, re-check every watch (a pack may change any zone) and remember it; None otherwise.
    The first time, the current pack is only remembered: watches were made against it."""
    from sqlalchemy import select

    from service.store.models import ChangeRow, MetaRow
    from service.store.watches import watches_near

    store = served.alerts.store
    ref = f"{served.pack.id}@{served.pack.version}"[:80]
    with store.session() as session:
        latest = session.scalar(
            select(ChangeRow.ref).where(ChangeRow.kind == "pack").order_by(ChangeRow.id.desc())
        )
        done = session.get(MetaRow, "watches_pack")
        if latest != ref:  # another pack is being served: leave it to its servers
            return None
        if done is None:
            session.add(MetaRow(key="watches_pack", value=ref))
            return None
        if done.value == ref:
            return None
        done.value = ref
    return recheck(served, watches_near(store, None), {"kind": "pack", "ref": ref}, max_stops)
