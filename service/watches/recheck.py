"""Watches: a saved route or itinerary, re-checked when the pack or an alert near it changes;
a changed summary queues a signed notification (``service.watches.delivery``).

What is kept and compared is ``service.watches.summary``'s: a new pack (or a re-check asked for)
runs the engine again (``recheck``); an alert change counts the alerts again only on the parts
it touches of the watches it can reach (``recheck_near``), found by the database's boxes.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import numpy as np
import shapely

from geo.errors import InputFormatError, RiskzonesError
from geo.i18n import DEFAULT, _, speaking
from geo.io.formats import parse_route
from geo.trips.alerts import Alert
from geo.trips.calendar import ItineraryInput
from geo.trips.itinerary import MAX_STOPS
from service.answers import Serving, answer_itinerary, answer_route
from service.store.db import utcnow
from service.watches.summary import (
    boxes,
    days_of,
    envelope,
    overall,
    part_summary,
    summarise,
    touched,
    watch_parts,
)

__all__ = [
    "WATCH_KINDS",
    "check_watch",
    "differences",
    "new_watch",
    "recheck",
    "recheck_for_pack",
    "recheck_near",
    "run_watch",
    "watch_request",
]

WATCH_KINDS = ("route", "itinerary")


def watch_request(body: Any) -> tuple[str, dict[str, Any], str]:
    """The watch's kind, the request it saves, and its callback URL, validated."""
    if not isinstance(body, dict):
        raise InputFormatError(
            _('send an object with "itinerary" or "route", and "callback_url"'), field="body"
        )
    kinds = [k for k in WATCH_KINDS if k in body]
    if len(kinds) != 1:
        raise InputFormatError(_('give exactly one of "itinerary" or "route"'), field="body")
    url = body.get("callback_url")
    if not isinstance(url, str) or len(url) > 2_000:
        raise InputFormatError(
            _("callback_url is required: the https URL notifications go to"), field="callback_url"
        )
    kind = kinds[0]
    saved: dict[str, Any] = {kind: body[kind]}
    for option in ("advisory", "date", "corridor_km", "format"):
        if body.get(option) is not None:
            saved[option] = body[option]
    return kind, saved, url


def new_watch(
    served: Serving, key_id: str, body: Any, *, allow_private: bool, max_stops: int
) -> tuple[Any, dict[str, Any]]:
    """Save the watch ``body`` asks for (``watch_request``) for key ``key_id``, its callback
    checked (``service.watches.delivery.check_target``): the stored row (its secret shown once) and
    the answer now."""
    from service.watches.delivery import check_target
    from service.watches.store import create_watch

    kind, saved, url = watch_request(body)
    check_target(url, allow_private=allow_private)
    answer = run_watch(served, kind, saved, max_stops)
    parts, summary = check_watch(served, kind, saved, max_stops, utcnow())
    row = create_watch(
        served.alerts.store,
        key_id=key_id,
        kind=kind,
        request=saved,
        callback_url=url,
        bounds=envelope(parts),
        summary=summary,
        parts=parts,
        boxes=boxes(parts),
    )
    return row, answer


def run_watch(served: Serving, kind: str, request: dict[str, Any], max_stops: int) -> dict[str, Any]:
    """The answer for a watch's saved request, as the API gives it."""
    if kind == "itinerary":
        return answer_itinerary(
            served,
            ItineraryInput(request["itinerary"]),
            max_stops=max_stops,
            advisory=request.get("advisory"),
        )
    route = parse_route(request["route"], request.get("format") or "geojson")
    return answer_route(
        served,
        route,
        date=request.get("date"),
        corridor_km=float(request.get("corridor_km") or 0.0),
        advisory=request.get("advisory"),
    )


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Each part (overall, stop, leg) whose summary changed, with before and after."""
    changed = []
    for part in [*before, *(p for p in after if p not in before)]:
        if before.get(part) != after.get(part):
            changed.append({"where": part, "before": before.get(part), "after": after.get(part)})
    return changed


def check_watch(
    served: Serving, kind: str, request: dict[str, Any], max_stops: int, now: dt.datetime
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A watch checked in full: its parts by the engine, its summary with the alerts served.
    In English whatever the request's language: summaries are compared across re-checks."""
    with speaking(DEFAULT):
        parts = watch_parts(served, kind, request, max_stops)
        summary = summarise(kind, parts, served.alerts.layer(), served.pack.timezone, now, lambda: request)
    return parts, summary


