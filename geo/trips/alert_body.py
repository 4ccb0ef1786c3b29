"""An alert as a publisher sends it: its body read and every field validated (each refusal
naming its field), and its area drawn (a polygon, a geodesic circle, or a corridor along a
line), within the pack's reach (``geo.trips.alerts`` applies it)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.dates import parse_instant
from geo.errors import GeometryError, InputFormatError
from geo.i18n import _
from geo.spatial.nearby import GEOD
from geo.trips.alerts import Alert

__all__ = [
    "CATEGORIES",
    "MAX_AREA_KM2",
    "MAX_HALF_WIDTH_KM",
    "MAX_RADIUS_KM",
    "MAX_VERTICES",
    "NEAR_COVERAGE_KM",
    "alert_from_json",
    "circle",
    "corridor",
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
            _(
                "the alert lies more than {km} km outside every country served",
                km=f"{NEAR_COVERAGE_KM:g}",
            ),
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
