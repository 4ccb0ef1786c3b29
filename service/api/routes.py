"""``/v1/route``, ``/v1/itinerary`` and ``/v1/zones/avoid``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from geo.errors import InputFormatError
from geo.exports.avoid import DEFAULT_TOLERANCE_KM, avoid_areas
from geo.i18n import _
from geo.io.formats import Route, detect_format, parse_route
from geo.io.itineraries import read_itinerary
from geo.trips.itinerary import TooManyStopsError
from service.answers import answer_itinerary, answer_route
from service.http.requests import json_body, query_float, query_int, query_text
from service.openapi.schemas import validate
from service.state import state

__all__ = ["blueprint"]

blueprint = Blueprint("routes", __name__)
_XML_TYPES = {"application/gpx+xml": "gpx", "application/vnd.google-earth.kml+xml": "kml"}
_YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml"}


@blueprint.before_request
def _route_body_limit() -> None:
    """Route files are larger than other bodies: a 100,000-point GPX is about 10 MB."""
    if request.path in ("/v1/route", "/v1/itinerary"):
        request.max_content_length = current_app.config["MAX_ROUTE_BYTES"]


def _route_from_request() -> Route:
    content_type = (request.mimetype or "").lower()
    raw = request.get_data(cache=True)
    if not raw:
        raise InputFormatError(_("the request body is empty; send a route"), field="body")
    if content_type in _XML_TYPES:
        return parse_route(raw, _XML_TYPES[content_type])
    if content_type == "text/csv":
        return parse_route(raw, "csv")
    if content_type in ("application/xml", "text/xml"):
        return parse_route(raw, detect_format(raw))
    body = json_body(request)
    if not isinstance(body, dict):
        raise InputFormatError('the body must be a GeoJSON object or {"polyline": ...}', field="body")
    # The published schema checks the document's shape on a sample of each coordinate array;
    # the parser then checks every position as whole arrays (a per-vertex schema check of
    # 100,000 positions takes seconds).
    validate(_route_model(body), _sampled(body))
    return parse_route(body, "polyline" if "polyline" in body else "geojson")


_ROUTE_MODELS = {
    "LineString": "LineStringGeometry",
    "MultiLineString": "MultiLineStringGeometry",
    "Feature": "LineFeature",
    "FeatureCollection": "RouteFeatureCollection",
}


def _route_model(body: dict[str, Any]) -> str:
    """The model a JSON route is validated with: by its GeoJSON type, or a polyline."""
    if "polyline" in body:
        return "PolylineRoute"
    kind = body.get("type")
    if not isinstance(kind, str) or kind not in _ROUTE_MODELS:
        raise InputFormatError(
            _(
                "send a GeoJSON LineString, MultiLineString, Feature or FeatureCollection of lines, or "
                "{example}",
                example='{"polyline": "..."}',
            ),
            field="type",
        )
    return _ROUTE_MODELS[kind]


def _sampled(document: Any, key: str | None = None) -> Any:
    """``document`` with every long list under ``coordinates`` cut to its first two items."""
    if isinstance(document, dict):
        return {k: _sampled(v, k) for k, v in document.items()}
    if isinstance(document, list):
        items = document[:2] if key == "coordinates" and len(document) > 4 else document
        return [_sampled(v, key) for v in items]
    return document


@blueprint.post("/v1/route")
def check_route() -> dict[str, Any]:
    """A route (GeoJSON, GPX, KML, CSV or encoded polyline): zones crossed, closest approaches."""
    route = _route_from_request()
    limit = current_app.config["MAX_ROUTE_VERTICES"]
    if route.vertices > limit:
        raise RequestEntityTooLarge(
            f"the route has {route.vertices:,} vertices; the limit is {limit:,}. Simplify it "
            "(e.g. one point every 10 m is plenty) or split it."
        )
    corridor = query_float(request, "corridor_km", 0.0) or 0.0
    if not 0 <= corridor <= 100:
        raise InputFormatError(
            _("corridor_km must be from 0 to 100, got {value}", value=f"{corridor:g}"), field="corridor_km"
        )
    return answer_route(
        state(),
        route,
        date=query_text(request, "date"),
        corridor_km=corridor,
        advisory=query_text(request, "advisory"),
    )


@blueprint.post("/v1/itinerary")
def check_itinerary_endpoint() -> dict[str, Any]:
    """Stops (places or coordinates, with dates) and legs, each checked on its own date."""
    served = state()
    content_type = (request.mimetype or "").lower()
    kind = "yaml" if content_type in _YAML_TYPES else "csv" if content_type == "text/csv" else "json"
    document = read_itinerary(request.get_data(cache=True), kind)
    validate("ItineraryRequest", document)
    try:
        return answer_itinerary(
            served,
            document,
            max_stops=current_app.config["MAX_STOPS"],
            advisory=query_text(request, "advisory"),
        )
    except TooManyStopsError as error:
        raise RequestEntityTooLarge(f"{error}; split the itinerary") from None


@blueprint.get("/v1/zones/avoid")
def avoid() -> dict[str, Any]:
    """The zones as avoid-areas in a router's request format."""
    fmt = query_text(request, "format") or "geojson"
    level_min = query_int(request, "level_min", 1, 4) or 4
    tolerance = query_float(request, "tolerance_km")
    return avoid_areas(
        state().index,
        fmt,
        level_min=level_min,
        date=query_text(request, "date"),
        advisory=query_text(request, "advisory"),
        tolerance_km=DEFAULT_TOLERANCE_KM if tolerance is None else tolerance,
    )
