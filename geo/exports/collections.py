"""The pack's zones as feature collections, one per source: each government's advice, Peru's
states of emergency, the research zones (served as OGC API - Features by ``service.api.ogc``).

A collection holds the zones of its source that are in force (or unconfirmed, never
expired) at some time asked about: a day, or a span of days; by default today in the pack's
time zone, so a GIS client sees the version in force then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from geo.errors import UnknownZoneError
from geo.i18n import _
from geo.pack import Zone, ZonePack
from geo.pack.status import change_days, status_on

__all__ = ["ACTIVE", "Collection", "collection", "collections", "select"]

#: The statuses a zone shows in a collection (expired and future zones are left out).
ACTIVE = ("in_force", "unconfirmed")


@dataclass(frozen=True)
class Collection:
    """A collection: its id, the source of its zones, and its title in the current language."""

    id: str
    source: str
    title: str
    description: str


def collections(pack: ZonePack) -> list[Collection]:
    """Every collection of ``pack``: one per government whose advice it carries, then Peru's
    decrees and the research zones, where it has any."""
    sources = {z.source for z in pack.zones}
    found = [
        Collection(
            f"advice-{code}",
            code,
            _("{government}: advice", government=government.name),
            _(
                "The areas of {government}'s travel advice for Peru, each with its level.",
                government=government.name,
            ),
        )
        for code, government in pack.governments.items()
        if code in sources
    ]
    if "pe" in sources:
        found.append(
            Collection(
                "emergencies-pe",
                "pe",
                _("Peru: states of emergency"),
                _("States of emergency declared by Peru's government, by decree."),
            )
        )
    if "research" in sources:
        found.append(
            Collection(
                "research",
                "research",
                _("Research zones"),
                _("Illegal mining and coca-growing areas from monitoring reports; not an official advisory."),
            )
        )
    return found


def collection(pack: ZonePack, collection_id: str) -> Collection:
    """The collection ``collection_id`` (``UnknownZoneError`` naming the known ones)."""
    every = collections(pack)
    for found in every:
        if found.id == collection_id:
            return found
    raise UnknownZoneError(
        _(
            "no collection {id}; the collections are {known}",
            id=repr(collection_id),
            known=", ".join(c.id for c in every),
        )
    )


def _active_between(zone: Zone, start: dt.date, end: dt.date) -> bool:
    """Whether the zone is in force or unconfirmed on some day from ``start`` to ``end``."""
    days = {start} | {day for day in change_days(zone) if start < day <= end}
    return any(status_on(zone, day) in ACTIVE for day in days)


def select(
    pack: ZonePack,
    chosen: Collection,
    *,
    start: dt.date,
    end: dt.date,
    area: BaseGeometry | None = None,
) -> list[Zone]:
    """The collection's zones active at some day of ``start``..``end`` (one day: both the
    same), touching ``area`` when given, in the pack's order."""
    return [
        zone
        for zone in pack.zones
        if zone.source == chosen.source
        and _active_between(zone, start, end)
        and (area is None or zone.geometry.intersects(area))
    ]
