"""The OpenAPI paths of what is stored: alerts, watches and the feed of changes (merged into
``service.openapi.document``'s document)."""

from __future__ import annotations

from typing import Any

from geo.trips.alert_body import CATEGORIES

__all__ = ["SECURITY_SCHEMES", "problem_response", "store_paths"]

SECURITY_SCHEMES = {
    "alertsKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key of scope alerts (`riskzones keys create --scope alerts`).",
    },
    "watchesKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key of scope watches (`riskzones keys create --scope watches`).",
    },
}
_LEVEL = {"type": "integer", "minimum": 1, "maximum": 4}
_INSTANT = {"type": "string", "format": "date-time"}
_FEATURE = {"type": "object", "required": ["type", "id", "geometry", "properties"]}
_GEOJSON = "application/geo+json"


def problem_response(description: str) -> dict[str, Any]:
    """An OpenAPI response of an RFC 9457 problem (every error of the API)."""
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


_problem = problem_response


def _ok(
    description: str, media: str = "application/json", schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema or {"type": "object"}}}}


def _id(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def store_paths(bbox_pattern: str) -> dict[str, Any]:
    """Paths of ``/v1/alerts``, ``/v1/watches`` and ``/v1/changes``."""
    categories = list(CATEGORIES)
    auth = {
        "401": _problem("No API key, or an unknown or revoked one."),
        "403": _problem("A key of another scope."),
        "429": _problem("Too many requests with this key (KEY_RATE_LIMIT); retry later."),
    }
    alert_in = {
        "type": "object",
        "required": ["category", "level", "ends", "summary", "source_url"],
        "properties": {
            "category": {"enum": categories},
            "level": _LEVEL,
            "starts": _INSTANT,
            "ends": _INSTANT,
            "summary": {"type": "string", "minLength": 1, "maxLength": 2000},
            "advice": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "source_url": {"type": "string", "format": "uri"},
            "publisher": {"type": "string", "maxLength": 200},
            "geometry": {"type": "object", "description": "GeoJSON Polygon or MultiPolygon."},
            "point": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
            "radius_km": {"type": "number", "exclusiveMinimum": 0, "maximum": 300},
            "line": {"type": "object", "description": "GeoJSON LineString."},
            "half_width_km": {"type": "number", "exclusiveMinimum": 0, "maximum": 50},
        },
    }
    watch_in = {
        "type": "object",
        "required": ["callback_url"],
        "properties": {
            "callback_url": {"type": "string", "format": "uri"},
            "itinerary": {"$ref": "#/components/schemas/ItineraryRequest"},
            "route": {"description": "GeoJSON route, or route text with format."},
            "format": {"enum": ["geojson", "gpx", "kml", "polyline", "csv"]},
            "date": {"type": "string", "format": "date"},
            "corridor_km": {"type": "number", "minimum": 0, "maximum": 100},
        },
    }
    bad = _problem("Bad input: the detail names the field.")
    missing = _problem("No such item for this key.")
    return {
        "/v1/alerts": {
            "get": {
                "operationId": "listAlerts",
                "summary": "Alerts: applying at an instant or on a day, or not yet ended",
                "parameters": [
                    {"name": "at", "in": "query", "schema": _INSTANT},
                    {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "bbox", "in": "query", "schema": {"type": "string", "pattern": bbox_pattern}},
                    {"name": "category", "in": "query", "schema": {"enum": categories}},
                ],
                "responses": {"200": _ok("A FeatureCollection.", _GEOJSON), "400": bad},
            },
            "post": {
                "operationId": "publishAlert",
                "summary": "Publish an alert",
                "security": [{"alertsKey": []}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": alert_in}}},
                "responses": {
                    "201": _ok("The alert, and the watches re-checked.", _GEOJSON, _FEATURE),
                    "400": bad,
                    "422": _problem("A geometry that cannot be used."),
                    **auth,
                },
            },
        },
        "/v1/alerts/{alert_id}": {
            "get": {
                "operationId": "getAlert",
                "summary": "One alert",
                "parameters": [_id("alert_id", "The alert's id.")],
                "responses": {"200": _ok("The alert.", _GEOJSON, _FEATURE), "404": missing},
            },
            "put": {
                "operationId": "changeAlert",
                "summary": "Replace an alert published with this key",
                "security": [{"alertsKey": []}],
                "parameters": [_id("alert_id", "The alert's id.")],
                "requestBody": {"required": True, "content": {"application/json": {"schema": alert_in}}},
                "responses": {
                    "200": _ok("The alert.", _GEOJSON, _FEATURE),
                    "400": bad,
                    "404": missing,
                    "422": _problem("A geometry that cannot be used."),
                    **auth,
                },
            },
        },
        "/v1/alerts/{alert_id}/end": {
            "post": {
                "operationId": "endAlert",
                "summary": "End an alert published with this key, now or at a given instant",
                "security": [{"alertsKey": []}],
                "parameters": [_id("alert_id", "The alert's id.")],
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {"at": _INSTANT}}}
                    },
                },
                "responses": {
                    "200": _ok("The ended alert.", _GEOJSON, _FEATURE),
                    "400": bad,
                    "404": missing,
                    **auth,
                },
            }
        },
        "/v1/watches": {
            "get": {
                "operationId": "listWatches",
                "summary": "This key's watches",
                "security": [{"watchesKey": []}],
                "responses": {"200": _ok("The watches."), **auth},
            },
            "post": {
                "operationId": "createWatch",
                "summary": "Save a route or itinerary, re-checked on every change near it",
                "security": [{"watchesKey": []}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": watch_in}}},
                "responses": {
                    "201": _ok("The watch, its answer now and its signing secret (shown once)."),
                    "400": bad,
                    "413": _problem("Too many stops or too large a body."),
                    "422": _problem("A callback URL that may not be called, or an unusable geometry."),
                    **auth,
                },
            },
        },
        "/v1/watches/{watch_id}": {
            "get": {
                "operationId": "getWatch",
                "summary": "A watch: its answer now and its notifications",
                "security": [{"watchesKey": []}],
                "parameters": [_id("watch_id", "The watch's id.")],
                "responses": {"200": _ok("The watch."), "404": missing, **auth},
            },
            "delete": {
                "operationId": "deleteWatch",
                "summary": "Delete a watch",
                "security": [{"watchesKey": []}],
                "parameters": [_id("watch_id", "The watch's id.")],
                "responses": {"204": {"description": "Deleted."}, "404": missing, **auth},
            },
        },
        "/v1/watches/{watch_id}/recheck": {
            "post": {
                "operationId": "recheckWatch",
                "summary": "Re-check a watch now",
                "security": [{"watchesKey": []}],
                "parameters": [_id("watch_id", "The watch's id.")],
                "responses": {"200": _ok("How many were re-checked and notified."), "404": missing, **auth},
            }
        },
        "/v1/changes": {
            "get": {
                "operationId": "listChanges",
                "summary": "Pack versions and alert changes, newest first",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    }
                ],
                "responses": {"200": _ok("The changes."), "400": bad},
            }
        },
        "/v1/changes.atom": {
            "get": {
                "operationId": "changesFeed",
                "summary": "The same, as an Atom feed",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    }
                ],
                "responses": {
                    "200": _ok("Atom 1.0.", "application/atom+xml", {"type": "string"}),
                    "400": bad,
                },
            }
        },
    }
