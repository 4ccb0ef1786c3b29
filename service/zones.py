"""``/v1/zones``: the pack as GeoJSON, filtered, with an ETag so clients can cache it."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from shapely.geometry import box, mapping

from geo.errors import InputFormatError
from geo.pack import Zone, ZonePack
from geo.status import parse_date, status_on, status_text
from service.requests import query_int, query_text
from service.serialize import pack_ref, zone_properties

__all__ = ["blueprint"]

blueprint = Blueprint("zones", __name__)


def _pack() -> ZonePack:
    pack: ZonePack = current_app.extensions["riskzones"]["pack"]
    return pack


def _geometry(zone: Zone) -> dict[str, Any]:
    cache: dict[str, dict[str, Any]] = current_app.extensions["riskzones"].setdefault("geojson", {})
    if zone.id not in cache:
        cache[zone.id] = mapping(zone.geometry)
    return cache[zone.id]


def _feature(zone: Zone, day: Any) -> dict[str, Any]:
    status = status_on(zone, day)
    return {
        "type": "Feature",
        "id": zone.id,
        "properties": zone_properties(zone, status, status_text(zone, status)),
        "geometry": _geometry(zone),
    }


def _cached(payload: Any) -> Response:
    """The response, or 304 when the client's ETag still matches (pack and query decide it)."""
    key = f"{_pack().content_sha256}|{request.path}|{sorted(request.args.items(multi=True))}"
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = jsonify(payload() if callable(payload) else payload)
        response.mimetype = "application/geo+json"
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def _bbox(value: str | None) -> Any:
    if value is None:
        return None
    parts = value.split(",")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise InputFormatError(
            f"bbox {value!r} must be four numbers: min_lon,min_lat,max_lon,max_lat", field="bbox"
        ) from None
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InputFormatError(
            f"bbox {value!r} must be min_lon,min_lat,max_lon,max_lat with min <= max, "
            "longitudes within -180..180 and latitudes within -90..90",
            field="bbox",
        )
    return box(minx, miny, maxx, maxy)


@blueprint.get("/v1/zones")
def list_zones() -> Response:
    """All zones, or those touching ``bbox``, at least ``level_min``, of ``category``."""
    pack = _pack()
    day = parse_date(query_text(request, "date"))
    area = _bbox(query_text(request, "bbox"))
    level_min = query_int(request, "level_min", 1, 4)
    category = query_text(request, "category")
    known = sorted({c for z in pack.zones for c in z.categories})
    if category is not None and category not in known:
        raise InputFormatError(
            f"category {category!r} is unknown; use one of {', '.join(known)}", field="category"
        )

    def payload() -> dict[str, Any]:
        chosen = [
            z
            for z in pack.zones
            if (level_min is None or z.level >= level_min)
            and (category is None or category in z.categories)
            and (area is None or z.geometry.intersects(area))
        ]
        return {
            "type": "FeatureCollection",
            "features": [_feature(z, day) for z in chosen],
            "pack": pack_ref(pack),
            "date": day.isoformat(),
        }

    return _cached(payload)


@blueprint.get("/v1/zones/<zone_id>")
def get_zone(zone_id: str) -> Response:
    """One zone as a GeoJSON Feature, with its status on ``date``."""
    pack = _pack()
    zone = pack.zone(zone_id)
    day = parse_date(query_text(request, "date"))
    return _cached(lambda: {**_feature(zone, day), "pack": pack_ref(pack), "date": day.isoformat()})
