"""Check of the legal VRAEM zone against PCM GeoPerú's own outline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.build.geometry import Projection, geodesic_area_km2
from geo.build.sources import read_geojson

__all__ = ["compare_outline"]


def compare_outline(zone: BaseGeometry, outline_path: Path) -> dict[str, Any]:
    """Area difference and Hausdorff distance between the zone and PCM's VRAEM outline."""
    outline = shapely.union_all([shape(f["geometry"]) for f in read_geojson(outline_path)])
    ours, theirs = geodesic_area_km2(zone), geodesic_area_km2(outline)
    utm = Projection(32718)
    hausdorff = shapely.hausdorff_distance(utm.forward(zone.boundary), utm.forward(outline.boundary))
    return {
        "zone_km2": round(ours, 1),
        "outline_km2": round(theirs, 1),
        "area_difference_pct": round(100 * (ours - theirs) / theirs, 3),
        "zone_outside_outline_km2": round(geodesic_area_km2(zone.difference(outline)), 1),
        "outline_outside_zone_km2": round(geodesic_area_km2(outline.difference(zone)), 1),
        "hausdorff_m": round(float(hausdorff)),
    }
