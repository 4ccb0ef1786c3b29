"""Small packs written for tests: zones from shapely geometries, through the build's writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shapely.geometry import box

from geo.build.writer import feature_collection, write_pack

__all__ = ["tiny_zone", "write_tiny_pack"]


def tiny_zone(zone_id: str, geometry: Any, **overrides: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": zone_id,
        "name": zone_id,
        "kind": "zone",
        "parent": None,
        "level": 4,
        "categories": ["crime"],
        "basis": "indicative",
        "summary": "s",
        "advice": "a",
        "sources": [],
        "valid_from": None,
        "valid_until": None,
        "renewed_since": None,
        "confidence": "test",
        "notes": [],
        "built_from": "test",
    }
    properties.update(overrides)
    return {"properties": properties, "geometry": geometry}


def write_tiny_pack(path: Path, zones: list[dict[str, Any]], coverage: Any = None) -> Path:
    coverage = coverage or box(-10, -10, 10, 10)
    files = {
        "zones.geojson": feature_collection(zones),
        "coverage.geojson": feature_collection([{"properties": {"id": "c"}, "geometry": coverage}]),
        "districts.geojson": feature_collection(
            [
                {
                    "properties": {
                        "ubigeo": "000001",
                        "district": "D",
                        "province": "P",
                        "department": "X",
                        "capital": "D",
                    },
                    "geometry": coverage,
                }
            ]
        ),
    }
    metadata = {
        "id": "t",
        "name": "test",
        "version": "2026-01-01",
        "timezone": "America/Lima",
        "baseline": {"level": 2, "summary": "b", "advice": ["b"], "contacts": []},
        "sources": [],
    }
    write_pack(path, files, metadata)
    return path
