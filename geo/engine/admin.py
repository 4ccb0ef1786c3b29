"""Which district a point is in, from the pack's district layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point

from geo.pack import District

__all__ = ["SLIVER_DEG", "Admin", "DistrictIndex"]

#: The district source leaves gaps of up to about 100 m between neighbours; a point in such a
#: gap is given the nearest district within this distance, marked approximate.
SLIVER_DEG = 0.002


@dataclass(frozen=True)
class Admin:
    """Department, province and district of a point, with the district's INEI ubigeo."""

    ubigeo: str
    district: str
    province: str
    department: str
    approximate: bool = False


class DistrictIndex:
    """STR-tree over the district layer."""

    def __init__(self, districts: Sequence[District]) -> None:
        self._districts = tuple(districts)
        geometries = np.array([d.geometry for d in self._districts], dtype=object)
        shapely.prepare(geometries)
        self._tree = shapely.STRtree(geometries)
        self._geometries = geometries

    def __len__(self) -> int:
        return len(self._districts)

    def at(self, lon: float, lat: float) -> Admin | None:
        """The district covering the point; the nearest within a sliver gap; else None."""
        point = Point(lon, lat)
        # Envelope candidates, then a prepared test: half the cost of a predicate query.
        candidates = self._tree.query(point)
        hits = candidates[shapely.intersects_xy(self._geometries[candidates], lon, lat)]
        approximate = False
        if not hits.size:
            hits = self._tree.query_nearest(point, max_distance=SLIVER_DEG)
            approximate = True
        if not hits.size:
            return None
        # Neighbours overlap by tens of metres; the lowest ubigeo keeps the answer stable.
        district = min((self._districts[i] for i in hits), key=lambda d: d.ubigeo)
        return Admin(district.ubigeo, district.district, district.province, district.department, approximate)

    def ubigeos(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Ubigeo of the district covering each point ('' where none does), vectorised."""
        points = shapely.points(lon, lat)
        pairs = self._tree.query(points, predicate="intersects")
        codes = np.array([d.ubigeo for d in self._districts], dtype=object)
        result = np.full(len(lon), "", dtype=object)
        # Districts are sorted by ubigeo: for overlaps the lowest index wins, as in ``at``.
        order = np.lexsort((pairs[1], pairs[0]))
        point, district = pairs[0][order], pairs[1][order]
        first = np.r_[True, point[1:] != point[:-1]] if point.size else np.zeros(0, bool)
        result[point[first]] = codes[district[first]]
        return result
