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
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyproj
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.errors import GeometryError, InputFormatError
from geo.formats import Route
from geo.i18n import _
from geo.nearby import GEOD
from geo.pack import level_label
from geo.results import AlertHit, PointResult
from geo.route import VERDICTS, RouteResult
from geo.rules import raised_by_alerts

__all__ = [
    "CATEGORIES",
    "MAX_AREA_KM2",
    "MAX_VERTICES",
    "Alert",
    "AlertLayer",
    "Moment",
    "alert_from_json",
    "alerts_along",
    "applies",
    "asked_moment",
    "hit",
    "moment",
    "parse_instant",
    "raised_route",
    "reason",
    "route_with_alerts",
    "with_alerts",
]

CATEGORIES = ("demonstration", "blockade", "border-closure", "disaster", "crime", "other")
#: Most vertices an alert's geometry may have.
MAX_VERTICES = 10_000
#: Largest alert area: a department-sized event; beyond it the pack's zones are the tool.
MAX_AREA_KM2 = 200_000.0
#: Widest circle radius and corridor half-width, in km.
MAX_RADIUS_KM = 300.0
MAX_HALF_WIDTH_KM = 50.0
#: How far outside the pack's coverage an alert may reach (border crossings, rivers).
NEAR_COVERAGE_KM = 50.0
_CIRCLE_VERTICES = 72


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
    (``geo.rules.raised_by_alerts``)."""
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
    (``geo.rules.raised_by_alerts``)."""
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


def parse_instant(value: object, name: str) -> dt.datetime:
    """An ISO 8601 timestamp with a time zone, or a clear error naming ``name``."""
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


def _text(doc: dict[str, Any], name: str, *, required: bool = True, limit: int = 2_000) -> str:
    value = doc.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise InputFormatError(_("{name} is required: a non-empty text", name=name), field=name)
    if len(value) > limit:
        raise InputFormatError(
            _("{name} is longer than {limit} characters", name=name, limit=f"{limit:,}"), field=name
        )
    return value.strip()


def alert_from_json(
    doc: object, *, alert_id: str, publisher: str, coverage: BaseGeometry, now: dt.datetime
) -> Alert:
    """An ``Alert`` from a request body, every field validated, each refusal naming its field.

    The body: ``category``, ``level``, ``starts`` (default ``now``), ``ends``, ``summary``,
    ``advice`` (text or list), ``source_url``, ``publisher`` (who speaks, default
    ``publisher``), and one of ``geometry`` (GeoJSON Polygon or
    MultiPolygon), ``point`` ([lon, lat]) with ``radius_km``, or ``line`` (GeoJSON LineString)
    with ``half_width_km``.
    """
    if not isinstance(doc, dict):
        raise InputFormatError(_("the body must be a JSON object describing the alert"), field="body")
    category = doc.get("category")
    if category not in CATEGORIES:
        raise InputFormatError(
            _("category must be one of {known}", known=", ".join(CATEGORIES)), field="category"
        )
    level = doc.get("level")
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
        raise InputFormatError(_("level must be an integer from 1 to 4"), field="level")
    starts = parse_instant(doc["starts"], "starts") if doc.get("starts") is not None else now
    if doc.get("ends") is None:
        raise InputFormatError(
            _("ends is required: every alert ends (publish a new one to extend it)"), field="ends"
        )
    ends = parse_instant(doc["ends"], "ends")
    if ends <= starts:
        raise InputFormatError(
            _(
                "ends ({ends}) must be after starts ({starts})",
                ends=ends.isoformat(),
                starts=starts.isoformat(),
            ),
            field="ends",
        )
    source_url = _text(doc, "source_url", limit=2_000)
    if not source_url.startswith(("https://", "http://")):
        raise InputFormatError(
            _("source_url must be an http(s) URL of the alert's source"), field="source_url"
        )
    advice = doc.get("advice", [])
    advice = [advice] if isinstance(advice, str) else advice
    if not isinstance(advice, list) or not all(isinstance(a, str) and a.strip() for a in advice):
        raise InputFormatError(_("advice must be a text or a list of texts"), field="advice")
    geometry, kind, drawn_from = _geometry(doc)
    _check_area(geometry, coverage)
    return Alert(
        id=alert_id,
        category=category,
        level=level,
        starts=starts,
        ends=ends,
        summary=_text(doc, "summary"),
        advice=tuple(a.strip() for a in advice),
        source_url=source_url,
        publisher=_text(doc, "publisher", limit=200) if doc.get("publisher") is not None else publisher,
        geometry=geometry,
        shape=kind,
        drawn_from=drawn_from,
    )


def _number(doc: dict[str, Any], name: str, limit: float) -> float:
    value = doc.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= limit:
        raise InputFormatError(
            _("{name} must be a number of km above 0 and at most {limit}", name=name, limit=f"{limit:g}"),
            field=name,
        )
    return float(value)


