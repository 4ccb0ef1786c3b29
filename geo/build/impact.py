"""What a change of the pack does to answers: the days on which they change, and the named
places of the gazetteer whose level changes for any government (``riskzones zones diff``).

A zone answers differently on a day when it is added or removed, or when its status, level,
kind or shape differs between the packs on that day. The days come from each changed zone's
status timeline (``geo.pack.status.change_days``), so every day on which an answer can differ
is a candidate; the places are checked with each pack's own index on every candidate day on
which some zone differs, for every government's view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import shapely

from geo.engine.index import ZoneIndex
from geo.pack import Zone, ZonePack
from geo.pack.changes import PackDiff
from geo.pack.status import BEGINNING, change_days, status_on
from geo.trips.gazetteer import Gazetteer

__all__ = ["AnswerChanges", "answer_changes"]


@dataclass(frozen=True)
class AnswerChanges:
    """Spans of days on which answers differ (with the zones that make them differ), and the
    named places whose level differs on the first day of a span."""

    days: tuple[dict[str, Any], ...]
    places: tuple[dict[str, Any], ...]

    def as_json(self) -> dict[str, Any]:
        return {"days": list(self.days), "places": list(self.places)}

    def report(self) -> str:
        """As text, after the zone lines of ``PackDiff.report``."""
        if not self.days:
            return "  answers: the same on every day"
        lines = ["  answers change on:"]
        for span in self.days:
            until = span["until"] or "on"
            lines.append(f"    {span['from']} .. {until}: {', '.join(span['zones'])}")
        if self.places:
            lines.append("  named places whose level changes:")
            for place in self.places:
                levels = ", ".join(f"{g} {old} -> {new}" for g, (old, new) in place["levels"].items())
                lines.append(f"    {place['name']} ({place['ubigeo']}) from {place['day']}: {levels}")
        else:
            lines.append("  no named place changes level")
        return "\n".join(lines)


def answer_changes(old: ZonePack, new: ZonePack, diff: PackDiff) -> AnswerChanges:
    """The days and places on which ``new`` answers differently from ``old``."""
    ids = {f["id"] for f in diff.added} | {f["id"] for f in diff.removed} | {c.id for c in diff.changed}
    if not ids:
        return AnswerChanges((), ())
    before = {z.id: z for z in old.zones if z.id in ids}
    after = {z.id: z for z in new.zones if z.id in ids}
    reshaped = {c.id for c in diff.changed if "area_km2" in c.fields}
    candidates = sorted(set().union(*(change_days(z) for z in [*before.values(), *after.values()])))

    def differing(day: dt.date) -> tuple[str, ...]:
        return tuple(
            sorted(
                i
                for i in ids
                if _state(before.get(i), day, i in reshaped, 0) != _state(after.get(i), day, i in reshaped, 1)
            )
        )

    spans: list[dict[str, Any]] = []
    checked: list[dt.date] = []  # every candidate day on which some zone answers differently
    for k, day in enumerate(candidates):
        zones = differing(day)
        until = candidates[k + 1] - dt.timedelta(days=1) if k + 1 < len(candidates) else None
        if not zones:
            continue
        checked.append(until if day == BEGINNING and until else day)
        if (
            spans
            and spans[-1]["zones"] == list(zones)
            and spans[-1]["until"] == (day - dt.timedelta(days=1)).isoformat()
        ):
            spans[-1]["until"] = until.isoformat() if until else None
        else:
            spans.append(
                {"from": day.isoformat(), "until": until.isoformat() if until else None, "zones": list(zones)}
            )
    for span in spans:
        if span["from"] == BEGINNING.isoformat():
            span["from"] = None  # from the beginning: no first day
    return AnswerChanges(tuple(spans), tuple(_places(old, new, [*before.values(), *after.values()], checked)))


def _state(zone: Zone | None, day: dt.date, reshaped: bool, side: int) -> tuple[object, ...] | None:
    """What a zone contributes to answers on ``day``; its shape counts only where it changed."""
    if zone is None:
        return None
    status = status_on(zone, day)
    return (status, zone.level, zone.kind, side if reshaped and status != "not_yet" else None)


def _places(old: ZonePack, new: ZonePack, zones: list[Zone], days: list[dt.date]) -> list[dict[str, Any]]:
    """Named places inside any changed zone (old or new shape) whose level for some government
    differs between the packs on one of ``days`` (each place from the first such day)."""
    if not days:
        return []
    area = shapely.union_all([z.geometry for z in zones])
    places = [p for p in Gazetteer.from_pack(new).places if area.covers(shapely.Point(p.lon, p.lat))]
    if not places:
        return []
    indexes = ZoneIndex(old), ZoneIndex(new)
    governments = sorted(set(old.governments) | set(new.governments))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for day in days:
        for place in places:
            levels = {}
            for government in governments:
                was, now = (
                    index.check_point(lon=place.lon, lat=place.lat, date=day, advisory=government).level
                    if government in index.pack.governments
                    else None
                    for index in indexes
                )
                if was != now:
                    levels[government] = (was, now)
            key = (place.name, place.ubigeo)
            if levels and key not in found:
                found[key] = {
                    "name": place.name,
                    "ubigeo": place.ubigeo,
                    "day": day.isoformat(),
                    "levels": levels,
                }
    return sorted(found.values(), key=lambda p: (p["day"], p["name"]))
