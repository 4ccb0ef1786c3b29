"""Every government's answer at a place, side by side, and where they disagree.

Each government's level comes from its own zones and its country-wide level only (the rule's
``alone`` view), so the UK reads 1 where it advises nothing (``PackDay.answers`` makes them).
``disagreement`` is true when two governments are two levels or more apart, or one says its
top level (do not travel / avoid all travel) and another does not. A government whose newest
text was last confirmed current (``verified_on``: the last day it was seen unchanged, not the
day it was issued) more than ``OUTDATED_AFTER_DAYS`` before the asked day is marked as possibly
outdated; so is a source whose newest cited text is that old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from geo.pack import ZonePack

__all__ = [
    "OUTDATED_AFTER_DAYS",
    "Currency",
    "GovernmentAnswer",
    "currency",
    "disagree",
    "is_outdated",
]

OUTDATED_AFTER_DAYS = 180


@dataclass(frozen=True)
class GovernmentAnswer:
    """One government's advice at a place (or along a route) on one day."""

    government: str
    name: str
    level: int | None
    native_level: str | None
    version: str
    as_of: str
    #: The last day the newest text was seen unchanged: what ``possibly_outdated`` counts from.
    verified_on: str
    possibly_outdated: bool
    areas: tuple[str, ...]
    excepted: tuple[str, ...]


@dataclass(frozen=True)
class Currency:
    """How current one source of the pack is on the asked day."""

    source: str
    as_of: str | None
    possibly_outdated: bool
    #: For a government: the last day its newest text was seen unchanged.
    verified_on: str | None = None


def disagree(levels: Iterable[int | None]) -> bool:
    """Whether governments disagree: levels two or more apart, or one at 4 and another not.

    Examples
    --------
    >>> disagree([4, 4, 3, 3]), disagree([2, 1, 2, 2]), disagree([3, 1]), disagree([None, None])
    (True, False, True, False)
    """
    known = [level for level in levels if level is not None]
    if len(known) < 2:
        return False
    return max(known) - min(known) >= 2 or (4 in known and min(known) < 4)


def currency(pack: ZonePack, day: dt.date) -> tuple[Currency, ...]:
    """Per source, the date of the newest text the pack was built from, and whether it was last
    confirmed current more than ``OUTDATED_AFTER_DAYS`` before ``day``."""
    result = [
        Currency(
            code,
            government.as_of.isoformat(),
            is_outdated(government.verified_on, day),
            government.verified_on.isoformat(),
        )
        for code, government in pack.governments.items()
    ]
    for source, newest in _newest_texts(pack).items():
        stale = newest is None or is_outdated(newest, day)
        result.append(Currency(source, newest.isoformat() if newest else None, stale))
    return tuple(result)


#: Newest cited date per non-government source, per pack content (computed once, not per answer).
_NEWEST: dict[str, dict[str, dt.date | None]] = {}


def _newest_texts(pack: ZonePack) -> dict[str, dt.date | None]:
    """The newest dated source cited by the zones of Peru's decrees and of the research (a
    source with no zone in the pack, as in a neighbour's, is not listed)."""
    if pack.content_sha256 not in _NEWEST:
        newest: dict[str, dt.date | None] = {}
        for source in ("pe", "research"):
            if not any(z.source == source for z in pack.zones):
                continue
            dates = [
                dt.date.fromisoformat(s.date)
                for z in pack.zones
                if z.source == source
                for s in z.sources
                if s.date and len(s.date) == 10
            ]
            newest[source] = max(dates) if dates else None
        _NEWEST[pack.content_sha256] = newest
    return _NEWEST[pack.content_sha256]


def is_outdated(confirmed: dt.date, day: dt.date) -> bool:
    """Whether a text last confirmed current on ``confirmed`` is more than
    ``OUTDATED_AFTER_DAYS`` old on ``day``.

    Examples
    --------
    >>> confirmed = dt.date(2026, 8, 22)
    >>> is_outdated(confirmed, dt.date(2026, 12, 2)), is_outdated(confirmed, dt.date(2027, 3, 1))
    (False, True)
    """
    return (day - confirmed).days > OUTDATED_AFTER_DAYS
