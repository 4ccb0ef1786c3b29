"""Several countries' packs served together: Peru's and its neighbours'.

Each country keeps its own pack (its zones, governments, time zone and coverage); the engine
stays the same per pack. A point is answered by the pack whose coverage holds it, on that
country's local date; a point that no pack covers is "not covered" (answered by the first pack,
which says so and gives its hint).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from geo.engine import coords
from geo.engine.index import DEFAULT_RADIUS_KM, ZoneIndex, default_index, radius_value
from geo.engine.results import PointResult
from geo.pack import load_pack
from geo.pack.load import neighbour_pack_dirs
from geo.spatial.nearby import RUN

__all__ = ["Region", "Served", "default_region", "region_from_paths"]


class Served:
    """A neighbour's pack served beside the home pack: its country and bounds, read from its
    ``pack.json`` alone, and its index, loaded the first time a point, route or list needs it
    (a command checking a point in Peru never loads Brazil's pack)."""

    __slots__ = ("_index", "bbox", "country", "outline", "path")

    def __init__(self, path: str | Path | None = None, *, index: ZoneIndex | None = None) -> None:
        self._index = index
        self.bbox: tuple[float, ...] | None
        #: A coarse polygon holding the pack's coverage (``pack.json``'s ``outline``), if known.
        self.outline: BaseGeometry | None = None
        if index is not None:
            self.path = index.pack.path
            self.country = index.pack.country
            self.bbox = tuple(index.pack.coverage.bounds)
            return
        if path is None:
            raise ValueError("a served pack needs a path or an index")
        self.path = Path(path)
        meta = json.loads((self.path / "pack.json").read_bytes())
        self.country = meta.get("country")
        bbox = meta.get("bbox")
        self.bbox = tuple(float(v) for v in bbox) if bbox else None
        if meta.get("outline"):
            self.outline = shape(meta["outline"])

    @property
    def index(self) -> ZoneIndex:
        if self._index is None:
            self._index = neighbour_index(self.path)
            if self.bbox is None:
                self.bbox = tuple(self._index.pack.coverage.bounds)
        return self._index

    def may_hold(self, west: float, south: float, east: float, north: float) -> bool:
        """Whether the pack's bounds meet the box (True when they are not known yet)."""
        if self.bbox is None:
            return True
        w, s, e, n = self.bbox
        if not (w <= east and west <= e and s <= north and south <= n):
            return False
        return self.outline is None or bool(shapely.intersects(self.outline, box(west, south, east, north)))


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

    __slots__ = ("_served", "home")

    def __init__(self, home: ZoneIndex, neighbours: Sequence[Served | ZoneIndex | str | Path] = ()) -> None:
        self.home = home
        self._served = tuple(
            n if isinstance(n, Served) else Served(index=n) if isinstance(n, ZoneIndex) else Served(n)
            for n in neighbours
        )

    @property
    def indexes(self) -> tuple[ZoneIndex, ...]:
        """Every pack's index, the home pack's first (loading those not loaded yet)."""
        return (self.home, *(n.index for n in self._served))

    @property
    def coverage(self) -> BaseGeometry:
        """Where some pack answers (a collection, not a union: nothing is computed): what an
        alert must lie near."""
        return shapely.GeometryCollection([i.pack.coverage for i in self.indexes])

    def near(self, west: float, south: float, east: float, north: float) -> list[ZoneIndex]:
        """The indexes of the packs whose bounds meet the box, the home pack's first."""
        return [self.home, *(n.index for n in self._served if n.may_hold(west, south, east, north))]

    def country(self, code: str) -> ZoneIndex | None:
        """The index of the pack of country ``code`` (ISO 3166 alpha-3), if served."""
        if code == self.home.pack.country:
            return self.home
        return next((n.index for n in self._served if n.country == code), None)

    def answering(self, result: PointResult) -> ZoneIndex:
        """The index that gave ``result`` (the home pack's for a point no pack covers)."""
        return self.country(result.country or "") or self.home

    def index_at(self, lon: float, lat: float) -> ZoneIndex | None:
        """The pack whose coverage holds the point (the home pack first, where coverages touch)."""
        for index in self.near(lon, lat, lon, lat):
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
        result = index.check_point(lon=x, lat=y, date=date, radius_km=radius_km, advisory=advisory)
        return self._with_neighbours_nearby(result, index, radius_value(radius_km), date, advisory)

    def _with_neighbours_nearby(
        self, result: PointResult, answering: ZoneIndex, radius: float, date: Any, advisory: object
    ) -> PointResult:
        """``result`` with the zones of the other countries within ``radius`` km (a point in
        Tabatinga is a kilometre from Peru's level-4 border zone), nearest first."""
        if radius <= 0:
            return result
        margin = radius / 100.0  # degrees: more than ``radius`` km anywhere outside the poles
        x, y = result.lon, result.lat
        found = list(result.nearby)
        for index in self.near(x - margin, y - margin, x + margin, y + margin):
            if index is answering:
                continue
            today = index.on(index.pack.date(date))
            found.extend(index.nearby(x, y, radius, today, index.rule.advisory(advisory)))
        if len(found) == len(result.nearby):
            return result
        return replace(result, nearby=tuple(sorted(found, key=lambda n: n.distance_km)))


def neighbour_index(path: str | Path) -> ZoneIndex:
    """The index of a neighbour's pack: its edges in runs (``geo.spatial.nearby.RUN``), which
    holds five countries' boundaries in a served worker's memory."""
    return ZoneIndex(load_pack(path), edge_run=RUN)


@cache
def default_region() -> Region:
    """The packaged packs: Peru's, then each neighbour's (loaded when first needed), once per
    process."""
    return Region(default_index(), neighbour_pack_dirs())


def region_from_paths(paths: Sequence[str | Path]) -> Region:
    """A region of the packs in ``paths``, the first being the home pack."""
    return Region(ZoneIndex.from_path(paths[0]), list(paths[1:]))
