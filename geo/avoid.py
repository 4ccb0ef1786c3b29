"""Zones as avoid-areas for routers: GeoJSON, Valhalla, GraphHopper and openrouteservice.

Only zones in force on the date and at or above ``level_min`` are exported, minus their
exceptions (the Amazon River corridor stays routable). Geometry is simplified for request
size after growing it by the same tolerance, so the simplified area still covers the zone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InputFormatError
from geo.i18n import _
from geo.pack import ZonePack
from geo.rules import LevelRule

__all__ = ["AVOID_FORMATS", "avoid_areas"]

AVOID_FORMATS = ("geojson", "valhalla", "graphhopper", "ors")
TOLERANCE_DEG = 0.005  # about 550 m


def _areas(pack: ZonePack, level_min: int, day: dt.date, advisory: object) -> list[tuple[str, BaseGeometry]]:
    rule = LevelRule(pack)
    government = rule.advisory(advisory)
    areas = []
    for position, zone in enumerate(pack.zones):
        if (
            zone.level < level_min
            or position not in rule.decide([position], day, advisory=government).raising
        ):
            continue
        geometry = zone.geometry
        # Inside an exception the rule lets the parent drop: those stay routable.
        lifted = [
            pack.zones[e].geometry
            for e in rule.exceptions_of.get(position, ())
            if position in rule.decide([position, e], day, advisory=government).excepted
        ]
        if lifted:
            geometry = geometry.difference(shapely.union_all(lifted))
        # Grown by more than the simplification may cut, so the result still covers the zone.
        grown = geometry.buffer(2 * TOLERANCE_DEG, quad_segs=2)
        areas.append((zone.id, shapely.simplify(grown, TOLERANCE_DEG, preserve_topology=True)))
    return areas


def _polygons(geometry: BaseGeometry) -> list[BaseGeometry]:
    return [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]


def _ring(polygon: BaseGeometry) -> list[list[float]]:
    return [[round(x, 6), round(y, 6)] for x, y in polygon.exterior.coords]


def _geometry(geometry: BaseGeometry) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(shapely.to_geojson(shapely.set_precision(geometry, 1e-6)))
    return document


def avoid_areas(
    pack: ZonePack,
    fmt: str = "geojson",
    *,
    level_min: int = 4,
    date: str | dt.date | None = None,
    advisory: object = None,
) -> dict[str, Any]:
    """The zones to avoid, in the request format of ``fmt``.

    Examples
    --------
    >>> from geo.pack import load_default_pack
    >>> body = avoid_areas(load_default_pack(), "valhalla", date="2026-11-27")
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
    day = pack.date(date)
    areas = _areas(pack, level_min, day, advisory)
    if fmt == "valhalla":
        # Valhalla takes exterior rings only; dropping holes avoids more, never less.
        return {"exclude_polygons": [_ring(p) for _, g in areas for p in _polygons(g)]}
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
        "date": day.isoformat(),
        "level_min": level_min,
    }
