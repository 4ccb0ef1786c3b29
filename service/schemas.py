"""The component schemas of the OpenAPI document, and validators for request bodies.

The API validates POST bodies with these same schemas, so the document and the behaviour
cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

from geo.errors import InputFormatError

__all__ = ["REQUEST_SCHEMAS", "SCHEMAS", "ref", "schema_validator", "validate"]

_NULLABLE_STRING = {"type": ["string", "null"]}
_LEVEL = {"type": "integer", "minimum": 1, "maximum": 4}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS: dict[str, Any] = {
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
            "contacts": {"type": "array", "items": ref("Contact")},
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
            "zones": {"type": "array", "items": ref("ZoneHit")},
            "nearby": {"type": "array", "items": ref("NearbyZone")},
            "admin": ref("Admin"),
            "hint": _NULLABLE_STRING,
        },
    },
    "CheckResult": {
        "allOf": [
            ref("PointAnswer"),
            {
                "type": "object",
                "required": ["advice", "pack"],
                "properties": {"advice": ref("Advice"), "pack": ref("PackRef")},
            },
        ]
    },
    "CheckBatchRequest": {
        "anyOf": [
            ref("PointsRequest"),
            ref("PointGeometry"),
            ref("MultiPointGeometry"),
            ref("PointFeature"),
            {
                "type": "object",
                "description": "A GeoJSON FeatureCollection of point features.",
                "required": ["type", "features"],
                "properties": {
                    "type": {"const": "FeatureCollection"},
                    "features": {"type": "array", "items": ref("PointFeature")},
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
    "LineCoordinates": {"type": "array", "minItems": 1, "items": ref("Position")},
    "LineStringGeometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {"type": {"const": "LineString"}, "coordinates": ref("LineCoordinates")},
    },
    "MultiLineStringGeometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"const": "MultiLineString"},
            "coordinates": {"type": "array", "minItems": 1, "items": ref("LineCoordinates")},
        },
    },
    "LineFeature": {
        "type": "object",
        "required": ["type", "geometry"],
        "properties": {
            "type": {"const": "Feature"},
            "geometry": {"anyOf": [ref("LineStringGeometry"), ref("MultiLineStringGeometry")]},
        },
    },
    "RouteJson": {
        "description": "A route as GeoJSON, or a Google encoded polyline (precision 5 or 6).",
        "anyOf": [
            ref("LineStringGeometry"),
            ref("MultiLineStringGeometry"),
            ref("LineFeature"),
            {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": {"const": "FeatureCollection"},
                    "features": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"anyOf": [ref("LineFeature"), ref("PointFeature")]},
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
            "pack": ref("PackRef"),
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
            "pack": ref("PackRef"),
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
        "properties": {"type": {"const": "Point"}, "coordinates": ref("Position")},
    },
    "MultiPointGeometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"const": "MultiPoint"},
            "coordinates": {"type": "array", "items": ref("Position")},
        },
    },
    "PointFeature": {
        "type": "object",
        "required": ["type", "geometry"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": ["string", "integer"]},
            "geometry": {"anyOf": [ref("PointGeometry"), ref("MultiPointGeometry")]},
        },
    },
    "CheckBatchResult": {
        "type": "object",
        "required": ["results", "advice", "pack"],
        "properties": {
            "results": {
                "type": "array",
                "items": {"allOf": [ref("PointAnswer"), {"type": "object", "required": ["id"]}]},
            },
            "advice": ref("Advice"),
            "pack": ref("PackRef"),
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
            "sources": {"type": "array", "items": ref("Source")},
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
            "properties": ref("ZoneProperties"),
            "geometry": {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}},
            },
            "pack": ref("PackRef"),
            "date": {"type": "string", "format": "date"},
        },
    },
    "ZoneCollection": {
        "type": "object",
        "required": ["type", "features", "pack", "date"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": ref("ZoneFeature")},
            "pack": ref("PackRef"),
            "date": {"type": "string", "format": "date"},
        },
    },
    "PlaceList": {
        "type": "object",
        "required": ["places"],
        "properties": {
            "places": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "lon", "lat", "district", "province", "department", "ubigeo"],
                    "properties": {
                        "name": {"type": "string"},
                        "lon": {"type": "number"},
                        "lat": {"type": "number"},
                        "district": {"type": "string"},
                        "province": {"type": "string"},
                        "department": {"type": "string"},
                        "ubigeo": {"type": "string"},
                        "approximate": {"type": "boolean", "description": "Placed at its district's centre."},
                    },
                },
            }
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "pack"],
        "properties": {"status": {"const": "ok"}, "pack": ref("PackRef")},
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
    schema = {**ref(name), "components": {"schemas": SCHEMAS}}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate(validator: Draft202012Validator, document: Any) -> None:
    """Check a document against its published schema; an ``InputFormatError`` names the first
    offending field (e.g. ``points[3].lat``)."""
    error = best_match(validator.iter_errors(document))
    if error is not None:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        field = path.lstrip(".") or "body"
        raise InputFormatError(f"{field}: {error.message}", field=field)
