"""Check of the Colombian-border zone against the research candidate (COLOMBIA_BORDER.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.build.geometry import geodesic_area_km2
from geo.build.sources import read_geojson
from geo.errors import SourceError

__all__ = ["compare_candidate"]


def compare_candidate(zone: BaseGeometry, exception: BaseGeometry, path: Path) -> dict[str, Any]:
    """Area difference between the derived zone and the research candidate geometry."""
    roles = {f["properties"].get("role"): shape(f["geometry"]) for f in read_geojson(path)}
    if "zone" not in roles:
        raise SourceError(path, "features", "no feature with role 'zone'", "restore the file")
    ours, theirs = geodesic_area_km2(zone), geodesic_area_km2(roles["zone"])
    result = {
        "zone_km2": round(ours, 1),
        "candidate_km2": round(theirs, 1),
        "area_difference_pct": round(100 * (ours - theirs) / theirs, 3),
    }
    if "exception" in roles:
        result["exception_km2"] = round(geodesic_area_km2(exception), 1)
        result["candidate_exception_km2"] = round(geodesic_area_km2(roles["exception"]), 1)
    return result
