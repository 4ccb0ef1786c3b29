"""The pack on one day: every answer that depends on the day, decided once and shared.

A day decides each zone's status, each government's text in force and its country-wide level,
which zones count for each government (a superseded text's zones do not), how current each
source is, and, through ``decide``, the level rule's answer for any set of zones present. One
``PackDay`` is built per (pack, day) by ``ZoneIndex.on`` and every check of that day asks it:
the point check, the vectorised classification, routes, itineraries, batches, the map, the
exports and the API's zone listings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from geo.engine.advisories import Currency, GovernmentAnswer, currency, is_outdated
from geo.engine.rules import Decision, LevelRule
from geo.i18n import language
from geo.pack import AdvisoryVersion, Zone
from geo.pack.status import status_on

__all__ = ["PackDay"]

T = TypeVar("T")
_MEMO_LIMIT = 100_000


class PackDay:
    """What the pack says on ``day``, for every government (build with ``ZoneIndex.on``).

    Examples
    --------
    >>> import datetime as dt
    >>> from geo.engine.index import default_index
    >>> today = default_index().on(dt.date(2026, 11, 27))
    >>> today.status[today.pack.position("pe-emg-pataz")], today.baseline("us")
    ('unconfirmed', 2)
    >>> today.decide([today.pack.position("us-vraem")]).level
    4
    """

    __slots__ = (
        "_counted",
        "_memo",
        "baselines",
        "currency",
        "day",
        "pack",
        "rule",
        "status",
        "undrawn",
        "versions",
    )

    def __init__(self, rule: LevelRule, day: dt.date) -> None:
        pack = rule.pack
        self.rule, self.pack, self.day = rule, pack, day
        #: The areas not drawn in force this day (``ZoneIndex.undrawn`` fills it once).
        self.undrawn: tuple[Any, ...] | None = None
        #: Each zone's status on the day, by position.
        self.status: tuple[str, ...] = tuple(status_on(zone, day) for zone in pack.zones)
        #: Each government's text in force on the day, and its country-wide level.
        self.versions: dict[str, AdvisoryVersion] = {
            code: government.version_on(day) for code, government in pack.governments.items()
        }
        self.baselines: dict[str, int] = {code: version.level for code, version in self.versions.items()}
        #: How current each source is on the day.
        self.currency: tuple[Currency, ...] = currency(pack, day)
        # The zones an answer counts, per (advisory, alone): a government's zones only while the
        # version of its text they belong to is the one in force.
        self._counted = {
            key: frozenset(i for i in members if not (rule.is_advice[i] and self.status[i] != "in_force"))
            for key, members in rule.members.items()
        }
        # The rule's answers for the zone sets asked about on this day (a pure function of them).
        self._memo: dict[tuple[object, ...], Any] = {}

    def status_of(self, zone: Zone) -> str:
        """The status of ``zone`` (one of the pack's) on the day."""
        return self.status[self.rule.positions[zone.id]]

    def baseline(self, advisory: str | None) -> int:
        """The country-wide level for ``advisory``: its text in force's, else the pack's."""
        return self.baselines.get(advisory or "", self.rule.baseline)

    def counted(self, advisory: str | None, *, alone: bool = False) -> frozenset[int]:
        """The zones (positions) an answer for ``advisory`` counts on the day."""
        if advisory is None or not self.pack.governments:
            return self._counted[None, False]
        return self._counted[advisory, alone]

    def hidden(self, advisory: str | None) -> frozenset[int]:
        """The zones an answer for ``advisory`` does not show: other governments' zones, and the
        versions of a government's text not in force."""
        return self.remember(
            ("hidden", advisory),
            lambda: frozenset(range(len(self.pack.zones))) - self.counted(advisory),
        )

    def decide(
        self,
        present: Iterable[int],
        *,
        covered: bool | None = None,
        advisory: str | None = None,
        alone: bool = False,
    ) -> Decision:
        """The level rule's decision (``geo.engine.rules``) for the zones at ``present``
        positions, for ``advisory`` (default: the pack's default government)."""
        given = tuple(sorted(set(present)))
        advisory = advisory or self.rule.default_advisory
        return self.remember(
            ("decide", given, covered, advisory, alone),
            lambda: self.rule.decide(
                given,
                self.status,
                self.counted(advisory, alone=alone),
                self.baseline(advisory),
                covered=covered,
            ),
        )

    def answers(self, present: Iterable[int], *, covered: bool) -> tuple[GovernmentAnswer, ...]:
        """Each government's answer where the zones ``present`` apply: its own zones and its
        country-wide level only (so the UK reads 1 where it advises nothing)."""
        here = tuple(sorted(set(present)))

        def build() -> tuple[GovernmentAnswer, ...]:
            found = []
            for code in self.pack.governments:
                decision = self.decide(here, covered=covered, advisory=code, alone=True)
                found.append(self.answer(code, decision.level, decision.raising, decision.excepted))
            return tuple(found)

        # The answers carry each government's name, in the language of the request.
        return self.remember(("answers", here, covered, language()), build)

    def answer(
        self, code: str, level: int | None, raising: Iterable[int], excepted: Iterable[int]
    ) -> GovernmentAnswer:
        """One government's answer, given its level and its zones that raise it (or are
        excepted): the native wording is that of its highest raising zone, else of its
        country-wide text."""
        pack = self.pack
        government = pack.governments[code]
        version = self.versions[code]
        top = sorted(raising, key=lambda i: (-pack.zones[i].level, pack.zones[i].id))
        if level is None:
            native = None
        elif top and pack.zones[top[0]].level == level:
            zone = pack.zones[top[0]]
            native = str(zone.properties.get("native_level") or government.scale[str(level)])
        else:
            native = version.native_level
        return GovernmentAnswer(
            government=code,
            name=government.name,
            level=level,
            native_level=native,
            version=version.version,
            as_of=government.as_of.isoformat(),
            verified_on=government.verified_on.isoformat(),
            possibly_outdated=is_outdated(government.verified_on, self.day),
            areas=tuple(pack.zones[i].id for i in top),
            excepted=tuple(pack.zones[i].id for i in sorted(excepted)),
        )

    def remember(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` for this day (a pure function of the key)."""
        try:
            return cast(T, self._memo[key])
        except KeyError:
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            value = self._memo[key] = compute()
            return value
