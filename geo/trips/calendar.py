"""A calendar's events as an itinerary: each event placed by its GEO, its airport codes or a
place of its LOCATION the gazetteer knows, dated in the pack's time zone; flights become
flight legs. An event that cannot be placed is listed with the reason and its candidates
(``Unplaced``), never dropped: the itinerary's answer carries the list and asks for review.

``itinerary_input`` is the one entry of the API, the command line and the map page: it reads
any itinerary document kind (JSON, YAML, CSV or iCalendar) into the document
``check_itinerary`` takes, and the events it could not place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.calendars import CalendarEvent, read_calendar
from geo.io.itineraries import read_itinerary
from geo.trips.gazetteer import AmbiguousPlaceError, Gazetteer, Place, normalise
from geo.trips.trip_result import Unplaced

__all__ = ["DOCUMENT_KINDS", "ItineraryInput", "calendar_itinerary", "itinerary_input"]

#: Every itinerary document kind: those of ``geo.io.itineraries`` and iCalendar.
DOCUMENT_KINDS = ("json", "yaml", "csv", "ics")
#: Most candidates listed for an event that could not be placed.
MAX_CANDIDATES = 8
_COUNTRY = {"peru", "peru.", "perú", "republic of peru", "república del perú"}
_POSTCODE = re.compile(r"\b\d{4,6}\b")


@dataclass(frozen=True)
class ItineraryInput:
    """An itinerary document (``{"stops": [...], "legs": [...]}``) and the calendar events that
    could not be placed (empty for the other kinds)."""

    document: Any
    unplaced: tuple[Unplaced, ...] = field(default=())


def itinerary_input(raw: bytes, kind: str, gazetteer: Gazetteer, timezone: str) -> ItineraryInput:
    """The itinerary in ``raw``, read as ``kind`` (json, yaml, csv or ics); calendar events are
    dated in ``timezone`` (the pack's)."""
    if kind == "ics":
        return calendar_itinerary(read_calendar(raw), gazetteer, timezone)
    return ItineraryInput(read_itinerary(raw, kind))


def calendar_itinerary(events: list[CalendarEvent], gazetteer: Gazetteer, timezone: str) -> ItineraryInput:
    """Stops and legs from calendar ``events`` (sorted by start), in the order they happen."""
    zone = ZoneInfo(timezone)
    stops: list[dict[str, Any]] = []
    legs: list[dict[str, Any]] = []
    unplaced: list[Unplaced] = []
    noted: set[tuple[str, str]] = set()

    def add(stop: dict[str, Any], mode: str) -> None:
        if stops:
            legs.append({"mode": mode})
        stops.append(stop)

    for event in sorted(events, key=_order(events, zone)):
        label = event.summary or event.location or _("an event")
        if event.start is None:
            unplaced.append(Unplaced(label, None, event.location, event.note or ""))
            continue
        day = _local_date(event.start, zone)
        if event.note and (label, event.note) not in noted:  # once per repeating event
            noted.add((label, event.note))
            unplaced.append(Unplaced(label, day, event.location, event.note))
        if event.flight is not None:
            _flight(event, day, _local_date(event.end or event.start, zone), gazetteer, add, unplaced)
            continue
        if event.geo is not None:
            lat, lon = event.geo
            add({"lat": lat, "lon": lon, "name": label, "date": day}, "road")
            continue
        if not event.location:
            unplaced.append(Unplaced(label, day, "", _("the event has no location or GEO position")))
            continue
        found = _place(event.location, gazetteer)
        if found.query is None:
            reason = (
                _(
                    "{location} names several places; add the department to the location "
                    '("Santa Rosa, Amazonas") or give the event a GEO position',
                    location=repr(event.location),
                )
                if found.ambiguous
                else _(
                    "no place of {location} is in the gazetteer; name a town there or give the event a "
                    "GEO position",
                    location=repr(event.location),
                )
            )
            unplaced.append(Unplaced(label, day, event.location, reason, found.candidates))
            continue
        add({"place": found.query, "name": label, "date": day}, "road")
    if not stops:
        listed = "; ".join(f"{u.event} ({u.date}): {u.reason}" for u in unplaced[:10]) or _(
            "it has no events"
        )
        raise InputFormatError(
            _("no event of the calendar could be placed: {listed}", listed=listed), field="body"
        )
    return ItineraryInput({"stops": stops, "legs": legs}, tuple(unplaced))


def _order(events: list[CalendarEvent], zone: ZoneInfo) -> Any:
    """How events follow each other on a trip, by their dates and times in the pack's zone. An
    all-day event is where one is that day (a hotel stay), so it follows the day's timed
    events (the flight that gets there); one that spans every other event (the trip summary
    TripIt writes) comes first."""
    starts = [_local_day(e.start, zone) for e in events if e.start is not None]
    ends = [_local_day(e.end or e.start, zone) for e in events if e.start is not None]
    first, last = min(starts, default=None), max(ends, default=None)

    def key(event: CalendarEvent) -> tuple[int, dt.date, int, float]:
        if event.start is None:
            return (1, dt.date.min, 0, 0.0)
        day = _local_day(event.start, zone)
        if isinstance(event.start, dt.datetime):
            local = event.start.astimezone(zone) if event.start.tzinfo else event.start
            return (0, day, 1, local.hour * 3600 + local.minute * 60 + local.second)
        spans_all = day == first and event.end is not None and _local_day(event.end, zone) >= (last or day)
        return (0, day, 0 if spans_all else 2, 0.0)

    return key


def _local_day(moment: dt.date | dt.datetime, zone: ZoneInfo) -> dt.date:
    """The calendar day of ``moment`` in the pack's zone (a floating time is local already)."""
    if isinstance(moment, dt.datetime):
        return (moment.astimezone(zone) if moment.tzinfo is not None else moment).date()
    return moment


def _local_date(moment: dt.date | dt.datetime, zone: ZoneInfo) -> str:
    """The calendar date of ``moment`` in the pack's zone, as ISO text."""
    return _local_day(moment, zone).isoformat()


def _flight(
    event: CalendarEvent,
    departs: str,
    arrives: str,
    gazetteer: Gazetteer,
    add: Any,
    unplaced: list[Unplaced],
) -> None:
    """The flight's ends that are in Peru as stops, joined by a flight leg."""
    flight = event.flight
    assert flight is not None
    label = event.summary
    origin = gazetteer.airport(flight.origin) if flight.origin else None
    if flight.destination:
        destination = gazetteer.airport(flight.destination)
        destination_stop = {"airport": flight.destination, "date": arrives} if destination else None
    else:
        name = _place(flight.destination_name or "", gazetteer).query
        destination_stop = {"place": name, "name": label, "date": arrives} if name else None
    if origin is None and destination_stop is None:
        ends = " to ".join(x for x in (flight.origin, flight.destination or flight.destination_name) if x)
        unplaced.append(
            Unplaced(label, departs, event.location, _("a flight with no end in Peru ({ends})", ends=ends))
        )
        return
    if origin is not None:
        add({"airport": flight.origin, "date": departs}, "road")
    elif flight.origin:
        unplaced.append(
            Unplaced(
                label,
                departs,
                event.location,
                _(
                    "{code} is not an airport in Peru: the flight is checked from its arrival",
                    code=flight.origin,
                ),
            )
        )
    if destination_stop is not None:
        add(destination_stop, "flight")
    else:
        unplaced.append(
            Unplaced(
                label,
                arrives,
                event.location,
                _(
                    "{end} is not an airport or place in Peru: the flight is checked at its departure",
                    end=flight.destination or flight.destination_name,
                ),
            )
        )


@dataclass(frozen=True)
class _Found:
    """What a location names: the query that resolves to one place, or the candidates."""

    query: str | None
    ambiguous: bool = False
    candidates: tuple[Place, ...] = ()


def _place(location: str, gazetteer: Gazetteer) -> _Found:
    """The first part of ``location`` ("Hotel X, Av. Sol 123, Cusco 08000, Peru") that names
    one place, as a query ``check_itinerary`` resolves the same way; else the places it could
    mean (several of one name) or the places whose names start like its parts."""
    parts = [_POSTCODE.sub("", p).strip(" .") for p in location.split(",")]
    parts = [p for p in parts if p and p.casefold() not in _COUNTRY]
    queries = [location.strip(), *(f"{a}, {b}" for a, b in pairwise(parts)), *parts]
    named = {normalise(p) for p in parts} & gazetteer.departments
    ambiguous: list[Place] = []
    for query in dict.fromkeys(q for q in queries if q):
        try:
            found = gazetteer.resolve(query)
        except AmbiguousPlaceError as error:
            ambiguous = ambiguous or list(error.candidates)
            continue
        except InputFormatError:
            continue
        if named and normalise(found.place.department) not in named:
            continue  # "Santa Rosa, Loreto" is not the town of Loreto in Maranhão, Brazil
        return _Found(query)
    if named:  # "Santa Rosa, Loreto": only the Santa Rosas of Loreto are candidates
        ambiguous = [p for p in ambiguous if normalise(p.department) in named]
    if ambiguous:
        return _Found(None, True, tuple(ambiguous[:MAX_CANDIDATES]))
    similar = {
        (p.name, p.ubigeo): p
        for part in parts
        for p in gazetteer.search(part.split()[0][:4], limit=3)
        if not named or normalise(p.department) in named
    }
    return _Found(None, False, tuple(similar.values())[:MAX_CANDIDATES])