def _notification(
    watch_id: str, event: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any] | None:
    changed = differences(before, after)
    if not changed:
        return None
    return {
        "watch": watch_id,
        "event": event,
        "changed": changed,
        "summary": after,
        "link": f"/v1/watches/{watch_id}",
    }


def recheck(served: Serving, watches: list[Any], event: dict[str, Any], max_stops: int) -> dict[str, int]:
    """Re-check ``watches`` in full after ``event`` (what changed: kind and ref); queue a
    notification for each whose summary changed. Counts of re-checked and notified watches."""
    from service.watches.store import save_check

    notified = 0
    now = utcnow()
    for watch in watches:
        parts: list[dict[str, Any]] | None
        try:
            parts, summary = check_watch(served, watch.kind, watch.request, max_stops, now)
        except RiskzonesError as error:  # e.g. a stop's place is no longer in a new pack
            parts, summary = None, {"overall": {"error": str(error)}}
        notification = _notification(watch.id, event, watch.summary, summary)
        saved = save_check(
            served.alerts.store,
            watch.id,
            summary,
            notification,
            parts=parts,
            boxes=boxes(parts) if parts is not None else None,
        )
        notified += saved is not None
    return {"rechecked": len(watches), "notified": notified}


def recheck_near(
    served: Serving, versions: list[Alert], event: dict[str, Any], max_stops: int
) -> dict[str, int]:
    """Re-check the watches an alert change can affect: ``versions`` are the alert before and
    after. The database finds the watches with a part whose box meets them on one of their
    days; of those, the parts one of them touches (``touched``) get their alerts counted
    again on their stored base (``part_summary``), the rest of the summary stays. A watch
    whose parts carry no base (saved before bases were kept) or whose last check failed is
    re-checked in full."""
    from service.watches.store import candidates, request_of, save_checks

    store = served.alerts.store
    zone = served.pack.timezone
    now = utcnow()
    layer = served.alerts.layer()
    bounds = tuple(shapely.total_bounds([a.geometry for a in versions]).tolist())
    checks = []
    in_full = []
    rows = candidates(store, bounds, days_of(versions, zone))
    every = [part for row in rows for part in row.parts]
    reached_parts = touched(every, versions, zone, now)
    offsets = np.cumsum([0, *(len(row.parts) for row in rows)])
    for row, start in zip(rows, offsets[:-1].tolist(), strict=True):
        reached = [part for k, part in enumerate(row.parts) if reached_parts[start + k]]
        if not reached:
            continue
        if "error" in row.summary.get("overall", {}) or any("base" not in p for p in row.parts):
            in_full.append(row.id)
            continue
        summary = dict(row.summary)
        with speaking(DEFAULT):  # as check_watch: summaries are compared across re-checks
            for part in reached:
                summary[part["where"]] = part_summary(
                    part, layer, zone, now, partial(request_of, store, row.id)
                )
        summary["overall"] = overall(row.kind, row.parts, summary)
        checks.append((row.id, summary, _notification(row.id, event, row.summary, summary)))
    notified = save_checks(store, checks)
    if in_full:
        from service.store.models import WatchRow

        with store.session() as session:
            full_rows = [session.get(WatchRow, watch_id) for watch_id in in_full]
        notified += recheck(served, [r for r in full_rows if r is not None], event, max_stops)["notified"]
    return {"rechecked": len(checks) + len(in_full), "notified": notified}


def recheck_for_pack(served: Serving, max_stops: int = MAX_STOPS) -> dict[str, int] | None:
    """When the pack ``served`` serves is newer than the one the watches were last checked
    for, re-check every watch in full (a pack may change any zone) and remember it; None
    otherwise. The first time, the current pack is only remembered: watches were made against
    it."""
    from sqlalchemy import select

    from service.store.models import ChangeRow, MetaRow
    from service.watches.store import watches_near

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
