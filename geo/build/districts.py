"""The derived district layer ("which district am I in") and the coverage outline."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.build.draft import SLIVER_MAX_KM2
from geo.build.geometry import fill_small_holes, projection, snap_to_grid, union, utm_crs_for

__all__ = ["MAX_SIMPLIFICATION_ERROR_M", "SIMPLIFY_DEG", "coverage", "district_layer"]

#: Douglas-Peucker tolerance: 0.0003° is at most 33 m, below the 50 m error budget.
SIMPLIFY_DEG = 0.0003
MAX_SIMPLIFICATION_ERROR_M = 50.0


def coverage(districts: gpd.GeoDataFrame) -> tuple[BaseGeometry, dict[str, Any]]:
    """Peru as the union of its districts, with the source's sliver gaps filled."""
    geometry, filled, filled_km2 = fill_small_holes(union(districts.geometry.values), SLIVER_MAX_KM2)
    return geometry, {"sliver_holes_filled": filled, "sliver_area_km2": round(filled_km2, 1)}


def district_layer(districts: gpd.GeoDataFrame) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Simplified districts with their names, and the largest simplification error in metres."""
    original = districts.geometry.values
    simplified = np.array(
        [snap_to_grid(g) for g in shapely.simplify(original, SIMPLIFY_DEG, preserve_topology=True)]
    )
    errors = np.array([_error_m(a, b) for a, b in zip(original, simplified, strict=True)])
    worst = int(errors.argmax())
    records = [
        {
            "properties": {
                "ubigeo": row.COD_DISTRITO,
                "district": row.DISTRITO,
                "province": row.PROVINCIA,
                "department": row.DEPARTAMENTO,
                "capital": row.NOMBRE_CAPITAL_LEGAL,
            },
            "geometry": geometry,
        }
        for row, geometry in zip(districts.itertuples(), simplified, strict=True)
    ]
    facts = {
        "districts": len(records),
        "vertices_source": int(shapely.get_num_coordinates(original).sum()),
        "vertices_layer": int(shapely.get_num_coordinates(simplified).sum()),
        "tolerance_deg": SIMPLIFY_DEG,
        "max_error_m": round(float(errors[worst]), 1),
        "max_error_ubigeo": districts.iloc[worst]["COD_DISTRITO"],
        "mean_error_m": round(float(errors.mean()), 1),
    }
    return records, facts


def _error_m(original: BaseGeometry, simplified: BaseGeometry) -> float:
    """Hausdorff distance in metres, in the district's own UTM zone."""
    utm = projection(utm_crs_for(original))
    return float(shapely.hausdorff_distance(utm.forward(original), utm.forward(simplified)))
