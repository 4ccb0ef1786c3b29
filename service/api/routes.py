"""``/v1/route``, ``/v1/itinerary`` and ``/v1/zones/avoid``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from geo.errors import InputFormatError
from geo.exports.avoid import DEFAULT_TOLERANCE_KM, avoid_areas
from geo.i18n import _
from geo.io.formats import Route, format_hint, read_route
from geo.io.itineraries import itinerary_kind
from geo.trips.calendar import itinerary_input
from geo.trips.itinerary import TooManyStopsError
from service.answers import answer_itinerary, answer_route, report_itinerary
from service.http.requests import query_float, query_int, query_text
from service.openapi.schemas import validate
from service.report.build import REPORT_FORMATS, REPORT_POLICY
from service.state import state

__all__ = ["blueprint"]

blueprint = Blueprint("routes", __name__)


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
def check_itinerary_endpoint() -> dict[str, Any] | Response:
    """Stops (places or coordinates, with dates) and legs, each checked on its own date; as
    JSON, or as a trip report (``Accept: text/html`` or ``application/pdf``, or ``format=``)."""
    served = state()
    fmt = _answer_format()
    kind = itinerary_kind(content_type=request.mimetype)
    trip = itinerary_input(request.get_data(cache=True), kind, served.gazetteer, served.pack.timezone)
    validate("ItineraryRequest", trip.document)
    options = {"max_stops": current_app.config["MAX_STOPS"], "advisory": query_text(request, "advisory")}
    try:
        if fmt == "json":
            return answer_itinerary(served, trip, **options)
        body = report_itinerary(served, trip, fmt, **options)
    except TooManyStopsError as error:
        raise RequestEntityTooLarge(f"{error}; split the itinerary") from None
    response = Response(body, mimetype=REPORT_FORMATS[fmt])
    response.headers["Content-Disposition"] = f'inline; filename="trip-report.{fmt}"'
    response.headers["Content-Security-Policy"] = REPORT_POLICY
    response.vary.add("Accept")
    return response


def _answer_format() -> str:
    """json, html or pdf: ``format=`` if given, else the best of ``Accept`` (JSON when it
    names none of them, or anything)."""
    asked = query_text(request, "format")
    if asked is not None:
        if asked not in ("json", *REPORT_FORMATS):
            raise InputFormatError(
                _("format {value} is unknown; use json, html or pdf", value=repr(asked)), field="format"
            )
        return asked
    best = request.accept_mimetypes.best_match(["application/json", *REPORT_FORMATS.values()])
    return next((k for k, v in REPORT_FORMATS.items() if v == best), "json")


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
