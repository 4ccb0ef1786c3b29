"""The one rule for levels and exceptions.

Given the zones present at a place (or along a stretch of route) and a day's facts (each
zone's status, the zones the government counts, its country-wide level: ``geo.engine.day``),
``LevelRule.decide`` decides whether an exception lifts each zone and the effective level. The
point check, the vectorised classification, the route checker, the corridor and the router
export all ask it through the day's ``PackDay``; none of them repeats the rule.

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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _
from geo.pack import ZonePack

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
    """The level/exception rule over one pack (immutable; build once). What it decides on a day
    it is asked through that day's ``geo.engine.day.PackDay`` (``ZoneIndex.on``), which holds
    the day's statuses, the zones each government counts and its country-wide level.

    Examples
    --------
    >>> import datetime as dt
    >>> from geo.engine.index import default_index
    >>> today = default_index().on(dt.date(2026, 11, 27))
    >>> vraem = today.pack.position("us-vraem")
    >>> today.decide([vraem]).level
    4
    >>> today.decide([vraem], advisory="uk").level  # not a UK zone
    1
    >>> today.decide([], covered=True, advisory="uk", alone=True).level
    1
    """

    def __init__(self, pack: ZonePack) -> None:
        self.pack = pack
        self.baseline = pack.baseline.level
        zones = pack.zones
        governments = pack.governments
        #: The government answers are for when none is asked for.
        self.default_advisory = "us" if "us" in governments else next(iter(governments), None)
        #: Whether each zone (by position) is a government's advice, not a decree or research.
        self.is_advice = tuple(z.source in governments for z in zones)
        #: Positions counted per (advisory, alone), on any day.
        self.members: dict[tuple[str | None, bool], frozenset[int]] = {
            (None, False): frozenset(range(len(zones))),
        }
        for code in governments:
            own = frozenset(i for i, z in enumerate(zones) if z.source == code)
            self.members[code, True] = own
            self.members[code, False] = own | frozenset(
                i for i, z in enumerate(zones) if z.source not in governments
            )
        #: Each zone's position, by id.
        self.positions = {z.id: i for i, z in enumerate(zones)}
        position = self.positions
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
        """The zones (positions) an answer for ``advisory`` may count, on any day (see the module
        docstring; ``PackDay.counted`` leaves out the texts not in force)."""
        if advisory is None or not self.pack.governments:
            return self.members[None, False]
        return self.members[advisory, alone]

    def decide(
        self,
        present: Iterable[int],
        status: Sequence[str],
        counted: frozenset[int],
        baseline: int,
        *,
        covered: bool | None = None,
    ) -> Decision:
        """The decision for the zones at ``present`` positions, given a day's facts: each zone's
        ``status``, the zones ``counted`` for the government asked and its ``baseline`` level
        (``PackDay.decide`` passes them).

        ``covered`` says whether the pack's coverage holds the place; by default, a place
        with any zone is covered and one with none is not.
        """
        given = set(present)
        here = {i: status[i] for i in sorted(given) if i in counted}
        excepted = frozenset(
            self.parent_of[i]
            for i, state in here.items()
            if self.is_exception[i] and state == "in_force" and self.parent_of.get(i) in here
        )
        raising = frozenset(
            i
            for i, state in here.items()
            if not self.is_exception[i] and state == "in_force" and i not in excepted
        )
        is_covered = bool(given) if covered is None else covered or bool(given)
        level = max([baseline, *(self.levels[i] for i in raising)]) if is_covered else None
        return Decision(is_covered, level, here, excepted, raising)
