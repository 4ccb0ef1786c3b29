"""The one rule for levels and exceptions.

Given the zones present at a place (or along a stretch of route) and a day, ``LevelRule``
decides each zone's status, whether an exception lifts it, and the effective level. The point
check, the vectorised classification, the route checker, the corridor and the router export
all ask this object; none of them repeats the rule.

The rule: a zone raises the level only while it is ``in_force`` on the day and no exception
of it that is itself in force on that day is present too; the effective level is the highest
raising zone's level, never below the baseline; where the pack does not cover the place at all
there is no level.

Whose zones count: a pack may carry several governments' advice. An answer is given for one
government (``advisory``): its zones, plus Peru's decrees and the research zones, with that
government's country-wide level (of the text in force on the day) as the baseline; with
``alone``, only that government's zones. A government's zone outside the validity of its texts
(a superseded version) is not present at all; a lapsed decree is (as ``unconfirmed`` or
``expired``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _
from geo.pack import ZonePack
from geo.status import status_on

__all__ = ["Decision", "LevelRule", "raised_by_alert_levels", "raised_by_alerts"]


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

    @property
    def present(self) -> list[int]:
        """The zones that count here, by position (those with a status)."""
        return list(self.status)


def raised_by_alerts(level: int | None, alert_levels: Iterable[int]) -> int | None:
    """The effective level once the alerts applying at a place are counted: an alert raises
    the level to its own as a zone in force does (never lowers it); where the pack does not
    cover the place there is still no level (the alerts are listed, nothing more is said).

    Examples
    --------
    >>> raised_by_alerts(2, [3, 1])
    3
    >>> raised_by_alerts(4, [3])
    4
    >>> raised_by_alerts(None, [4]) is None
    True
    """
    if level is None:
        return None
    return max([level, *alert_levels])


def raised_by_alert_levels(level: np.ndarray, alert_level: np.ndarray) -> np.ndarray:
    """``raised_by_alerts`` for many places at once: ``level`` per place (0: not covered) and
    the highest level of the alerts applying there (0: none).

    Examples
    --------
    >>> raised_by_alert_levels(np.array([2, 4, 0]), np.array([3, 3, 4])).tolist()
    [3, 4, 0]
    """
    return np.where(level > 0, np.maximum(level, alert_level), 0).astype(level.dtype)


class LevelRule:
    """The level/exception rule over one pack (immutable; build once).

    Examples
    --------
    >>> import datetime as dt
    >>> from geo.pack import load_default_pack
    >>> pack = load_default_pack()
    >>> rule = LevelRule(pack)
    >>> vraem = pack.position("us-vraem")
    >>> rule.decide([vraem], dt.date(2026, 11, 27)).level
    4
    >>> rule.decide([vraem], dt.date(2026, 11, 27), advisory="uk").level  # not a UK zone
    1
    >>> rule.decide([], dt.date(2026, 11, 27), covered=True, advisory="uk", alone=True).level
    1
    """

    def __init__(self, pack: ZonePack) -> None:
        self.pack = pack
        self.baseline = pack.baseline.level
        zones = pack.zones
        governments = pack.governments
        #: The government answers are for when none is asked for.
        self.default_advisory = "us" if "us" in governments else next(iter(governments), None)
        self._is_advice = tuple(z.source in governments for z in zones)
        #: Positions counted per (advisory, alone).
        self._members: dict[tuple[str | None, bool], frozenset[int]] = {
            (None, False): frozenset(range(len(zones))),
        }
        for code in governments:
            own = frozenset(i for i, z in enumerate(zones) if z.source == code)
            self._members[code, True] = own
            self._members[code, False] = own | frozenset(
                i for i, z in enumerate(zones) if z.source not in governments
            )
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

    def advisory(self, value: object) -> str | None:
        """A government code asked for (None: the default), validated against the pack."""
        if value is None or value == "":
            return self.default_advisory
        if value not in self.pack.governments:
            known = ", ".join(self.pack.governments) or "none in this pack"
            raise InputFormatError(
                _("advisory must be one of {known}, got {value}", known=known, value=repr(value)),
                field="advisory",
            )
        return str(value)

    def counted(self, advisory: str | None, *, alone: bool = False) -> frozenset[int]:
        """The zones (positions) an answer for ``advisory`` counts (see the module docstring)."""
        if advisory is None or not self.pack.governments:
            return self._members[None, False]
        return self._members[advisory, alone]

    def baseline_on(self, advisory: str | None, day: dt.date) -> int:
        """The country-wide level: the government's, of its text in force on ``day``."""
        government = self.pack.governments.get(advisory or "")
        return government.version_on(day).level if government else self.baseline

    def decide(
        self,
        present: Iterable[int],
        day: dt.date,
        *,
        covered: bool | None = None,
        advisory: str | None = None,
        alone: bool = False,
    ) -> Decision:
        """The decision for the zones at ``present`` positions on ``day``, for ``advisory``
        (default: the pack's default government).

        ``covered`` says whether the pack's coverage holds the place; by default, a place
        with any zone is covered and one with none is not.
        """
        advisory = advisory or self.default_advisory
        members = self.counted(advisory, alone=alone)
        given = set(present)
        status = {}
        for i in sorted(given):
            if i not in members:
                continue
            state = self.status(i, day)
            if self._is_advice[i] and state != "in_force":
                continue  # a version of the text that is not (or no longer) the current one
            status[i] = state
        here = list(status)
        excepted = frozenset(
            self.parent_of[i]
            for i in here
            if self.is_exception[i] and status[i] == "in_force" and self.parent_of.get(i) in status
        )
        raising = frozenset(
            i for i in here if not self.is_exception[i] and status[i] == "in_force" and i not in excepted
        )
        is_covered = bool(given) if covered is None else covered or bool(given)
        baseline = self.baseline_on(advisory, day)
        level = max([baseline, *(self.levels[i] for i in raising)]) if is_covered else None
        return Decision(is_covered, level, status, excepted, raising)
