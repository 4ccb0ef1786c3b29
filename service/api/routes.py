"""``/v1/route``, ``/v1/itinerary`` and ``/v1/zones/avoid``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from geo.errors import InputFormatError
from geo.exports.avoid import DEFAULT_TOLERANCE_KM, avoid_areas
from geo.i18n import _
from geo.io.formats import Route, format_hint, read_route
from geo.io.itineraries import read_itinerary
from geo.trips.itinerary import TooManyStopsError
from service.answers import answer_itinerary, answer_route
from service.http.requests import query_float, query_int, query_text
from service.openapi.schemas import validate
from service.state import state

__all__ = ["blueprint"]

blueprint = Blueprint("routes", __name__)
_YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml"}


@blueprint.before_request
def _route_body_limit() -> None:
    """Route files are larger than other bodies: a 100,000-point GPX is about 10 MB."""
    if request.path in ("/v1/route", "/v1/itinerary"):
        request.max_content_length = current_app.config["MAX_ROUTE_BYTES"]


def _route_from_request() -> Route:
    """The route in the body, read as the command line reads a file: by its content, the
    ``Content-Type`` a hint (``geo.io.formats.read_route``)."""
    raw = request.get_data(cache=True)
    if not raw:
        raise InputFormatError(_("the request body is empty; send a route"), field="body")
    return read_route(raw, format_hint(content_type=request.mimetype))


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
