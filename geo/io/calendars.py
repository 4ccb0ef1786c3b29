"""Reading iCalendar files (RFC 5545): the events of a trip as TripIt, Google Calendar and
Outlook export them, the one reader of the API, the command line and the map page.

The file is parsed by the ``icalendar`` library after cheap checks of its size, its number of
components and how deeply they nest. A repeating event is expanded with ``dateutil`` only for
the rules whose expansion is bounded (daily, weekly, monthly or yearly, filtered by weekday at
most), within ``RECURRENCE_WINDOW_DAYS`` of its start and to at most ``MAX_OCCURRENCES``; any
other rule keeps its first occurrence and says so. Flights are recognised in the summary as
the common forms write them: "LA2021 LIM to CUZ" (TripIt), "Lima (LIM) - Cusco (CUZ)"
(airline messages in Outlook), and "Flight to Cusco (LA 2021)" with the origin's code in the
location (Google Calendar). ``geo.trips.calendar`` places the events and makes the itinerary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import islice
from typing import Any

from geo.errors import InputFormatError
from geo.i18n import N_, _

__all__ = [
    "MAX_CALENDAR_BYTES",
    "MAX_EVENTS",
    "MAX_OCCURRENCES",
    "RECURRENCE_WINDOW_DAYS",
    "CalendarEvent",
    "Flight",
    "read_calendar",
]

#: Largest calendar file read (a year of a busy traveller's trips is a few hundred kB).
MAX_CALENDAR_BYTES = 2_000_000
#: Most events (VEVENT components, before repeats are expanded) in one file.
MAX_EVENTS = 2_000
#: Most components of any kind (events, alarms, time zones and their rules) in one file.
MAX_COMPONENTS = 10_000
#: Deepest nesting of components (VCALENDAR > VEVENT > VALARM is 3; VTIMEZONE rules are 3).
MAX_DEPTH = 4
#: Longest property, unfolded (a TripIt description runs to a few kB).
MAX_PROPERTY_CHARS = 20_000
#: Most properties in one event.
MAX_PROPERTIES = 300
#: A repeating event is expanded this many days from its start at most ...
RECURRENCE_WINDOW_DAYS = 366
#: ... and to this many occurrences at most, counting every event of the file together.
MAX_OCCURRENCES = 500

_LATER_REPEATS = N_(
    "the calendar repeats its events more than {limit} times in all: later repeats are not checked"
)
_BOUNDED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_ALLOWED_RULE_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"}
#: "LIM to CUZ", "LIM - CUZ", "LIM → CUZ", "Lima (LIM) - Cusco (CUZ)".
_PAIR = re.compile(
    r"\(?\b(?P<origin>[A-Z]{3})\b\)?\s*(?:(?i:to|a|hacia)|→|->|\u2013|\u2014|-|>|✈)\s*"
    r"(?:[^()\n]{0,60}?\()?\b(?P<destination>[A-Z]{3})\b"
)
#: "Flight to Cusco (LA 2021)", "Vuelo a Cusco".
_FLIGHT_TO = re.compile(r"^\s*(?i:flight|vuelo)\s+(?i:to|a)\s+(?P<place>[^()\n]+?)\s*(?:\(|$)")
#: The airport code a Google flight event gives as its location: "Lima LIM", "Lima (LIM)".
_CODE_AT_END = re.compile(r"\(?\b(?P<code>[A-Z]{3})\)?\s*$")


@dataclass(frozen=True)
class Flight:
    """A flight named by an event: IATA codes of its ends, or the destination's place name
    where only that is written ("Flight to Cusco")."""

    origin: str | None
    destination: str | None
    destination_name: str | None = None


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence of an event, in the order of the file's events by start."""

    summary: str
    location: str
    #: ``(lat, lon)`` of the event's GEO property.
    geo: tuple[float, float] | None
    #: None when the event has no start that can be read (it cannot be dated).
    start: dt.date | dt.datetime | None
    end: dt.date | dt.datetime | None
    flight: Flight | None
    #: Something the reader could not take in full (a repeat it did not expand).
    note: str | None = None


