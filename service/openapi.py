"""The OpenAPI 3.1 document of the API; tests validate real responses against it."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

__all__ = ["REQUEST_SCHEMAS", "openapi_document", "schema_validator"]

_NULLABLE_STRING = {"type": ["string", "null"]}
_NUMBER = r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*"
_BBOX_PATTERN = f"^{_NUMBER}(,{_NUMBER}){{3}}$"
_LEVEL = {"type": "integer", "minimum": 1, "maximum": 4}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _json(schema: dict[str, Any], description: str, media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema}}}


_LAT = {
    "name": "lat",
    "in": "query",
    "required": True,
    "description": "Latitude, decimal degrees (WGS84), negative south.",
    "schema": {"type": "number", "minimum": -90, "maximum": 90},
    "example": -12.5,
}
_LON = {
    "name": "lon",
    "in": "query",
    "required": True,
    "description": "Longitude, decimal degrees (WGS84), negative west.",
    "schema": {"type": "number", "minimum": -180, "maximum": 180},
    "example": -73.8,
}
_DATE = {
    "name": "date",
    "in": "query",
    "required": False,
    "description": "Answer as of this date (YYYY-MM-DD); default today (UTC). Decides whether "
    "each time-limited zone is in force.",
    "schema": {"type": "string", "format": "date"},
}
_RADIUS = {
    "name": "radius_km",
    "in": "query",
    "required": False,
    "description": "Report zones whose boundary is within this geodesic distance (km).",
    "schema": {"type": "number", "minimum": 0, "maximum": 500, "default": 25},
}

_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "field": {"type": "string", "description": "The offending input field."},
        },
    },
    "PackRef": {
        "type": "object",
        "required": ["id", "version"],
        "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
    },
    "ZoneHit": {
        "type": "object",
        "required": ["id", "name", "kind", "level", "status", "excepted", "raises_level"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"enum": ["zone", "exception"]},
            "level": _LEVEL,
            "categories": {"type": "array", "items": {"type": "string"}},
            "basis": {"type": "string"},
            "status": {"enum": ["in_force", "unconfirmed", "expired", "not_yet"]},
            "status_text": {"type": "string"},
            "excepted": {"type": "boolean", "description": "An exception zone applies here."},
            "raises_level": {"type": "boolean"},
            "summary": {"type": "string"},
            "confidence": {"type": "string"},
        },
    },
    "NearbyZone": {
        "type": "object",
        "required": ["id", "level", "distance_km", "bearing_deg", "nearest"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "level": _LEVEL,
            "status": {"type": "string"},
            "distance_km": {"type": "number", "minimum": 0},
            "bearing_deg": {"type": "number", "minimum": 0, "maximum": 360},
            "nearest": {
                "type": "object",
                "required": ["lon", "lat"],
                "properties": {"lon": {"type": "number"}, "lat": {"type": "number"}},
            },
        },
    },
    "Admin": {
        "type": ["object", "null"],
        "required": ["ubigeo", "district", "province", "department", "approximate"],
        "properties": {
            "ubigeo": {"type": "string"},
            "district": {"type": "string"},
            "province": {"type": "string"},
            "department": {"type": "string"},
            "approximate": {"type": "boolean"},
        },
    },
    "Contact": {
        "type": "object",
        "required": ["name", "number"],
        "properties": {"name": {"type": "string"}, "number": {"type": "string"}},
    },
    "Advice": {
        "type": "object",
        "required": ["baseline", "zones", "contacts"],
        "properties": {
            "baseline": {"type": "array", "items": {"type": "string"}},
            "zones": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "advice"],
                    "properties": {"id": {"type": "string"}, "advice": {"type": "string"}},
                },
            },
            "contacts": {"type": "array", "items": _ref("Contact")},
        },
    },
    "PointAnswer": {
        "type": "object",
        "required": ["lon", "lat", "date", "covered", "level", "label", "zones", "nearby", "admin"],
        "properties": {
            "lon": {"type": "number"},
            "lat": {"type": "number"},
            "date": {"type": "string", "format": "date"},
            "covered": {"type": "boolean", "description": "Whether the pack covers the point."},
            "level": {
                "type": ["integer", "null"],
                "minimum": 1,
                "maximum": 4,
                "description": "Effective level; the baseline where no zone applies; null when not covered.",
            },
            "label": _NULLABLE_STRING,
            "zones": {"type": "array", "items": _ref("ZoneHit")},
            "nearby": {"type": "array", "items": _ref("NearbyZone")},
            "admin": _ref("Admin"),
            "hint": _NULLABLE_STRING,
        },
    },
    "CheckResult": {
        "allOf": [
            _ref("PointAnswer"),
            {
                "type": "object",
                "required": ["advice", "pack"],
                "properties": {"advice": _ref("Advice"), "pack": _ref("PackRef")},
            },
        ]
    },
    "CheckBatchRequest": {
        "anyOf": [
            _ref("PointsRequest"),
            _ref("PointGeometry"),
            _ref("MultiPointGeometry"),
            _ref("PointFeature"),
            {
                "type": "object",
                "description": "A GeoJSON FeatureCollection of point features.",
                "required": ["type", "features"],
                "properties": {
                    "type": {"const": "FeatureCollection"},
                    "features": {"type": "array", "items": _ref("PointFeature")},
                },
            },
        ]
    },
    "PointsRequest": {
        "type": "object",
        "required": ["points"],
        "properties": {
            "points": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["lat", "lon"],
                    "properties": {
                        "lat": {"type": "number", "minimum": -90, "maximum": 90},
                        "lon": {"type": "number", "minimum": -180, "maximum": 180},
                        "id": {"type": ["string", "integer"]},
                    },
                },
            },
            "date": {"type": "string", "format": "date"},
            "radius_km": {"type": "number", "minimum": 0, "maximum": 500},
        },
    },
    "LineCoordinates": {"type": "array", "minItems": 1, "items": _ref("Position")},
    "LineStringGeometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {"type": {"const": "LineString"}, "coordinates": _ref("LineCoordinates")},
    },
    "MultiLineStringGeometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"const": "MultiLineString"},
            "coordinates": {"type": "array", "minItems": 1, "items": _ref("LineCoordinates")},
        },
    },
    "LineFeature": {
        "type": "object",
        "required": ["type", "geometry"],
        "properties": {
            "type": {"const": "Feature"},
            "geometry": {"anyOf": [_ref("LineStringGeometry"), _ref("MultiLineStringGeometry")]},
        },
    },
    "RouteJson": {
        "description": "A route as GeoJSON, or a Google encoded polyline (precision 5 or 6).",
        "anyOf": [
            _ref("LineStringGeometry"),
            _ref("MultiLineStringGeometry"),
            _ref("LineFeature"),
            {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": {"const": "FeatureCollection"},
                    "features": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"anyOf": [_ref("LineFeature"), _ref("PointFeature")]},
                    },
                },
            },
            {
                "type": "object",
                "required": ["polyline"],
                "properties": {
                    "polyline": {"type": "string", "minLength": 1},
                    "precision": {"enum": [5, 6]},
                },
            },
        ],
    },
    "RouteResult": {
        "type": "object",
        "required": [
            "verdict",
            "max_level",
            "length_km",
            "covered_km",
            "zones",
            "near",
            "reasons",
            "pack",
        ],
        "properties": {
            "verdict": {"enum": ["do_not_travel", "reconsider", "caution", "ok", "not_covered"]},
            "max_level": {"type": ["integer", "null"]},
            "label": _NULLABLE_STRING,
            "length_km": {"type": "number"},
            "covered_km": {"type": "number"},
            "vertices": {"type": "integer"},
            "date": {"type": "string", "format": "date"},
            "corridor_km": {"type": "number"},
            "zones": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "level", "status", "inside_km", "excepted_km", "crossings"],
                    "properties": {
                        "inside_km": {
                            "type": "number",
                            "description": "Geodesic km inside, exceptions excluded.",
                        },
                        "crossings": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["enter", "exit", "enter_km", "exit_km", "inside_km"],
                            },
                        },
                    },
                },
            },
            "near": {
                "type": "array",
                "items": {"type": "object", "required": ["id", "distance_km"]},
            },
            "reasons": {"type": "array", "items": {"type": "string"}},
            "name": _NULLABLE_STRING,
            "pack": _ref("PackRef"),
        },
    },
    "ItineraryRequest": {
        "type": "object",
        "required": ["stops"],
        "properties": {
            "stops": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "description": 'A place name ("Cusco", "Santa Rosa, Loreto") or lat and lon; a date.',
                    "properties": {
                        "place": {"type": "string"},
                        "department": {"type": "string"},
                        "lat": {"type": "number", "minimum": -90, "maximum": 90},
                        "lon": {"type": "number", "minimum": -180, "maximum": 180},
                        "name": {"type": "string"},
                        "date": {"type": "string", "format": "date"},
                    },
                },
            },
            "legs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "mode": {"enum": ["flight", "road", "river", "rail", "foot"]},
                        "date": {"type": "string", "format": "date"},
                        "route": {"type": "object", "description": "GeoJSON line"},
                        "gpx": {"type": "string"},
                        "kml": {"type": "string"},
                        "polyline": {"type": "string"},
                    },
                },
            },
        },
    },
    "ItineraryResult": {
        "type": "object",
        "required": ["verdict", "needs_review", "reasons", "stops", "legs", "pack"],
        "properties": {
            "verdict": {"enum": ["do_not_travel", "reconsider", "caution", "ok", "not_covered"]},
            "max_level": {"type": ["integer", "null"]},
            "needs_review": {
                "type": "boolean",
                "description": "A leg without geometry seems to cross a zone.",
            },
            "reasons": {"type": "array", "items": {"type": "string"}},
            "stops": {
                "type": "array",
                "items": {"type": "object", "required": ["index", "name", "date", "check"]},
            },
            "legs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "mode", "checked", "approximate", "verdict"],
                },
            },
            "pack": _ref("PackRef"),
        },
    },
    "Position": {
        "type": "array",
        "description": "[lon, lat] or [lon, lat, elevation].",
        "prefixItems": [
            {"type": "number", "minimum": -180, "maximum": 180},
            {"type": "number", "minimum": -90, "maximum": 90},
            {"type": "number"},
        ],
        "minItems": 2,
        "maxItems": 3,
    },
    "PointGeometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {"type": {"const": "Point"}, "coordinates": _ref("Position")},
    },
    "MultiPointGeometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"const": "MultiPoint"},
            "coordinates": {"type": "array", "items": _ref("Position")},
        },
    },
    "PointFeature": {
        "type": "object",
        "required": ["type", "geometry"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": ["string", "integer"]},
            "geometry": {"anyOf": [_ref("PointGeometry"), _ref("MultiPointGeometry")]},
        },
    },
    "CheckBatchResult": {
        "type": "object",
        "required": ["results", "advice", "pack"],
        "properties": {
            "results": {
                "type": "array",
                "items": {"allOf": [_ref("PointAnswer"), {"type": "object", "required": ["id"]}]},
            },
            "advice": _ref("Advice"),
            "pack": _ref("PackRef"),
        },
    },
    "Source": {
        "type": "object",
        "required": ["title", "url"],
        "properties": {
            "title": {"type": "string"},
            "url": {"type": "string"},
            "date": _NULLABLE_STRING,
        },
    },
    "ZoneProperties": {
        "type": "object",
        "required": [
            "id",
            "name",
            "kind",
            "level",
            "categories",
            "basis",
            "summary",
            "advice",
            "sources",
            "valid_from",
            "valid_until",
            "confidence",
            "notes",
            "built_from",
            "status",
        ],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"enum": ["zone", "exception"]},
            "parent": _NULLABLE_STRING,
            "level": _LEVEL,
            "categories": {"type": "array", "items": {"type": "string"}},
            "basis": {
                "enum": [
                    "official-advisory",
                    "government-decree",
                    "monitoring-report",
                    "indicative",
                ]
            },
            "summary": {"type": "string"},
            "advice": {"type": "string"},
            "sources": {"type": "array", "items": _ref("Source")},
            "valid_from": _NULLABLE_STRING,
            "valid_until": _NULLABLE_STRING,
            "renewed_since": {"type": ["integer", "null"]},
            "confidence": {"type": "string"},
            "notes": {"type": "array", "items": {"type": "string"}},
            "built_from": {"type": "string"},
            "status": {"enum": ["in_force", "unconfirmed", "expired", "not_yet"]},
            "status_text": {"type": "string"},
        },
    },
    "ZoneFeature": {
        "type": "object",
        "required": ["type", "id", "properties", "geometry"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": "string"},
            "properties": _ref("ZoneProperties"),
            "geometry": {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}},
            },
            "pack": _ref("PackRef"),
            "date": {"type": "string", "format": "date"},
        },
    },
    "ZoneCollection": {
        "type": "object",
        "required": ["type", "features", "pack", "date"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": _ref("ZoneFeature")},
            "pack": _ref("PackRef"),
            "date": {"type": "string", "format": "date"},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "pack"],
        "properties": {"status": {"const": "ok"}, "pack": _ref("PackRef")},
    },
    "PackSummary": {
        "type": "object",
        "required": ["id", "version", "built", "zones", "zone_ids", "baseline", "sources"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "version": {"type": "string"},
            "built": {"type": "string"},
            "content_sha256": {"type": "string"},
            "zones": {"type": "integer"},
            "zones_by_level": {"type": "object", "additionalProperties": {"type": "integer"}},
            "districts": {"type": "integer"},
            "baseline_level": _LEVEL,
            "baseline": {"type": "object"},
            "sources": {"type": "array", "items": {"type": "object"}},
            "zone_ids": {"type": "array", "items": {"type": "string"}},
        },
    },
}


def openapi_document(max_points: int, max_body: int, categories: list[str]) -> dict[str, Any]:
    """The document, with the configured limits and the pack's categories written into it."""
    bad_request = _problem("Bad input: the detail says which field and how to fix it.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "riskzones",
            "version": "1",
            "description": "Advisory risk zones of Peru: which zones a point touches, how "
            "serious each is, why, since when, on whose authority, and how far the nearest "
            "zone is. Errors are application/problem+json (RFC 9457). "
            f"Request bodies are limited to {max_body:,} bytes (413 beyond).",
            "license": {"name": "MIT (code); see /v1/pack for data licences", "identifier": "MIT"},
        },
        "paths": {
            "/v1/check": {
                "get": {
                    "operationId": "checkPoint",
                    "summary": "Check one point",
                    "parameters": [_LAT, _LON, _DATE, _RADIUS],
                    "responses": {
                        "200": _json(_ref("CheckResult"), "The answer for the point."),
                        "400": bad_request,
                    },
                },
                "post": {
                    "operationId": "checkPoints",
                    "summary": f"Check many points (at most {max_points:,})",
                    "parameters": [_DATE, _RADIUS],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("CheckBatchRequest")}},
                    },
                    "responses": {
                        "200": _json(_ref("CheckBatchResult"), "One result per point, in order."),
                        "400": bad_request,
                        "413": _problem(f"More than {max_points:,} points, or a body over the limit."),
                    },
                },
            },
            "/v1/route": {
                "post": {
                    "operationId": "checkRoute",
                    "summary": "Check a route: zones crossed (enter, exit, km inside), closest approaches",
                    "parameters": [
                        _DATE,
                        {
                            "name": "corridor_km",
                            "in": "query",
                            "description": "Zones within this distance of the route count as touched.",
                            "schema": {
                                "type": "number",
                                "minimum": 0,
                                "maximum": 100,
                                "default": 0,
                            },
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": _ref("RouteJson")},
                            "application/gpx+xml": {"schema": {"type": "string"}},
                            "application/vnd.google-earth.kml+xml": {"schema": {"type": "string"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "200": _json(_ref("RouteResult"), "The route's verdict and crossings."),
                        "400": _problem("The route cannot be read; the detail gives the position."),
                        "413": _problem("Too many vertices or too large a body."),
                    },
                }
            },
            "/v1/itinerary": {
                "post": {
                    "operationId": "checkItinerary",
                    "summary": "Check an itinerary: stops with dates and the legs between them",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": _ref("ItineraryRequest")},
                            "application/yaml": {"schema": {"type": "string"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "200": _json(
                            _ref("ItineraryResult"),
                            "The trip's verdict, stop by stop and leg by leg.",
                        ),
                        "400": _problem(
                            "Bad input, or an ambiguous place name (the detail lists the candidates)."
                        ),
                        "413": _problem("Too many stops or too large a body."),
                    },
                }
            },
            "/v1/zones/avoid": {
                "get": {
                    "operationId": "avoidAreas",
                    "summary": "Zones as avoid-areas for routers",
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "schema": {
                                "enum": ["geojson", "valhalla", "graphhopper", "ors"],
                                "default": "geojson",
                            },
                            "description": "geojson, Valhalla exclude_polygons, GraphHopper custom model "
                            "(priority + areas), or openrouteservice options.avoid_polygons.",
                        },
                        {
                            "name": "level_min",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 4, "default": 4},
                        },
                        _DATE,
                    ],
                    "responses": {
                        "200": _json({"type": "object"}, "The avoid-areas in the requested format."),
                        "400": bad_request,
                    },
                }
            },
            "/v1/zones": {
                "get": {
                    "operationId": "listZones",
                    "summary": "The zones as a GeoJSON FeatureCollection",
                    "parameters": [
                        {
                            "name": "bbox",
                            "in": "query",
                            "description": "min_lon,min_lat,max_lon,max_lat (min <= max): zones touching it.",
                            "schema": {"type": "string", "pattern": _BBOX_PATTERN},
                            "example": "-75,-14,-72,-11",
                        },
                        {
                            "name": "level_min",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 4},
                        },
                        {
                            "name": "category",
                            "in": "query",
                            "schema": {"enum": categories},
                        },
                        _DATE,
                    ],
                    "responses": {
                        "200": _json(_ref("ZoneCollection"), "The zones.", "application/geo+json"),
                        "304": {"description": "Not modified (ETag)."},
                        "400": bad_request,
                    },
                }
            },
            "/v1/zones/{zone_id}": {
                "get": {
                    "operationId": "getZone",
                    "summary": "One zone as a GeoJSON Feature",
                    "parameters": [
                        {
                            "name": "zone_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "example": "pe-vraem",
                        },
                        _DATE,
                    ],
                    "responses": {
                        "200": _json(_ref("ZoneFeature"), "The zone.", "application/geo+json"),
                        "304": {"description": "Not modified (ETag)."},
                        "400": bad_request,
                        "404": _problem("No zone with this id; the detail lists the known ids."),
                    },
                }
            },
            "/v1/pack": {
                "get": {
                    "operationId": "getPack",
                    "summary": "The served pack: version, counts, baseline, sources",
                    "responses": {"200": _json(_ref("PackSummary"), "The pack.")},
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness and the loaded pack",
                    "responses": {"200": _json(_ref("Health"), "Alive.")},
                }
            },
        },
        "components": {"schemas": _SCHEMAS},
    }


#: The body schema that applies, by the body's "points" key or GeoJSON "type".
REQUEST_SCHEMAS = {
    "points": "PointsRequest",
    "Point": "PointGeometry",
    "MultiPoint": "MultiPointGeometry",
    "Feature": "PointFeature",
    "FeatureCollection": "CheckBatchRequest",
}


def schema_validator(name: str) -> Draft202012Validator:
    """A validator for one component schema, resolving references within the document."""
    schema = {**_ref(name), "components": {"schemas": _SCHEMAS}}
    return Draft202012Validator(schema, format_checker=FormatChecker())
