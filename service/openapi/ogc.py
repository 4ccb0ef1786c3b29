"""The OpenAPI paths of OGC API - Features under ``/ogc`` (``service.api.ogc``)."""

from __future__ import annotations

from typing import Any

from service.openapi.stored import problem_response

__all__ = ["ogc_paths"]

_GEOJSON = "application/geo+json"
_F = {
    "name": "f",
    "in": "query",
    "required": False,
    "description": "json (default) or html; without it, the Accept header decides.",
    "schema": {"enum": ["json", "html"]},
}
_LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of titles and zone texts: en or es (else Accept-Language).",
    "schema": {"enum": ["en", "es"]},
}
_COLLECTION = {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"}}
_LINKS = {"type": "array", "items": {"type": "object", "required": ["href", "rel"]}}


def _ok(description: str, schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {
        "description": description,
        "content": {media: {"schema": schema}, "text/html": {"schema": {"type": "string"}}},
    }


def _get(
    operation: str, summary: str, parameters: list[dict[str, Any]], ok: dict[str, Any], *errors: int
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": ok,
        "400": problem_response("Bad input: an unknown or malformed parameter."),
    }
    if 404 in errors:
        responses["404"] = problem_response("No such collection or feature.")
    return {
        "get": {
            "operationId": operation,
            "summary": summary,
            "tags": ["OGC API - Features"],
            "parameters": [*parameters, _F, _LANG],
            "responses": responses,
        }
    }


def ogc_paths() -> dict[str, Any]:
    """Landing page, conformance, collections, items and single items."""
    collection = {
        "type": "object",
        "required": ["id", "links"],
        "properties": {"id": {"type": "string"}, "links": _LINKS},
    }
    items = {
        "type": "object",
        "required": ["type", "features", "numberReturned", "links"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array"},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
            "timeStamp": {"type": "string", "format": "date-time"},
            "links": _LINKS,
        },
    }
    return {
        "/ogc": _get(
            "ogcLanding",
            "OGC API - Features: landing page",
            [],
            _ok(
                "Links to the API definition, conformance and collections.",
                {"type": "object", "required": ["links"], "properties": {"links": _LINKS}},
            ),
        ),
        "/ogc/conformance": _get(
            "ogcConformance",
            "Conformance classes (Core, GeoJSON, HTML)",
            [],
            _ok(
                "The conformance classes.",
                {
                    "type": "object",
                    "required": ["conformsTo"],
                    "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
                },
            ),
        ),
        "/ogc/collections": _get(
            "ogcCollections",
            "The collections: each government's advice, Peru's states of emergency, research zones "
            "and, once any is published, the alerts",
            [],
            _ok(
                "The collections with their extents.",
                {
                    "type": "object",
                    "required": ["collections", "links"],
                    "properties": {"collections": {"type": "array", "items": collection}, "links": _LINKS},
                },
            ),
        ),
        "/ogc/collections/{collectionId}": _get(
            "ogcCollection", "One collection", [_COLLECTION], _ok("The collection.", collection), 404
        ),
        "/ogc/collections/{collectionId}/items": _get(
            "ogcItems",
            "The collection's zones, a page at a time",
            [
                _COLLECTION,
                {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "description": "At most this many features; above 10000, 10000 (not an error).",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10},
                },
                {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                },
                {
                    "name": "bbox",
                    "in": "query",
                    "required": False,
                    "description": "west,south,east,north (CRS84); six numbers with heights are accepted; "
                    "west greater than east crosses the antimeridian.",
                    "style": "form",
                    "explode": False,
                    "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                },
                {
                    "name": "datetime",
                    "in": "query",
                    "required": False,
                    "description": "A day, an RFC 3339 date-time, or an interval start/end (.. for "
                    "open): the zones in force (or unconfirmed) then. Default: today in Lima.",
                    "schema": {"type": "string"},
                },
            ],
            _ok("A page of GeoJSON features with next/prev links.", items, _GEOJSON),
            404,
        ),
        "/ogc/collections/{collectionId}/items/{featureId}": _get(
            "ogcItem",
            "One zone of the collection, with its status today",
            [
                _COLLECTION,
                {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            _ok(
                "The zone as a GeoJSON Feature.",
                {"type": "object", "required": ["type", "id", "geometry", "properties"]},
                _GEOJSON,
            ),
            404,
        ),
    }
