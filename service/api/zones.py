"""``/v1/zones``: the pack as GeoJSON, filtered, with an ETag so clients can cache it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from flask import Blueprint, Response, jsonify, request

from geo import dates
from geo.errors import InputFormatError
from geo.i18n import _, language
from geo.pack import Zone, ZonePack
from service.http.requests import query_bbox, query_int, query_text
from service.http.serialize import pack_ref, zone_feature
from service.state import state

__all__ = ["blueprint"]

blueprint = Blueprint("zones", __name__)


def _pack() -> ZonePack:
    return state().pack


def _feature(zone: Zone, day: dt.date) -> dict[str, Any]:
    return zone_feature(zone, state().index.on(day), state().geometries[zone.id])


def _cached(payload: Any, day: dt.date) -> Response:
    """The response, or 304 when the client's ETag still matches.

    The pack, the query and the day the statuses are for decide the ETag; an answer for
    "today" (no ``date``) may be cached only until the next midnight in the pack's time zone,
    when today's statuses may change.
    """
    pack = _pack()
    query = sorted(request.args.items(multi=True))
    key = f"{pack.content_sha256}|{day.isoformat()}|{language()}|{request.path}|{query}"
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = jsonify(payload() if callable(payload) else payload)
        response.mimetype = "application/geo+json"
    response.set_etag(etag)
    response.cache_control.public = True
    max_age = 3600
    if "date" not in request.args:
        until_midnight = (dates.next_midnight(pack.timezone) - dates.utc_now()).total_seconds()
        max_age = max(0, min(max_age, int(until_midnight)))
    response.cache_control.max_age = max_age
    return response


@blueprint.get("/v1/zones")
def list_zones() -> Response:
    """All zones, or those touching ``bbox``, at least ``level_min``, of ``category``."""
    pack = _pack()
    day = pack.date(query_text(request, "date"))
    area = query_bbox(request)
    level_min = query_int(request, "level_min", 1, 4)
    category = query_text(request, "category")
    known = sorted({c for z in pack.zones for c in z.categories})
    if category is not None and category not in known:
        raise InputFormatError(
            _(
                "category {category} is unknown; use one of {known}",
                category=repr(category),
                known=", ".join(known),
            ),
            field="category",
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

    return _cached(payload, day)


@blueprint.get("/v1/zones/<zone_id>")
def get_zone(zone_id: str) -> Response:
    """One zone as a GeoJSON Feature, with its status on ``date``."""
    pack = _pack()
    zone = pack.zone(zone_id)
    day = pack.date(query_text(request, "date"))
    return _cached(lambda: {**_feature(zone, day), "pack": pack_ref(pack), "date": day.isoformat()}, day)
