"""Geometry helpers of the build: metric projections, geodesic areas, sliver filling, rounding."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

__all__ = [
    "BORDER_CRS",
    "GRID_DEG",
    "Projection",
    "fill_small_holes",
    "geodesic_area_km2",
    "largest_polygon",
    "polygons",
    "projection",
    "snap_to_grid",
    "union",
    "utm_crs_for",
]

#: Transverse Mercator centred on the Peru-Colombia border (COLOMBIA_BORDER.md, step 1):
#: scale error at most about 0.15 % at either end of the border.
BORDER_CRS = "+proj=tmerc +lat_0=0 +lon_0=-72.6 +k=1 +x_0=500000 +y_0=10000000 +datum=WGS84 +units=m"
#: Output precision: 1e-6 degrees is about 0.1 m, far below the sources' accuracy.
GRID_DEG = 1e-6
_GEOD = Geod(ellps="WGS84")


@cache
def projection(crs: str | int) -> Projection:
    """A shared ``Projection`` per CRS: building transformers is the slow part."""
    return Projection(crs)


class Projection:
    """A pair of transformers between lon/lat and one projected CRS."""

    def __init__(self, crs: str | int) -> None:
        target = CRS.from_user_input(crs)
        self._forward = Transformer.from_crs(4326, target, always_xy=True)
        self._inverse = Transformer.from_crs(target, 4326, always_xy=True)

    def forward(self, geometry: BaseGeometry) -> BaseGeometry:
        return _apply(self._forward, geometry)

    def inverse(self, geometry: BaseGeometry) -> BaseGeometry:
        return _apply(self._inverse, geometry)


def _apply(transformer: Transformer, geometry: BaseGeometry) -> BaseGeometry:
    def move(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, move)


def utm_crs_for(geometry: BaseGeometry) -> int:
    """EPSG code of the southern-hemisphere UTM zone of a geometry's centroid (Peru is south)."""
    zone = int((geometry.centroid.x + 180) // 6) + 1
    return 32700 + zone


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid in km²."""
    area, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1e6


def polygons(geometry: BaseGeometry) -> list[Polygon]:
    """The polygon parts of a geometry (collections from overlays included)."""
    if isinstance(geometry, Polygon):
        return [geometry] if not geometry.is_empty else []
    if hasattr(geometry, "geoms"):
        return [p for part in geometry.geoms for p in polygons(part)]
    return []


def largest_polygon(geometry: BaseGeometry) -> Polygon:
    """The polygon part of largest area."""
    return max(polygons(geometry), key=lambda p: p.area)


def fill_small_holes(geometry: BaseGeometry, max_km2: float) -> tuple[BaseGeometry, int, float]:
    """Remove interior rings smaller than ``max_km2``.

    The district source is not topologically clean: neighbours leave sliver gaps of
    60-100 m that appear as holes in any union. Returns the geometry, the number of holes
    filled and their total area in km².
    """
    filled, total, parts = 0, 0.0, []
    for polygon in polygons(geometry):
        kept = []
        for ring in polygon.interiors:
            area = geodesic_area_km2(Polygon(ring))
            if area < max_km2:
                filled += 1
                total += area
            else:
                kept.append(ring)
        parts.append(Polygon(polygon.exterior, kept))
    # A part can sit inside a filled hole (an island in a gap): union, not a bare collection.
    result = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    return result, filled, total


def snap_to_grid(geometry: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid, keeping the geometry valid, with RFC 7946 ring orientation."""
    snapped = shapely.set_precision(geometry, GRID_DEG)
    return shapely.orient_polygons(snapped, exterior_cw=False)


def union(geometries: Iterable[BaseGeometry]) -> BaseGeometry:
    """Union of many geometries."""
    return shapely.union_all(list(geometries))
