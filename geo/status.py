"""Whether a zone is in force on a date.

A zone whose ``valid_until`` has passed is never silently dropped: a state of emergency that
has been renewed again and again is reported ``unconfirmed`` (probably renewed, not yet
confirmed), and only zones ``in_force`` raise the level (``geo.rules`` decides that).
"""

from __future__ import annotations

import datetime as dt

from geo.pack import Zone

__all__ = ["STATUSES", "status_on", "status_text"]

STATUSES = ("in_force", "unconfirmed", "expired", "not_yet")


def status_on(zone: Zone, day: dt.date) -> str:
    """The zone's status on ``day``: one of ``STATUSES``.

    Examples
    --------
    >>> from geo.pack import load_default_pack
    >>> pataz = load_default_pack().zone("pe-emg-pataz")
    >>> [status_on(pataz, dt.date.fromisoformat(d)) for d in ("2026-01-01", "2026-03-01", "2026-11-27")]
    ['not_yet', 'in_force', 'unconfirmed']
    """
    if zone.valid_from and day < zone.valid_from:
        return "not_yet"
    if zone.valid_until and day > zone.valid_until:
        return "unconfirmed" if zone.renewed_since else "expired"
    return "in_force"


def status_text(zone: Zone, status: str) -> str:
    """One sentence a person can read about the status."""
    if status == "unconfirmed":
        return (
            f"in force until {zone.valid_until}; renewed since {zone.renewed_since}; "
            "current status not confirmed"
        )
    if status == "expired":
        return f"expired on {zone.valid_until}"
    if status == "not_yet":
        return f"in force from {zone.valid_from}"
    if zone.valid_until:
        start = f"from {zone.valid_from} " if zone.valid_from else ""
        return f"in force {start}until {zone.valid_until}"
    return "in force (no end date)"
