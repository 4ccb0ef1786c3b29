"""Zones as avoid-areas for routers: GeoJSON, Valhalla, GraphHopper and openrouteservice.

Only zones in force on the date and at or above ``level_min`` are exported, minus their
exceptions (the Amazon River corridor stays routable). Geometry is grown by twice the
simplification tolerance and then simplified by it, so the simplified area still covers the
zone whatever the tolerance: a coarser tolerance gives fewer vertices and a wider margin.

A Valhalla server limits ``exclude_polygons``: by default a total circumference of 10,000 m
(``service_limits.max_exclude_polygons_length``) and 100 vertices
(``service_limits.max_exclude_polygons_vertices``). Zones of hundreds of kilometres exceed
both, so the Valhalla export says its circumference and vertex count and the settings a
server needs to accept it (``valhalla_settings``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from geo.engine.day import PackDay
from geo.engine.index import ZoneIndex
from geo.errors import InputFormatError
from geo.i18n import _

__all__ = [
    "AVOID_FORMATS",
    "DEFAULT_TOLERANCE_KM",
    "MAX_TOLERANCE_KM",
    "VALHALLA_DEFAULTS",
    "avoid_areas",
    "valhalla_limits",
]

AVOID_FORMATS = ("geojson", "valhalla", "graphhopper", "ors")
#: The simplification tolerance by default (about 0.005 degrees), and the coarsest accepted.
DEFAULT_TOLERANCE_KM = 0.55
MAX_TOLERANCE_KM = 50.0
_KM_PER_DEG = 111.32  # a degree of latitude; tolerances are applied in degrees
#: A Valhalla server's limits on exclude_polygons unless configured otherwise (valhalla 3.9).
VALHALLA_DEFAULTS = {"max_exclude_polygons_length": 10_000, "max_exclude_polygons_vertices": 100}
_GEOD = Geod(ellps="WGS84")
_VALHALLA_RADIUS_M = 6_378_137.0


def _areas(
    today: PackDay, level_min: int, government: str | None, tolerance_deg: float
) -> list[tuple[str, BaseGeometry]]:
    pack, rule = today.pack, today.rule
    areas = []
    for position, zone in enumerate(pack.zones):
        if zone.level < level_min or position not in today.decide([position], advisory=government).raising:
            continue
        geometry = zone.geometry
        # Inside an exception the rule lets the parent drop: those stay routable.
        lifted = [
            pack.zones[e].geometry
            for e in rule.exceptions_of.get(position, ())
            if position in today.decide([position, e], advisory=government).excepted
        ]
        if lifted:
            geometry = geometry.difference(shapely.union_all(lifted))
        # Grown by more than the simplification may cut, so the result still covers the zone.
        grown = geometry.buffer(2 * tolerance_deg, quad_segs=2)
        areas.append((zone.id, shapely.simplify(grown, tolerance_deg, preserve_topology=True)))
    return areas


def valhalla_limits(rings: list[list[list[float]]]) -> dict[str, Any]:
    """What a Valhalla server must allow to accept ``rings`` as ``exclude_polygons``: each
    ring's geodesic circumference (WGS84), the total length as Valhalla measures it, the vertex
    count, and the ``service_limits`` settings, next to the defaults that refuse more."""
    lengths = [_GEOD.geometry_length(LineString(ring)) for ring in rings]
    measured = sum(_valhalla_length(ring) for ring in rings)
    vertices = sum(len(ring) for ring in rings)
    return {
        "rings": len(rings),
        "vertices": vertices,
        "circumference_m": [round(length) for length in lengths],
        "total_circumference_m": round(sum(lengths)),
        "valhalla_length_m": round(measured),
        "valhalla_settings": {
            "service_limits": {
                "max_exclude_polygons_length": 1000 * math.ceil(measured / 1000),
                "max_exclude_polygons_vertices": vertices,
            }
        },
        "valhalla_defaults": dict(VALHALLA_DEFAULTS),
        "accepted_by_default": measured <= VALHALLA_DEFAULTS["max_exclude_polygons_length"]
        and vertices <= VALHALLA_DEFAULTS["max_exclude_polygons_vertices"],
    }


def _valhalla_length(ring: list[list[float]]) -> float:
    """A ring's length as Valhalla compares it with its limit: great-circle distances on a
    sphere of the equatorial radius (6,378,137 m), about 0.3 % more than the geodesic length
    at Peru's latitudes (measured against valhalla_service 3.9.1: tests/test_valhalla.py)."""
    lon, lat = np.radians(np.asarray(ring, dtype=float)).T
    half = np.sin(np.diff(lat) / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
    return float(np.sum(2 * _VALHALLA_RADIUS_M * np.arcsin(np.sqrt(half))))


def _polygons(geometry: BaseGeometry) -> list[BaseGeometry]:
    return [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]


def _ring(polygon: BaseGeometry) -> list[list[float]]:
    return [[round(x, 6), round(y, 6)] for x, y in polygon.exterior.coords]


def _geometry(geometry: BaseGeometry) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(shapely.to_geojson(shapely.set_precision(geometry, 1e-6)))
    return document


def avoid_areas(
    index: ZoneIndex,
    fmt: str = "geojson",
    *,
    level_min: int = 4,
    date: str | dt.date | None = None,
    advisory: object = None,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
) -> dict[str, Any]:
    """The zones to avoid, in the request format of ``fmt``, simplified with ``tolerance_km``
    (the area always still covers the zones).

    Examples
    --------
    >>> from geo.engine.index import default_index
    >>> body = avoid_areas(default_index(), "valhalla", date="2026-11-27")
    >>> len(body["exclude_polygons"]) >= 2
    True
    """
    if fmt not in AVOID_FORMATS:
        raise InputFormatError(
            _(
                "format {format} is unknown; use one of {known}",
                format=repr(fmt),
                known=", ".join(AVOID_FORMATS),
            ),
            field="format",
        )
    if level_min not in (1, 2, 3, 4):
        raise InputFormatError(_("level_min must be 1, 2, 3 or 4"), field="level_min")
    if not (isinstance(tolerance_km, int | float) and 0 < tolerance_km <= MAX_TOLERANCE_KM):
        raise InputFormatError(
            _(
                "tolerance_km must be a number above 0 and at most {high}, got {value}",
                high=f"{MAX_TOLERANCE_KM:g}",
                value=tolerance_km,
            ),
            field="tolerance_km",
        )
    pack = index.pack
    today = index.on(pack.date(date))
    areas = _areas(today, level_min, index.rule.advisory(advisory), tolerance_km / _KM_PER_DEG)
    if fmt == "valhalla":
        # Valhalla takes exterior rings only; dropping holes avoids more, never less.
        rings = [_ring(p) for _, g in areas for p in _polygons(g)]
        # Valhalla reads the request's own keys and ignores others: the facts travel beside.
        return {
            "exclude_polygons": rings,
            "riskzones": {**valhalla_limits(rings), "tolerance_km": tolerance_km},
        }
    if fmt == "ors":
        # Zones overlap: their union is the one valid MultiPolygon to avoid.
        merged = shapely.union_all([g for _, g in areas]) if areas else shapely.MultiPolygon()
        if merged.geom_type == "Polygon":
            merged = shapely.MultiPolygon([merged])
        return {"options": {"avoid_polygons": _geometry(merged)}}
    if fmt == "graphhopper":
        features, rules = [], []
        for zone_id, geometry in areas:
            for n, polygon in enumerate(_polygons(geometry)):
                # Area ids become identifiers in the model's "in_<id>" conditions.
                area_id = f"{zone_id.replace('-', '_')}_{n}"
                features.append(
                    {
                        "type": "Feature",
                        "id": area_id,
                        "properties": {"zone": zone_id},
                        "geometry": _geometry(polygon),
                    }
                )
                rules.append({"if": f"in_{area_id}", "multiply_by": "0"})
        return {"priority": rules, "areas": {"type": "FeatureCollection", "features": features}}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": zone_id,
                "properties": {"id": zone_id, "level": pack.zone(zone_id).level},
                "geometry": _geometry(geometry),
            }
            for zone_id, geometry in areas
        ],
        "pack": {"id": pack.id, "version": pack.version},
        "date": today.day.isoformat(),
        "level_min": level_min,
    }
