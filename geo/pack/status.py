"""Whether a zone is in force on a date.

A zone whose ``valid_until`` has passed is never silently dropped: a state of emergency that
has been renewed again and again, or one whose decrees are known period by period, is reported
``unconfirmed`` after its last known period (probably renewed, not yet confirmed); between two
known periods it is ``expired`` when the next is a new declaration (it lapsed), and
``unconfirmed`` when the next is an extension (decrees in between were not found). Only zones
``in_force`` raise the level (``geo.engine.rules`` decides that).
"""

from __future__ import annotations

import datetime as dt

from geo.i18n import _
from geo.pack import Zone
from geo.pack.model import Period

__all__ = ["BEGINNING", "STATUSES", "change_days", "status_on", "status_text"]

STATUSES = ("in_force", "unconfirmed", "expired", "not_yet")
#: A day before any zone: where a zone's status timeline starts.
BEGINNING = dt.date(1900, 1, 1)


def change_days(zone: Zone) -> set[dt.date]:
    """The days on which ``status_on`` can give a zone another answer than the day before
    (``BEGINNING`` included): its status on any day is its status on the last of them."""
    days = {BEGINNING}
    for period in zone.periods:
        days |= {period.start, period.end + dt.timedelta(days=1)}
    if zone.valid_from:
        days.add(zone.valid_from)
    if zone.valid_until:
        days.add(zone.valid_until + dt.timedelta(days=1))
    if zone.renewed_since:
        days.add(dt.date(zone.renewed_since, 1, 1))
    return days


def status_on(zone: Zone, day: dt.date) -> str:
    """The zone's status on ``day``: one of ``STATUSES``.

    Examples
    --------
    >>> from geo.pack import load_default_pack
    >>> pataz = load_default_pack().zone("pe-emg-pataz")
    >>> [status_on(pataz, dt.date.fromisoformat(d)) for d in ("2022-07-01", "2026-03-01", "2026-11-27")]
    ['not_yet', 'in_force', 'unconfirmed']
    """
    if zone.periods:
        if day < zone.periods[0].start:
            # Before the first known decree, but renewed since an earlier year: not confirmed.
            renewed = zone.renewed_since is not None and day.year >= zone.renewed_since
            return "unconfirmed" if renewed else "not_yet"
        if any(p.start <= day <= p.end for p in zone.periods):
            return "in_force"
        if day > max(p.end for p in zone.periods):
            return "unconfirmed"
        # Between two known periods: lapsed when the next one is a new declaration; when it is
        # an extension, something it extends was in force: decrees are missing, not confirmed.
        following = min((p for p in zone.periods if p.start > day), key=lambda p: p.start)
        lapsed = zone.periods_complete and following.kind == "declaration"
        return "expired" if lapsed else "unconfirmed"
    if zone.valid_from and day < zone.valid_from:
        return "not_yet"
    if zone.valid_until and day > zone.valid_until:
        return "unconfirmed" if zone.renewed_since else "expired"
    return "in_force"


def status_text(zone: Zone, status: str, day: dt.date | None = None) -> str:
    """One sentence a person can read about the status (on ``day``, when given: a zone in force
    by decree names the decree whose period covers it, and how its dates were placed)."""
    if zone.periods:
        covering = [p for p in zone.periods if day is not None and p.start <= day <= p.end]
        if status == "in_force" and covering:
            return _covering_text(covering[-1])
        return _periods_text(zone, status)
    if status == "unconfirmed":
        return _(
            "in force until {until}; renewed since {year}; current status not confirmed",
            until=zone.valid_until,
            year=zone.renewed_since,
        )
    if status == "expired":
        return _("expired on {day}", day=zone.valid_until)
    if status == "not_yet":
        return _("in force from {day}", day=zone.valid_from)
    if zone.valid_until and zone.valid_from:
        return _("in force from {start} until {until}", start=zone.valid_from, until=zone.valid_until)
    if zone.valid_until:
        return _("in force until {until}", until=zone.valid_until)
    return _("in force (no end date)")


def _covering_text(period: Period) -> str:
    text = _(
        "in force on this date: {decree}, {start} to {end}",
        decree=period.decree,
        start=period.start,
        end=period.end,
    )
    if period.placed:
        text += " " + _("(dates not in the decree ledger: {how})", how="; ".join(period.placed))
    return text


def _periods_text(zone: Zone, status: str) -> str:
    """The status of a zone known period by period (decree by decree)."""
    last = max(zone.periods, key=lambda p: p.end)
    if status == "unconfirmed" and zone.periods_complete:
        return _(
            "in force until {until} ({decree}); its renewal was due on {due} and none was found: "
            "not confirmed since then",
            until=last.end,
            decree=last.decree,
            due=last.end + dt.timedelta(days=1),
        )
    if status == "unconfirmed":
        return _(
            "no dated decree covers this date, but a decree of this emergency has no known dates "
            "(last known: {decree} until {until}): current status not confirmed",
            decree=last.decree,
            until=last.end,
        )
    if status == "expired":
        return _(
            "not in force on this date: it lapsed between known periods (last known: {decree} until {until})",
            decree=last.decree,
            until=last.end,
        )
    if status == "not_yet":
        return _("in force from {day}", day=zone.periods[0].start)
    return _(
        "in force from {start}, last known period until {until} ({decree})",
        start=zone.periods[0].start,
        until=last.end,
        decree=last.decree,
    )