def read_calendar(raw: bytes) -> list[CalendarEvent]:
    """The events of the iCalendar file ``raw``, repeats expanded (bounded), sorted by start.

    A file that is too large, has too many or too deeply nested components, an oversized
    property, or is not iCalendar is refused with ``InputFormatError`` naming the limit.
    """
    _check_shape(raw)
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputFormatError(_("the calendar is not UTF-8 text"), field="body") from None
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        problem = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise InputFormatError(
            _("not an iCalendar file ({problem}); export the trip as .ics", problem=problem), field="body"
        ) from None
    if isinstance(calendar, list):
        calendar = calendar[0] if calendar else None
    if calendar is None or calendar.name != "VCALENDAR":
        raise InputFormatError(_("not an iCalendar file: it has no VCALENDAR"), field="body")
    events: list[CalendarEvent] = []
    budget = [MAX_OCCURRENCES]
    masters = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    moved = {
        (str(c.get("UID", "")), _value(c.get("RECURRENCE-ID")))
        for c in masters
        if c.get("RECURRENCE-ID") is not None
    }
    for component in masters:
        if len(component.property_items(recursive=False)) > MAX_PROPERTIES:
            raise InputFormatError(
                _("an event has more than {limit} properties", limit=MAX_PROPERTIES), field="body"
            )
        try:
            events.extend(_occurrences(component, moved, budget))
        except ValueError as exc:  # icalendar's BrokenCalendarProperty, a date out of range
            events.append(_broken(component, exc))
    events.sort(key=lambda e: (e.start is None, _sort_key(e.start), e.summary))
    return events


def _check_shape(raw: bytes) -> None:
    """Refuse cheaply, before parsing: the size, the number and nesting of components, and
    the length of each unfolded property."""
    if len(raw) > MAX_CALENDAR_BYTES:
        raise InputFormatError(
            _(
                "the calendar is {size:,} bytes; the limit is {limit:,}: export only the trip",
                size=len(raw),
                limit=MAX_CALENDAR_BYTES,
            ),
            field="body",
        )
    depth = components = events = 0
    length = 0
    for line in raw.splitlines():
        if line[:1] in (b" ", b"\t"):
            length += len(line) - 1
        else:
            length = len(line)
        if length > MAX_PROPERTY_CHARS:
            raise InputFormatError(
                _("a calendar property is longer than {limit:,} characters", limit=MAX_PROPERTY_CHARS),
                field="body",
            )
        upper = line.strip().upper()
        if upper.startswith(b"BEGIN:"):
            depth += 1
            components += 1
            events += upper == b"BEGIN:VEVENT"
            if depth > MAX_DEPTH:
                raise InputFormatError(
                    _("calendar components nest more than {limit} deep", limit=MAX_DEPTH), field="body"
                )
            if components > MAX_COMPONENTS or events > MAX_EVENTS:
                raise InputFormatError(
                    _(
                        "the calendar has more than {limit:,} events; export only the trip",
                        limit=MAX_EVENTS if events > MAX_EVENTS else MAX_COMPONENTS,
                    ),
                    field="body",
                )
        elif upper.startswith(b"END:"):
            depth = max(depth - 1, 0)


def _value(prop: Any) -> Any:
    """A date or date-time property's value (None when absent)."""
    return getattr(prop, "dt", None)


def _broken(component: Any, exc: Exception) -> CalendarEvent:
    """An event with a property that cannot be read: kept, undated, with the problem."""
    summary = str(component.get("SUMMARY", "") or "").strip()
    location = str(component.get("LOCATION", "") or "").strip()
    problem = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    return CalendarEvent(
        summary,
        location,
        None,
        None,
        None,
        None,
        _("a property of the event cannot be read ({problem})", problem=problem),
    )


def _sort_key(moment: dt.date | dt.datetime | None) -> tuple[dt.date, float]:
    if moment is None:
        return dt.date.min, 0.0
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            utc = moment.astimezone(dt.UTC)
            return utc.date(), utc.hour * 3600 + utc.minute * 60 + utc.second
        return moment.date(), moment.hour * 3600 + moment.minute * 60 + moment.second
    return moment, -1.0


def _occurrences(component: Any, moved: set[tuple[str, Any]], budget: list[int]) -> list[CalendarEvent]:
    start = _value(component.get("DTSTART"))
    summary = str(component.get("SUMMARY", "") or "").strip()
    location = str(component.get("LOCATION", "") or "").strip()
    if not isinstance(start, dt.date):
        undated = _("the event has no start date (DTSTART) that can be read")
        return [CalendarEvent(summary, location, None, None, None, None, undated)]
    end = _value(component.get("DTEND"))
    geo = component.get("GEO")
    position = (float(geo.latitude), float(geo.longitude)) if geo is not None else None
    flight = flight_of(summary, location)
    rule = component.get("RRULE")
    starts: list[Any] = [start]
    note = None
    if rule is not None and component.get("RECURRENCE-ID") is None:
        starts, note = _expand(component, start, rule, moved, budget)
    extra = [
        d.dt[0] if isinstance(d.dt, tuple) else d.dt for r in _list(component.get("RDATE")) for d in r.dts
    ]
    if extra and component.get("RECURRENCE-ID") is None:
        kept = extra[: max(budget[0], 0)]
        budget[0] -= len(kept)
        starts = sorted({*starts, *kept}, key=_sort_key)
        if len(kept) < len(extra):
            note = _(_LATER_REPEATS, limit=MAX_OCCURRENCES)
    duration = end - start if isinstance(end, dt.date) and type(end) is type(start) else None
    return [
        CalendarEvent(
            summary=summary,
            location=location,
            geo=position,
            start=s,
            end=s + duration if duration is not None else end,
            flight=flight,
            note=note,
        )
        for s in starts
    ]


