"""Alerts: time-bounded zones published while serving (a demonstration, a blockade on a stretch
of highway, a border closure), beside the pack's zones.

An alert is a polygon, a point with a radius (a geodesic circle) or a corridor along a line (a
band of the given half-width on each side), with a category, a level 1-4 and the instants it
starts and ends (both with a time zone; ``ends`` is required). It applies only from ``starts``
(included) to ``ends`` (excluded): asked about an instant, an alert applies when the instant
lies in that window; asked about a day (the pack's time zone), when the window overlaps the day.
``applies`` is the one place that decides it.

This module is pure: alerts come in as values, storage lives in ``service``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.dates import parse_instant
from geo.engine.results import AlertHit, PointResult
from geo.engine.rules import raised_by_alerts
from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.formats import Route
from geo.pack import level_label
from geo.trips.verdict import VERDICTS, RouteResult

__all__ = [
    "Alert",
    "AlertLayer",
    "Moment",
    "alerts_along",
    "applies",
    "asked_moment",
    "hit",
    "moment",
    "raised_route",
    "reason",
    "route_with_alerts",
    "with_alerts",
]


@dataclass(frozen=True)
class Alert:
    """One alert as published. ``geometry`` is the area it covers (circles and corridors
    already drawn as polygons); ``shape`` and ``drawn_from`` say how it was given."""

    id: str
    category: str
    level: int
    starts: dt.datetime
    ends: dt.datetime
    summary: str
    advice: tuple[str, ...]
    source_url: str
    publisher: str
    geometry: BaseGeometry
    shape: str = "polygon"
    drawn_from: dict[str, Any] = field(default_factory=dict)
    ended_early: bool = False

    def feature(self, zone: str) -> dict[str, Any]:
        """The alert as a GeoJSON Feature: its drawn area, its properties as answers list them
        (``hit``; instants in the pack's time zone ``zone``), its shape and how it was given."""
        return {
            "type": "Feature",
            "id": self.id,
            "geometry": mapping(self.geometry),
            "properties": {
                **asdict(hit(self, zone)),
                "advice": list(self.advice),
                "shape": self.shape,
                "drawn_from": self.drawn_from,
                "ended_early": self.ended_early,
            },
        }


@dataclass(frozen=True)
class Moment:
    """What an answer is asked about: an instant, or a whole day in the pack's time zone,
    as the half-open window [start, stop)."""

    start: dt.datetime
    stop: dt.datetime


def moment(when: dt.datetime | dt.date, zone: str) -> Moment:
    """The window of ``when``: an instant (with a time zone), or a day in ``zone``."""
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            raise InputFormatError(_("an instant needs a time zone (e.g. 2026-12-01T08:00:00-05:00)"))
        return Moment(when, when + dt.timedelta(microseconds=1))
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(when, dt.time(), tzinfo=tz)
    return Moment(start, dt.datetime.combine(when + dt.timedelta(days=1), dt.time(), tzinfo=tz))


def asked_moment(date: object, zone: str, now: dt.datetime) -> Moment:
    """What an answer asked with ``date`` (``YYYY-MM-DD`` or None) is about: the whole day, or
    without a date the instant ``now``. One rule for every answer that lists alerts."""
    if date is None or date == "":
        return moment(now, zone)
    from geo.dates import parse_date

    return moment(parse_date(date, zone), zone)


def hit(alert: Alert, zone: str) -> AlertHit:
    """``alert`` as answers list it, its instants in the pack's time zone."""
    tz = ZoneInfo(zone)
    return AlertHit(
        id=alert.id,
        category=alert.category,
        level=alert.level,
        starts=alert.starts.astimezone(tz).isoformat(),
        ends=alert.ends.astimezone(tz).isoformat(),
        summary=alert.summary,
        advice=alert.advice,
        source_url=alert.source_url,
        publisher=alert.publisher,
    )


def reason(alert: AlertHit) -> str:
    """How an answer's reasons name an alert that applies."""
    return _(
        "alert {id} ({category}, level {level}, until {ends}): {summary}",
        id=alert.id,
        category=alert.category,
        level=alert.level,
        ends=alert.ends,
        summary=alert.summary,
    )


def with_alerts(result: PointResult, layer: AlertLayer, when: Moment, zone: str) -> PointResult:
    """``result`` with the alerts applying at its point at ``when``, its level raised by them
    (``geo.engine.rules.raised_by_alerts``)."""
    found = layer.at_point(result.lon, result.lat, when)
    if not found:
        return result
    level = raised_by_alerts(result.level, (a.level for a in found))
    return replace(
        result,
        level=level,
        label=level_label(level),
        alerts=tuple(hit(a, zone) for a in found),
    )


def alerts_along(route: Route, layer: AlertLayer, when: Moment) -> list[Alert]:
    """The alerts applying at ``when`` that ``route`` meets (its lines, and its single-point
    parts), highest level first."""
    lines = shapely.MultiLineString([part for part in route.parts if len(part) >= 2])
    found = {a.id: a for a in layer.along(lines, when)} if not lines.is_empty else {}
    for part in route.parts:
        if len(part) == 1:
            found.update({a.id: a for a in layer.at_point(float(part[0][0]), float(part[0][1]), when)})
    return sorted(found.values(), key=lambda a: (-a.level, a.id))


def raised_route(level: int | None, verdict: str, found: list[Alert]) -> tuple[int | None, str]:
    """A route's level and verdict once the alerts ``found`` along it are counted
    (``geo.engine.rules.raised_by_alerts``)."""
    if not found:
        return level, verdict
    raised = raised_by_alerts(level, (a.level for a in found))
    return raised, VERDICTS[raised] if raised else verdict


def route_with_alerts(
    result: RouteResult, route: Route, layer: AlertLayer, when: Moment, zone: str
) -> RouteResult:
    """``result`` with the alerts applying along ``route`` at ``when``: its level and verdict
    raised by them (``raised_route``), a reason for each."""
    found = alerts_along(route, layer, when)
    if not found:
        return result
    level, verdict = raised_route(result.max_level, result.verdict, found)
    hits = tuple(hit(a, zone) for a in found)
    return replace(
        result,
        max_level=level,
        label=level_label(level),
        verdict=verdict,
        reasons=(*result.reasons, *(reason(h) for h in hits)),
        alerts=hits,
    )


def applies(alert: Alert, when: Moment) -> bool:
    """Whether ``alert`` applies at ``when``: its window [starts, ends) meets ``when``'s.

    Examples
    --------
    >>> lima = "America/Lima"
    >>> a = _example(starts="2026-12-01T08:00:00-05:00", ends="2026-12-02T08:00:00-05:00")
    >>> applies(a, moment(parse_instant("2026-12-01T08:00:00-05:00", "t"), lima))  # starts: in
    True
    >>> applies(a, moment(parse_instant("2026-12-02T08:00:00-05:00", "t"), lima))  # ends: out
    False
    >>> applies(a, moment(dt.date(2026, 12, 2), lima))  # the day it ends, before 08:00
    True
    >>> applies(a, moment(dt.date(2026, 12, 3), lima))
    False
    >>> withdrawn = ended(a, parse_instant("2026-11-27T12:00:00-05:00", "t"))  # ended before it began
    >>> applies(withdrawn, moment(dt.date(2026, 12, 1), lima))  # an empty window: never
    False
    """
    return alert.starts < alert.ends and alert.starts < when.stop and alert.ends > when.start


class AlertLayer:
    """The alerts being served, indexed by their areas (immutable; build a new one when the
    alerts change). Which of them apply is decided by ``applies`` at each question."""

    def __init__(self, alerts: Iterable[Alert] = ()) -> None:
        self.alerts: tuple[Alert, ...] = tuple(alerts)
        self._tree = shapely.STRtree([a.geometry for a in self.alerts])
        for alert in self.alerts:
            shapely.prepare(alert.geometry)

    def __len__(self) -> int:
        return len(self.alerts)

    def at_point(self, lon: float, lat: float, when: Moment) -> list[Alert]:
        """The alerts applying at (lon, lat) at ``when``, highest level first (a point on an
        alert's boundary is inside, as for zones)."""
        if not self.alerts:
            return []
        found = self._tree.query(shapely.Point(lon, lat), predicate="intersects")
        hits = [self.alerts[k] for k in found.tolist() if applies(self.alerts[k], when)]
        return sorted(hits, key=lambda a: (-a.level, a.id))

    def per_point(self, lon: np.ndarray, lat: np.ndarray, when: Moment) -> tuple[np.ndarray, np.ndarray]:
        """Per point, the highest level of the alerts applying there (0: none) and their ids,
        highest level first, joined by ';' ('' for none), as ``at_point`` lists them."""
        level = np.zeros(len(lon), dtype=np.int8)
        ids = np.full(len(lon), "", dtype=object)
        live = [k for k, a in enumerate(self.alerts) if applies(a, when)]
        for k in sorted(live, key=lambda k: (-self.alerts[k].level, self.alerts[k].id), reverse=True):
            alert = self.alerts[k]
            inside = np.flatnonzero(shapely.intersects_xy(alert.geometry, lon, lat))
            if not inside.size:
                continue
            level[inside] = np.maximum(level[inside], alert.level)
            ids[inside] = [alert.id + (";" + rest if rest else "") for rest in ids[inside]]
        return level, ids

    def along(self, line: BaseGeometry, when: Moment) -> list[Alert]:
        """The alerts applying at ``when`` whose area ``line`` meets."""
        if not self.alerts:
            return []
        found = self._tree.query(line, predicate="intersects")
        hits = [self.alerts[k] for k in found.tolist() if applies(self.alerts[k], when)]
        return sorted(hits, key=lambda a: (-a.level, a.id))


def ended(alert: Alert, at: dt.datetime) -> Alert:
    """``alert`` ended at ``at`` (not before it starts: ending a future alert withdraws it)."""
    return replace(alert, ends=max(min(alert.ends, at), alert.starts), ended_early=at < alert.ends)


def _example(*, starts: str, ends: str) -> Alert:
    """An alert for the examples above."""
    return Alert(
        id="example",
        category="blockade",
        level=3,
        starts=parse_instant(starts, "starts"),
        ends=parse_instant(ends, "ends"),
        summary="Road blocked",
        advice=(),
        source_url="https://example.org",
        publisher="example",
        geometry=shapely.box(-72, -14, -71, -13),
    )
