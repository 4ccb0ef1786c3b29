"""``/v1/route``, ``/v1/itinerary`` and ``/v1/zones/avoid``."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

import yaml
from flask import Blueprint, current_app, request
from jsonschema.exceptions import best_match
from werkzeug.exceptions import RequestEntityTooLarge

from geo.avoid import avoid_areas
from geo.errors import InputFormatError
from geo.formats import Route, detect_format, parse_route
from geo.gazetteer import Gazetteer
from geo.index import ZoneIndex
from geo.itinerary import ItineraryResult, TooManyStopsError, check_itinerary, parse_itinerary_csv
from geo.route import RouteChecker, RouteResult
from service.requests import json_body, query_float, query_int, query_text
from service.schemas import schema_validator
from service.serialize import pack_ref, point_json

__all__ = ["blueprint"]

blueprint = Blueprint("routes", __name__)
_ROUTE_JSON = schema_validator("RouteJson")
_ITINERARY = schema_validator("ItineraryRequest")
_XML_TYPES = {"application/gpx+xml": "gpx", "application/vnd.google-earth.kml+xml": "kml"}
_YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml"}


def _state() -> dict[str, Any]:
    state: dict[str, Any] = current_app.extensions["riskzones"]
    if "routes" not in state:
        state["routes"] = RouteChecker(state["index"])
    return state


@blueprint.before_request
def _route_body_limit() -> None:
    """Route files are larger than other bodies: a 100,000-point GPX is about 10 MB."""
    if request.path in ("/v1/route", "/v1/itinerary"):
        request.max_content_length = current_app.config["MAX_ROUTE_BYTES"]


def _route_from_request() -> Route:
    content_type = (request.mimetype or "").lower()
    raw = request.get_data(cache=True)
    if not raw:
        raise InputFormatError("the request body is empty; send a route", field="body")
    if content_type in _XML_TYPES:
        return parse_route(raw, _XML_TYPES[content_type])
    if content_type == "text/csv":
        return parse_route(raw, "csv")
    if content_type in ("application/xml", "text/xml"):
        return parse_route(raw, detect_format(raw))
    body = json_body(request)
    _validate(_ROUTE_JSON, body)
    fmt = "polyline" if isinstance(body, dict) and "polyline" in body else "geojson"
    return parse_route(raw, fmt)


def _validate(validator: Any, document: Any) -> None:
    """Check a document against its published schema; name the first offending field."""
    error = best_match(validator.iter_errors(document))
    if error is not None:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        field = path.lstrip(".") or "body"
        raise InputFormatError(f"{field}: {error.message}", field=field)


def _dates_as_text(value: Any) -> Any:
    """YAML reads 2026-12-01 as a date; the schema (like JSON) wants the text."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _route_json(result: RouteResult) -> dict[str, Any]:
    return asdict(result)


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
        raise InputFormatError(f"corridor_km must be from 0 to 100, got {corridor:g}", field="corridor_km")
    state = _state()
    result = state["routes"].check(route, date=query_text(request, "date"), corridor_km=corridor)
    return {**_route_json(result), "name": route.name, "pack": pack_ref(state["index"].pack)}


def _itinerary_document() -> Any:
    content_type = (request.mimetype or "").lower()
    raw = request.get_data(cache=True)
    if content_type in _YAML_TYPES:
        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise InputFormatError(f"the body is not valid YAML{where}", field="body") from None
    if content_type == "text/csv":
        try:
            return parse_itinerary_csv(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputFormatError("the CSV body is not UTF-8 text", field="body") from None
    return json_body(request)


def _itinerary_json(result: ItineraryResult) -> dict[str, Any]:
    return {
        "verdict": result.verdict,
        "max_level": result.max_level,
        "label": result.label,
        "needs_review": result.needs_review,
        "reasons": list(result.reasons),
        "stops": [
            {
                "index": s.index,
                "name": s.name,
                "date": s.date,
                "place": asdict(s.place) if s.place else None,
                "also_named": [asdict(p) for p in s.passed_over],
                "check": point_json(s.check, with_advice=False),
            }
            for s in result.stops
        ],
        "legs": [
            {
                **{k: v for k, v in asdict(leg).items() if k != "route"},
                "route": asdict(leg.route) if leg.route else None,
            }
            for leg in result.legs
        ],
    }


@blueprint.post("/v1/itinerary")
def check_itinerary_endpoint() -> dict[str, Any]:
    """Stops (places or coordinates, with dates) and legs, each checked on its own date."""
    state = _state()
    if "gazetteer" not in state:
        state["gazetteer"] = Gazetteer.from_pack(state["index"].pack)
    document = _dates_as_text(_itinerary_document())
    _validate(_ITINERARY, document)
    try:
        result = check_itinerary(
            state["index"],
            state["routes"],
            state["gazetteer"],
            document,
            max_stops=current_app.config["MAX_STOPS"],
        )
    except TooManyStopsError as error:
        raise RequestEntityTooLarge(f"{error}; split the itinerary") from None
    return {**_itinerary_json(result), "pack": pack_ref(state["index"].pack)}


@blueprint.get("/v1/zones/avoid")
def avoid() -> dict[str, Any]:
    """The zones as avoid-areas in a router's request format."""
    index: ZoneIndex = _state()["index"]
    fmt = query_text(request, "format") or "geojson"
    level_min = query_int(request, "level_min", 1, 4) or 4
    return avoid_areas(index.pack, fmt, level_min=level_min, date=query_text(request, "date"))
