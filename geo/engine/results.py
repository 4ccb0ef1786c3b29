"""Answers of the engine: frozen dataclasses, JSON-ready through ``as_dict``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from geo.engine.admin import Admin
from geo.engine.advisories import Currency, GovernmentAnswer

__all__ = ["Advice", "AlertHit", "NearbyZone", "NotDrawn", "PointResult", "ZoneHit"]


@dataclass(frozen=True)
class ZoneHit:
    """A zone that covers the point, with its status on the asked date."""

    id: str
    name: str
    kind: str
    level: int
    categories: tuple[str, ...]
    basis: str
    status: str
    status_text: str
    excepted: bool
    raises_level: bool
    summary: str
    confidence: str
    source: str = "research"


@dataclass(frozen=True)
class NearbyZone:
    """A zone that does not cover the point but comes within the asked radius."""

    id: str
    name: str
    level: int
    status: str
    distance_km: float
    bearing_deg: float
    nearest: tuple[float, float]


@dataclass(frozen=True)
class NotDrawn:
    """An area a government names in the country that no zone draws: it may apply here."""

    id: str
    government: str
    name: str
    level: int
    native_level: str
    why: str
    url: str


@dataclass(frozen=True)
class Advice:
    """What to tell the traveller: the baseline, each covering zone's advice, who to call."""

    baseline: tuple[str, ...]
    zones: tuple[tuple[str, str], ...]
    contacts: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class AlertHit:
    """An alert applying to a point, stop or leg (``geo.trips.alerts``): what it is and until when."""

    id: str
    category: str
    level: int
    starts: str
    ends: str
    summary: str
    advice: tuple[str, ...]
    source_url: str
    publisher: str


@dataclass(frozen=True)
class PointResult:
    """Everything known about one point on one date.

    ``level`` is the effective level (1-4) for the chosen government (``advisory``) with
    Peru's decrees and the research zones, that government's country level where no zone
    applies, and None when the pack does not cover the point at all. ``advisories`` gives
    every government's own level; ``currency`` how current each source is.
    """

    lon: float
    lat: float
    date: str
    covered: bool
    level: int | None
    label: str | None
    zones: tuple[ZoneHit, ...]
    nearby: tuple[NearbyZone, ...]
    admin: Admin | None
    advice: Advice
    hint: str | None = None
    advisory: str | None = None
    advisories: tuple[GovernmentAnswer, ...] = ()
    disagreement: bool = False
    currency: tuple[Currency, ...] = ()
    #: Alerts applying here at the time asked about (``geo.trips.alerts``); they raise ``level``.
    alerts: tuple[AlertHit, ...] = ()
    #: The country answered in (ISO 3166 alpha-3; None where no pack covers the point).
    country: str | None = None
    #: Areas the governments name in that country, in force on the date, that are not drawn.
    not_drawn: tuple[NotDrawn, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (tuples become lists)."""
        return asdict(self)