def _geometry(doc: dict[str, Any]) -> tuple[BaseGeometry, str, dict[str, Any]]:
    given = [k for k in ("geometry", "point", "line") if doc.get(k) is not None]
    if len(given) != 1:
        raise InputFormatError(
            _(
                "give exactly one of geometry (GeoJSON Polygon), point ([lon, lat] with radius_km) or "
                "line (GeoJSON LineString with half_width_km)"
            ),
            field="geometry",
        )
    kind = given[0]
    if kind == "point":
        point = doc["point"]
        if (
            not isinstance(point, list)
            or len(point) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in point)
            or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
        ):
            raise InputFormatError(_("point must be [lon, lat] in decimal degrees"), field="point")
        radius = _number(doc, "radius_km", MAX_RADIUS_KM)
        return (
            circle(float(point[0]), float(point[1]), radius),
            "circle",
            {"point": point, "radius_km": radius},
        )
    geojson = doc[kind]
    try:
        given_shape = shape(geojson)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        raise InputFormatError(_("{name} is not a GeoJSON geometry", name=kind), field=kind) from None
    if shapely.get_num_coordinates(given_shape) > MAX_VERTICES:
        raise GeometryError(
            _("{name} has more than {limit} vertices", name=kind, limit=f"{MAX_VERTICES:,}"), field=kind
        )
    if kind == "line":
        if given_shape.geom_type != "LineString" or len(given_shape.coords) < 2:
            raise GeometryError(_("line must be a GeoJSON LineString of two or more positions"), field="line")
        half = _number(doc, "half_width_km", MAX_HALF_WIDTH_KM)
        return corridor(given_shape, half), "corridor", {"line": geojson, "half_width_km": half}
    if given_shape.geom_type not in ("Polygon", "MultiPolygon") or given_shape.is_empty:
        raise GeometryError(_("geometry must be a GeoJSON Polygon or MultiPolygon"), field="geometry")
    if not given_shape.is_valid:
        reason = shapely.is_valid_reason(given_shape)
        raise GeometryError(_("geometry is not a valid polygon ({reason})", reason=reason), field="geometry")
    return given_shape, "polygon", {}


def _check_area(geometry: BaseGeometry, coverage: BaseGeometry) -> None:
    area_m2, _perimeter = GEOD.geometry_area_perimeter(shapely.orient_polygons(geometry))
    if abs(area_m2) / 1e6 > MAX_AREA_KM2:
        raise GeometryError(
            _(
                "the alert covers {area} km2, more than {limit}: publish the smaller area affected",
                area=f"{abs(area_m2) / 1e6:,.0f}",
                limit=f"{MAX_AREA_KM2:,.0f}",
            ),
            field="geometry",
        )
    reach = NEAR_COVERAGE_KM / 111.32  # degrees, generous at Peru's latitudes
    if not shapely.dwithin(geometry, coverage, reach):
        raise GeometryError(
            _("the alert lies more than {km} km outside the pack's coverage", km=f"{NEAR_COVERAGE_KM:g}"),
            field="geometry",
        )


def _frame(lon0: float, lat0: float) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    tmerc = f"+proj=tmerc +lon_0={lon0} +lat_0={lat0} +ellps=WGS84 +units=m"
    return (
        pyproj.Transformer.from_crs("EPSG:4326", tmerc, always_xy=True),
        pyproj.Transformer.from_crs(tmerc, "EPSG:4326", always_xy=True),
    )


def circle(lon: float, lat: float, radius_km: float) -> BaseGeometry:
    """The geodesic circle of ``radius_km`` around (lon, lat), as a polygon of vertices on a
    slightly larger circle (``GEOD.fwd``), so it holds the whole circle (a conservative alert)."""
    azimuths = np.linspace(0.0, 360.0, _CIRCLE_VERTICES, endpoint=False)
    count = azimuths.size
    # The chord between two vertices falls inside the circle by at most r(1 - cos(pi/n)):
    # drawn on a circle that much larger, the polygon holds the whole circle.
    grow = 1.0 / math.cos(math.pi / _CIRCLE_VERTICES)
    x, y, _back = GEOD.fwd(
        np.full(count, lon), np.full(count, lat), azimuths, np.full(count, radius_km * 1000 * grow)
    )
    return shapely.Polygon(np.column_stack([x, y]))


def corridor(line: BaseGeometry, half_width_km: float) -> BaseGeometry:
    """The band within ``half_width_km`` of ``line``, drawn in a transverse Mercator frame
    centred on it (distances within 0.3 % over a few hundred km; the band is widened by that
    much so it never falls short)."""
    lo, hi = np.reshape(line.bounds, (2, 2))
    if np.any(hi - lo > 8.0):
        raise GeometryError(_("line spans more than 8 degrees: publish one alert per stretch"), field="line")
    forward, back = _frame(float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2))
    projected = shapely.transform(line, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1])))
    band = projected.buffer(half_width_km * 1000 * 1.003, quad_segs=16)
    return shapely.transform(band, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))


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
