"""Several countries' packs served together: Peru's and its neighbours'.

Each country keeps its own pack (its zones, governments, time zone and coverage); the engine
stays the same per pack. A point is answered by the pack whose coverage holds it, on that
country's local date; a point that no pack covers is "not covered" (answered by the first pack,
which says so and gives its hint).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from geo.engine import coords
from geo.engine.index import DEFAULT_RADIUS_KM, ZoneIndex, default_index
from geo.engine.results import PointResult
from geo.pack import load_pack
from geo.pack.load import neighbour_pack_dirs

__all__ = ["Region", "default_region"]


class Region:
    """The packs served together, the home pack (Peru) first.

    Examples
    --------
    >>> region = default_region()
    >>> [index.pack.country for index in region.indexes][:3]
    ['PER', 'COL', 'ECU']
    >>> region.check_point(lon=-68.15, lat=-16.5, date="2026-11-27").country  # La Paz
    'BOL'
    """

    __slots__ = ("_by_country", "indexes")

    def __init__(self, indexes: Sequence[ZoneIndex]) -> None:
        if not indexes:
            raise ValueError("a region needs at least one pack")
        self.indexes = tuple(indexes)
        self._by_country = {i.pack.country: i for i in self.indexes if i.pack.country}

    @property
    def home(self) -> ZoneIndex:
        return self.indexes[0]

    def country(self, code: str) -> ZoneIndex | None:
        """The index of the pack of country ``code`` (ISO 3166 alpha-3), if served."""
        return self._by_country.get(code)

    def index_at(self, lon: float, lat: float) -> ZoneIndex | None:
        """The pack whose coverage holds the point (the home pack first, where coverages touch)."""
        for index in self.indexes:
            if index.covered(lon, lat):
                return index
        return None

    def check_point(
        self,
        *,
        lon: object,
        lat: object,
        date: Any = None,
        radius_km: object = DEFAULT_RADIUS_KM,
        advisory: object = None,
    ) -> PointResult:
        """``ZoneIndex.check_point`` in the country the point lies in (``date`` None: today
        there)."""
        x, y = coords.point(lon, lat, lambda a, b: self.index_at(a, b) is not None)
        index = self.index_at(x, y) or self.home
        return index.check_point(lon=x, lat=y, date=date, radius_km=radius_km, advisory=advisory)


@cache
def default_region() -> Region:
    """The packaged packs: Peru's, then each neighbour's, built once per process."""
    return Region([default_index(), *(ZoneIndex(load_pack(p)) for p in neighbour_pack_dirs())])


def region_from_paths(paths: Sequence[str | Path]) -> Region:
    """A region of the packs in ``paths``, the first being the home pack."""
    return Region([ZoneIndex.from_path(p) for p in paths])
