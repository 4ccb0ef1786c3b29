"""A zone under construction: properties plus a shapely geometry, not yet rounded or written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from geo.build.geometry import fill_small_holes, union
from geo.build.sources import Row
from geo.errors import SourceError

__all__ = ["SLIVER_MAX_KM2", "ZoneDraft", "district_union", "resolve_codes"]

#: Holes below this size in a union of districts are gaps of the non-topological source
#: (none is larger than 0.31 km², see mapsPERU PROVENANCE.md), not enclosed districts.
SLIVER_MAX_KM2 = 1.0


@dataclass
class ZoneDraft:
    """Properties in output order, the geometry, and build facts for the report."""

    properties: dict[str, Any]
    geometry: BaseGeometry
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.properties["id"])


def resolve_codes(codes: list[str], districts: gpd.GeoDataFrame, path: object, row: Row) -> list[str]:
    """Check that every ubigeo names a district of the boundary layer."""
    known = set(districts["COD_DISTRITO"])
    for code in codes:
        if code not in known:
            raise SourceError(
                path,
                f"line {row.line} (ubigeo {row.values.get('ubigeo', '?')})",
                f"ubigeo {code!r} is not a district of sources/mapsPERU/districts.gpkg",
                "use the current 6-digit INEI ubigeo of the district, or map a pre-split "
                "2007 code to its modern districts",
            )
    return codes


def district_union(codes: list[str], districts: gpd.GeoDataFrame) -> tuple[BaseGeometry, dict[str, Any]]:
    """Union of the named districts with the source's sliver holes filled."""
    chosen = districts[districts["COD_DISTRITO"].isin(codes)]
    raw = union(chosen.geometry.values)
    geometry, filled, filled_km2 = fill_small_holes(raw, SLIVER_MAX_KM2)
    facts = {
        "districts": len(chosen),
        "sliver_holes_filled": filled,
        "sliver_area_km2": round(filled_km2, 1),
    }
    return geometry, facts
