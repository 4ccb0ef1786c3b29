"""The OpenAPI 3.1 document of the API; tests validate real responses against it."""

from __future__ import annotations

from typing import Any

from service.openapi.ogc import ogc_paths
from service.openapi.schemas import SCHEMAS, ref
from service.openapi.stored import SECURITY_SCHEMES, problem_response, store_paths

__all__ = ["openapi_document"]

_NUMBER = r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*"
_BBOX_PATTERN = f"^{_NUMBER}(,{_NUMBER}){{3}}$"


_problem = problem_response


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
    "description": "Answer as of this date (YYYY-MM-DD); default today in the pack's time zone "
    "(Peru: America/Lima). Decides whether "
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


_ADVISORY = {
    "name": "advisory",
    "in": "query",
    "required": False,
    "description": "Whose advice sets the headline level: us (U.S. State Department), uk "
    "(FCDO), ca (Global Affairs Canada) or au (Smartraveller), with Peru's decrees and the "
    "research zones. Every government's own level is in `advisories` either way.",
    "schema": {"enum": ["us", "uk", "ca", "au"], "default": "us"},
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
            f"Request bodies are limited to {max_body:,} bytes (413 beyond). "
            "Texts are in English or Spanish: ?lang=en|es on any /v1 operation, else the best "
            "of Accept-Language, else English; Content-Language says which (a 400 for another "
            "lang).",
            "license": {"name": "MIT (code); see /v1/pack for data licences", "identifier": "MIT"},
        },
        "paths": {
            "/v1/check": {
                "get": {
                    "operationId": "checkPoint",
                    "summary": "Check one point",
                    "parameters": [_LAT, _LON, _DATE, _RADIUS, _ADVISORY],
                    "responses": {
                        "200": _json(ref("CheckResult"), "The answer for the point."),
                        "400": bad_request,
                    },
                },
                "post": {
                    "operationId": "checkPoints",
                    "summary": f"Check many points (at most {max_points:,})",
                    "parameters": [_DATE, _RADIUS, _ADVISORY],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("CheckBatchRequest")}},
                    },
                    "responses": {
                        "200": _json(ref("CheckBatchResult"), "One result per point, in order."),
                        "400": bad_request,
                        "413": _problem(f"More than {max_points:,} points, or a body over the limit."),
                    },
                },
            },
            "/v1/route": {
                "post": {
                    "operationId": "checkRoute",
                    "summary": "Check a route: zones crossed (enter, exit, km inside), closest approaches",
                    "description": "The body is a route file, read by its content (the Content-Type "
                    "is a hint): GPX 1.0 or 1.1 (tracks and routes; extensions ignored), KML 2.2 "
                    "(LineString, MultiGeometry, gx:Track, gx:MultiTrack), KMZ, GeoJSON (lines; "
                    "points are waypoints, areas are passed over), CSV waypoints with lat and lon "
                    "columns, or an encoded polyline as JSON. A file with waypoints and no lines is "
                    "the straight line through its waypoints in order; the answer's input says so.",
                    "parameters": [
                        _DATE,
                        _ADVISORY,
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
                            "application/json": {"schema": ref("RouteJson")},
                            "application/gpx+xml": {"schema": {"type": "string"}},
                            "application/vnd.google-earth.kml+xml": {"schema": {"type": "string"}},
                            "application/vnd.google-earth.kmz": {
                                "schema": {"type": "string", "contentMediaType": "application/zip"}
                            },
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "200": _json(ref("RouteResult"), "The route's verdict and crossings."),
                        "400": _problem("The route cannot be read; the detail gives the position."),
                        "413": _problem("Too many vertices or too large a body."),
                        "415": _problem("The body is not a kind of route file the service reads."),
                    },
                }
            },
            "/v1/itinerary": {
                "post": {
                    "operationId": "checkItinerary",
                    "summary": "Check an itinerary: stops with dates and the legs between them",
                    "parameters": [_ADVISORY],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": ref("ItineraryRequest")},
                            "application/yaml": {"schema": {"type": "string"}},
                            "text/csv": {"schema": {"type": "string"}},
                            "text/calendar": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "200": _json(
                            ref("ItineraryResult"),
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
                        _ADVISORY,
                        {
                            "name": "tolerance_km",
                            "in": "query",
                            "schema": {
                                "type": "number",
                                "exclusiveMinimum": 0,
                                "maximum": 50,
                                "default": 0.55,
                            },
                            "description": "Simplification: each area is grown by twice this distance, "
                            "then simplified by it, so it still covers the zones; coarser gives fewer "
                            "vertices and a wider margin.",
                        },
                    ],
                    "responses": {
                        "200": _json(
                            {"type": "object"},
                            "The avoid-areas in the requested format. The Valhalla format adds "
                            "`riskzones`: each ring's geodesic circumference, the length and vertex "
                            "count as Valhalla counts them, and the `service_limits` a Valhalla "
                            "server needs to accept them (its defaults, 10,000 m and 100 vertices, "
                            "refuse zones of this size); Valhalla ignores the key.",
                        ),
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
                        "200": _json(ref("ZoneCollection"), "The zones.", "application/geo+json"),
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
                            "example": "us-vraem",
                        },
                        _DATE,
                    ],
                    "responses": {
                        "200": _json(ref("ZoneFeature"), "The zone.", "application/geo+json"),
                        "304": {"description": "Not modified (ETag)."},
                        "400": bad_request,
                        "404": _problem("No zone with this id; the detail lists the known ids."),
                    },
                }
            },
            "/v1/places": {
                "get": {
                    "operationId": "searchPlaces",
                    "summary": "Places of the offline gazetteer whose name starts with q",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "description": "The start of a place name; accents and case are ignored.",
                            # Blank text is no name: a character that is not white space.
                            "schema": {"type": "string", "minLength": 1, "pattern": "\\S"},
                            "example": "Tingo",
                        }
                    ],
                    "responses": {
                        "200": _json(ref("PlaceList"), "At most 10 places, largest first."),
                        "400": bad_request,
                    },
                }
            },
            "/v1/offline": {
                "get": {
                    "operationId": "getOfflineBundle",
                    "summary": "What the map needs to check points on the device, offline",
                    "description": "The zones with their geometry and, computed by the server, "
                    "each zone's status on every day ([[first day, status], ...]), the "
                    "governments whose answers count it, each government's country-wide level on "
                    "every day, the coverage and the place names (see geo/exports/offline.py). Revalidate "
                    "with If-None-Match.",
                    "responses": {
                        "200": _json({"type": "object"}, "The bundle."),
                        "304": {"description": "Unchanged since the ETag given."},
                    },
                }
            },
            "/v1/pack": {
                "get": {
                    "operationId": "getPack",
                    "summary": "The served pack: version, counts, baseline, sources",
                    "responses": {"200": _json(ref("PackSummary"), "The pack.")},
                }
            },
            **store_paths(_BBOX_PATTERN),
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness and the loaded pack",
                    "responses": {"200": _json(ref("Health"), "Alive.")},
                }
            },
            **ogc_paths(),
        },
        "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
    }
