"""The one rule for levels and exceptions.

Given the zones present at a place (or along a stretch of route) and a day, ``LevelRule``
decides each zone's status, whether an exception lifts it, and the effective level. The point
check, the vectorised classification, the route checker, the corridor and the router export
all ask this object; none of them repeats the rule.

The rule: a zone raises the level only while it is ``in_force`` on the day and no exception
of it that is itself in force on that day is present too; the effective level is the highest
raising zone's level, never below the pack's baseline; where the pack does not cover the place
at all there is no level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from geo.pack import ZonePack
from geo.status import status_on

__all__ = ["Decision", "LevelRule"]


@dataclass(frozen=True)
class Decision:
    """What the rule says about a set of zones present on one day.

    ``status`` and ``excepted`` are per present zone (by position in the pack); ``raising``
    holds the positions that raise the level; ``level`` is None when not ``covered``.
    """

    covered: bool
    level: int | None
    status: dict[int, str]
    excepted: frozenset[int]
    raising: frozenset[int]


class LevelRule:
    """The level/exception rule over one pack (immutable; build once).

    Examples
    --------
    >>> import datetime as dt
    >>> from geo.pack import load_default_pack
    >>> pack = load_default_pack()
    >>> rule = LevelRule(pack)
    >>> vraem = pack.position("pe-vraem")
    >>> rule.decide([vraem], dt.date(2026, 11, 27)).level
    4
    >>> rule.decide([], dt.date(2026, 11, 27), covered=True).level
    2
    """

    def __init__(self, pack: ZonePack) -> None:
        self.pack = pack
        self.baseline = pack.baseline.level
        zones = pack.zones
        position = {z.id: i for i, z in enumerate(zones)}
        self.levels = tuple(z.level for z in zones)
        self.is_exception = tuple(z.kind == "exception" for z in zones)
        #: For each exception (by position), the position of its parent.
        self.parent_of = {
            i: position[z.parent] for i, z in enumerate(zones) if z.kind == "exception" and z.parent
        }
        children: dict[int, list[int]] = {}
        for child, parent in self.parent_of.items():
            children.setdefault(parent, []).append(child)
        #: For each zone with exceptions, their positions.
        self.exceptions_of = {parent: tuple(kids) for parent, kids in children.items()}

    def status(self, position: int, day: dt.date) -> str:
        """The status of the zone at ``position`` on ``day`` (see ``geo.status``)."""
        return status_on(self.pack.zones[position], day)

    def decide(self, present: Iterable[int], day: dt.date, *, covered: bool | None = None) -> Decision:
        """The decision for the zones at ``present`` positions on ``day``.

        ``covered`` says whether the pack's coverage holds the place; by default, a place
        with any zone is covered and one with none is not.
        """
        here = sorted(set(present))
        status = {i: self.status(i, day) for i in here}
        excepted = frozenset(
            self.parent_of[i]
            for i in here
            if self.is_exception[i] and status[i] == "in_force" and self.parent_of.get(i) in status
        )
        raising = frozenset(
            i for i in here if not self.is_exception[i] and status[i] == "in_force" and i not in excepted
        )
        is_covered = bool(here) if covered is None else covered or bool(here)
        level = max([self.baseline, *(self.levels[i] for i in raising)]) if is_covered else None
        return Decision(is_covered, level, status, excepted, raising)
