"""``/v1/check``: one point by query string, many by JSON body."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from geo.engine.index import DEFAULT_RADIUS_KM, ZoneIndex, radius_value
from geo.errors import InputFormatError, RiskzonesError
from geo.trips.alerts import asked_moment, with_alerts
from service.http.requests import json_body, query_text
from service.http.serialize import pack_ref, point_answer, point_json
from service.openapi.schemas import validate
from service.state import state
from service.store.db import utcnow

__all__ = ["blueprint"]

blueprint = Blueprint("check", __name__)


def _index() -> ZoneIndex:
    return state().index


@blueprint.get("/v1/check")
def check_point() -> dict[str, Any]:
    """One point, answered in the country it lies in: zones, level, nearby zones, district and
    advice."""
    region = state().region
    date = query_text(request, "date")
    result = region.check_point(
        lon=query_text(request, "lon"),
        lat=query_text(request, "lat"),
        date=date,
        radius_km=query_text(request, "radius_km") or DEFAULT_RADIUS_KM,
        advisory=query_text(request, "advisory"),
    )
    pack = region.answering(result).pack
    zone = pack.timezone
    result = with_alerts(result, state().alerts.layer(), asked_moment(date, zone, utcnow()), zone)
    return point_answer(result, pack)


@blueprint.post("/v1/check")
def check_points() -> dict[str, Any]:
    """Many points, each answered in the country it lies in: a list of {lat, lon, id?} or
    GeoJSON points; advice given once (the baseline and contacts of every country answered)."""
    index = _index()
    region = state().region
    body = json_body(request)
    _validate(body)
    points = _points(body)
    limit = current_app.config["MAX_POINTS"]
    if len(points) > limit:
        raise RequestEntityTooLarge(
            f"{len(points):,} points in one request; the limit is {limit:,}. Split the request, "
            "or check large tables offline with `riskzones batch`."
        )
    options = body if isinstance(body, dict) and "points" in body else {}
    # Validate the options even when there are no points to check.
    query_date, query_radius = query_text(request, "date"), query_text(request, "radius_km")
    index.pack.date(query_date)
    radius_value(query_radius or DEFAULT_RADIUS_KM)
    date = options.get("date", query_date)
    radius = options.get("radius_km", query_radius or DEFAULT_RADIUS_KM)
    index.pack.date(date)
    radius_value(radius)
    advisory = index.rule.advisory(query_text(request, "advisory"))
    results: list[dict[str, Any]] = []
    advice: dict[str, str] = {}
    layer = state().alerts.layer()
    answering = {index.pack.id: index.pack}
    for position, (point_id, lon, lat) in enumerate(points):
        try:
            result = region.check_point(lon=lon, lat=lat, date=date, radius_km=radius, advisory=advisory)
        except RiskzonesError as error:
            field = f"points[{position}].{error.field}" if error.field else f"points[{position}]"
            raise type(error)(f"points[{position}]: {error}", field=field) from None
        pack = region.answering(result).pack
        answering.setdefault(pack.id, pack)
        zone = pack.timezone
        result = with_alerts(result, layer, asked_moment(date, zone, utcnow()), zone)
        advice.update(result.advice.zones)
        results.append({"id": point_id, **point_json(result, with_advice=False)})
    packs = list(answering.values())
    return {
        "results": results,
        "advice": {
            "baseline": [text for p in packs for text in p.baseline.advice],
            "zones": [{"id": zone_id, "advice": text} for zone_id, text in advice.items()],
            "contacts": [contact for p in packs for contact in p.baseline.contacts],
        },
        "pack": pack_ref(index.pack),
        **({"packs": [pack_ref(p) for p in packs]} if len(packs) > 1 else {}),
    }


#: The model a body is validated with, by its "points" key or its GeoJSON "type".
_MODELS = {
    "points": "PointsRequest",
    "Point": "PointGeometry",
    "MultiPoint": "MultiPointGeometry",
    "Feature": "PointFeature",
    "FeatureCollection": "PointFeatureCollection",
}


def _validate(body: Any) -> None:
    """Check the body against the documented schema; name the first offending field."""
    key = None
    if isinstance(body, dict):
        key = "points" if "points" in body else body.get("type")
    model = _MODELS.get(key) if isinstance(key, str) else None
    if model is None:
        raise InputFormatError(_SHAPES, field="body")
    validate(model, body)


def _points(body: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
    """(id, lon, lat) of every point of a body that ``_validate`` accepted."""
    if "points" in body:
        return [(p.get("id", i), p["lon"], p["lat"]) for i, p in enumerate(body["points"])]
    if body["type"] == "FeatureCollection":
        points = []
        for position, feature in enumerate(body["features"]):
            default = (feature.get("properties") or {}).get("id", position)
            points.extend(_geometry_points(feature["geometry"], feature.get("id", default)))
        return points
    if body["type"] == "Feature":
        return _geometry_points(body["geometry"], body.get("id", 0))
    return _geometry_points(body, 0)


def _geometry_points(geometry: dict[str, Any], point_id: Any) -> list[tuple[Any, Any, Any]]:
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return [(point_id, lon, lat)]
    return [(f"{point_id}.{i}", c[0], c[1]) for i, c in enumerate(geometry["coordinates"])]


_SHAPES = (
    'send {"points": [{"lat": -12.5, "lon": -73.8, "id": "a"}, ...]} or a GeoJSON Point, '
    "MultiPoint, Feature or FeatureCollection of points (coordinates are [lon, lat])"
)