def _expand(
    component: Any, start: dt.date, rule: Any, moved: set[tuple[str, Any]], budget: list[int]
) -> tuple[list[Any], str | None]:
    """The starts of a repeating event, bounded; a rule whose expansion is not bounded keeps
    its first occurrence, with a note saying so."""
    from dateutil.rrule import rrulestr

    parts = set(rule.keys())
    frequency = (rule.get("FREQ") or [""])[0]
    if frequency not in _BOUNDED_FREQUENCIES or parts - _ALLOWED_RULE_PARTS:
        unread = ", ".join(sorted(parts - _ALLOWED_RULE_PARTS)) or f"FREQ={frequency}"
        return [start], _(
            "it repeats by a rule riskzones does not expand ({parts}): only its first occurrence is "
            "checked; list the other dates as events",
            parts=unread,
        )
    window_end = _as_datetime(start) + dt.timedelta(days=RECURRENCE_WINDOW_DAYS)
    rule = rule.copy()
    if rule.get("UNTIL"):
        # An all-day or floating start with an UNTIL in UTC (as Outlook writes them), or the
        # other way round: compare them in the start's own terms, as RFC 5545 means.
        rule["UNTIL"] = [_like(_as_datetime(u), _as_datetime(start)) for u in rule["UNTIL"]]
    try:
        expanded = rrulestr(rule.to_ical().decode(), dtstart=_as_datetime(start))
    except (ValueError, TypeError) as exc:
        return [start], _(
            "its repeat rule is not valid ({problem}): only its first occurrence is checked", problem=exc
        )
    uid = str(component.get("UID", ""))
    skipped = {_key(d.dt, start) for ex in _list(component.get("EXDATE")) for d in ex.dts}
    starts = []
    limit = max(budget[0], 0)
    note = None
    for occurrence in islice(expanded, limit + 1):
        if occurrence > window_end:
            note = _(
                "it repeats beyond {days} days from its first occurrence: later repeats are not checked",
                days=RECURRENCE_WINDOW_DAYS,
            )
            break
        value = occurrence if isinstance(start, dt.datetime) else occurrence.date()
        if _key(value, start) not in skipped and (uid, value) not in moved:
            starts.append(value)
    if len(starts) > limit:
        starts = starts[: max(limit, 1)]  # the event itself is always kept
        note = _(_LATER_REPEATS, limit=MAX_OCCURRENCES)
    budget[0] -= len(starts)
    return starts or [start], note


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _like(value: dt.datetime, start: dt.datetime) -> dt.datetime:
    """``value`` with a time zone when ``start`` has one (UTC if it had none), without one when
    ``start`` has none (its UTC time dropped to a local one)."""
    if start.tzinfo is None:
        return value.replace(tzinfo=None)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _key(value: dt.date, start: dt.date) -> dt.date | dt.datetime:
    """What an occurrence is compared by: its date for an all-day event, its UTC time for a
    dated time, its local time for a floating one."""
    if not isinstance(start, dt.datetime):
        return value.date() if isinstance(value, dt.datetime) else value
    moment = _as_datetime(value)
    return moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment


def _as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def flight_of(summary: str, location: str) -> Flight | None:
    """The flight an event's summary names, or None.

    Examples
    --------
    >>> flight_of("LA2021 LIM to CUZ", "")
    Flight(origin='LIM', destination='CUZ', destination_name=None)
    >>> flight_of("Vuelo LA2021 Lima (LIM) - Cusco (CUZ)", "")
    Flight(origin='LIM', destination='CUZ', destination_name=None)
    >>> flight_of("Flight to Cusco (LA 2021)", "Lima LIM")
    Flight(origin='LIM', destination=None, destination_name='Cusco')
    >>> flight_of("Dinner at Central", "Lima") is None
    True
    """
    pair = _PAIR.search(summary)
    if pair:
        return Flight(pair["origin"], pair["destination"])
    to = _FLIGHT_TO.search(summary)
    if to:
        code = _CODE_AT_END.search(location)
        return Flight(code["code"] if code else None, None, to["place"].strip())
    return None
