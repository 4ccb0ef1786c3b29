"""Calendar dates: one reading of ``YYYY-MM-DD`` and one "today", in the pack's time zone.

A decree's last day ends at midnight where it was issued, so "today" is the date in the pack's
time zone (Peru: ``America/Lima``, UTC-5), never the date in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from geo.errors import InputFormatError
from geo.i18n import _

__all__ = ["next_midnight", "parse_date", "parse_instant", "parse_time", "time_zone", "today", "utc_now"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def utc_now() -> dt.datetime:
    """The current time (UTC); the one clock every "today" reads (tests replace it)."""
    return dt.datetime.now(dt.UTC)


@cache
def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; ``InputFormatError`` when it is unknown.

    Examples
    --------
    >>> time_zone("America/Lima").key
    'America/Lima'
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputFormatError(
            _("unknown time zone {name}; use an IANA name such as America/Lima", name=repr(name))
        ) from None


def today(tz: str) -> dt.date:
    """Today's date in time zone ``tz``."""
    return utc_now().astimezone(time_zone(tz)).date()


def next_midnight(tz: str) -> dt.datetime:
    """The next midnight in time zone ``tz`` (an aware datetime): when "today" next changes."""
    zone = time_zone(tz)
    tomorrow = utc_now().astimezone(zone).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(), tzinfo=zone)


def parse_date(value: object, tz: str, *, field: str = "date") -> dt.date:
    """A ``YYYY-MM-DD`` text or a ``date`` as a date; None is today in ``tz``.

    Anything else (a date and time, another spelling, another type) is an ``InputFormatError``
    naming ``field``.

    Examples
    --------
    >>> parse_date("2026-03-01", "America/Lima")
    datetime.date(2026, 3, 1)
    >>> parse_date("2026-03-01T10:00", "America/Lima")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.InputFormatError: date '2026-03-01T10:00' is not a calendar date; write it as ...
    """
    if value is None:
        return today(tz)
    if isinstance(value, dt.datetime):
        raise InputFormatError(
            _(
                "{field} must be a date (YYYY-MM-DD), not a date and time ({value})",
                field=field,
                value=value.isoformat(),
            ),
            field=field,
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputFormatError(
        _(
            "{field} {value} is not a calendar date; write it as YYYY-MM-DD, e.g. 2026-03-01",
            field=field,
            value=repr(value),
        ),
        field=field,
    )


def parse_time(
    value: object, day: dt.date, tz: str, *, field: str, after: dt.datetime | None = None
) -> dt.datetime:
    """A time of travel: ``HH:MM`` local time in ``tz`` on ``day`` (the next day when that is
    not later than ``after``), or a full ISO 8601 date and time with its UTC offset. An
    ``InputFormatError`` naming ``field`` otherwise.

    Examples
    --------
    >>> parse_time("21:30", dt.date(2026, 12, 1), "America/Lima", field="depart").isoformat()
    '2026-12-01T21:30:00-05:00'
    >>> parse_time("2026-12-01T21:30:00+00:00", dt.date(2026, 12, 1), "America/Lima", field="depart").hour
    16
    """
    zone = time_zone(tz)
    if isinstance(value, str) and _CLOCK.fullmatch(value.strip()):
        hours, minutes = (int(part) for part in value.strip().split(":"))
        moment = dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zone)
        if after is not None and moment <= after:
            moment += dt.timedelta(days=1)
        return moment
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(zone)
    raise InputFormatError(
        _(
            "{field} {value} is not a time: write HH:MM (local time in {zone}) or an ISO 8601 date and time "
            "with its offset, e.g. 2026-12-01T21:30-05:00",
            field=field,
            value=repr(value),
            zone=tz,
        ),
        field=field,
    )


def parse_instant(value: object, name: str) -> dt.datetime:
    """An ISO 8601 timestamp with a time zone (an alert's ``starts``, an OGC ``datetime``), or
    an ``InputFormatError`` naming ``name``.

    Examples
    --------
    >>> parse_instant("2026-12-01T08:00:00Z", "starts").isoformat()
    '2026-12-01T08:00:00+00:00'
    """
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InputFormatError(
                _(
                    "{name} must be an ISO 8601 timestamp with a time zone, e.g. 2026-12-01T08:00:00-05:00; "
                    "got {value}",
                    name=name,
                    value=repr(value),
                ),
                field=name,
            ) from None
    else:
        raise InputFormatError(
            _("{name} must be an ISO 8601 timestamp with a time zone", name=name), field=name
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InputFormatError(
            _(
                "{name} needs a time zone (add -05:00 for Peru, or Z for UTC); got {value}",
                name=name,
                value=repr(value),
            ),
            field=name,
        )
    return parsed
