"""The lookup engine: one immutable index over a loaded pack, queried many times.

Coordinates are longitude (x) and latitude (y) in WGS84 degrees. A point on a zone's
boundary is inside the zone (covers, not contains). Distances are geodesic kilometres on the
WGS84 ellipsoid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from geo import coords
from geo.admin import Admin, DistrictIndex
from geo.errors import InputFormatError
from geo.grid import ZoneGrid
from geo.nearby import BoundaryIndex
from geo.pack import LEVEL_LABELS, Zone, ZonePack, load_default_pack, load_pack
from geo.results import Advice, NearbyZone, PointResult, ZoneHit
from geo.status import parse_date, status_on, status_text

__all__ = [
    "DEFAULT_RADIUS_KM",
    "MAX_RADIUS_KM",
    "Classification",
    "ZoneIndex",
    "default_index",
    "radius_value",
]

DEFAULT_RADIUS_KM = 25.0
MAX_RADIUS_KM = 500.0


@dataclass(frozen=True)
class Classification:
    """Vectorised answer: per point, the effective level (0 = not covered), coverage and the
    bits of the zones covering it (bit i is ``zone_ids[i]``)."""

    level: np.ndarray
    covered: np.ndarray
    zone_bits: np.ndarray
    zone_ids: tuple[str, ...]

    def zone_lists(self, separator: str = ";") -> np.ndarray:
        """Per point, the covering zone ids joined by ``separator`` ('' for none)."""
        patterns, inverse = np.unique(self.zone_bits, return_inverse=True)
        names = np.array(
            [separator.join(z for i, z in enumerate(self.zone_ids) if int(p) >> i & 1) for p in patterns],
            dtype=object,
        )
        return names[inverse.reshape(-1)]


class ZoneIndex:
    """Spatial index over a zone pack; build once (``default_index()``), query many times.

    Examples
    --------
    >>> index = default_index()
    >>> result = index.check_point(lon=-73.8, lat=-12.5, date="2026-11-27")
    >>> result.level, [z.id for z in result.zones], result.admin.district
    (4, ['pe-vraem'], 'Pichari')
    >>> index.classify([-73.8, -77.03, -69.94], [-12.5, -12.04, -4.21]).level.tolist()
    [4, 2, 0]
    """

    __slots__ = (
        "_boundaries",
        "_districts",
        "_exception_ids",
        "_exceptions",
        "_grid",
        "_zone_mask",
        "pack",
    )

    def __init__(self, pack: ZonePack, *, cell_deg: float = 0.01) -> None:
        self.pack = pack
        zones = pack.zones
        self._grid = ZoneGrid([z.geometry for z in zones] + [pack.coverage], cell=cell_deg)
        self._zone_mask = (1 << len(zones)) - 1
        position = {z.id: i for i, z in enumerate(zones)}
        self._exceptions = tuple(
            (i, position[z.parent]) for i, z in enumerate(zones) if z.kind == "exception" and z.parent
        )
        self._boundaries = BoundaryIndex([z.geometry for z in zones])
        self._exception_ids = frozenset(i for i, z in enumerate(zones) if z.kind != "zone")
        self._districts = DistrictIndex(pack.districts)

    @classmethod
    def from_path(cls, path: str | Path) -> ZoneIndex:
        """Index the pack in directory ``path``."""
        return cls(load_pack(path))

    @property
    def zones(self) -> tuple[Zone, ...]:
        return self.pack.zones

    def covered(self, lon: float, lat: float) -> bool:
        """Whether the pack covers the point at all."""
        bits = self._grid.covering_one(float(lon), float(lat))
        return bool(bits >> len(self.pack.zones) & 1 or bits & self._zone_mask)

    def check_point(
        self,
        *,
        lon: object,
        lat: object,
        date: str | dt.date | None = None,
        radius_km: object = DEFAULT_RADIUS_KM,
    ) -> PointResult:
        """Everything about one point: coverage, zones, level, nearby zones, district, advice.

        ``lon`` is x and ``lat`` is y, in decimal degrees; ``date`` (default today, UTC) decides
        each zone's status; ``radius_km`` bounds the nearby search.
        """
        x, y = coords.point(lon, lat, self.covered)
        radius = radius_value(radius_km)
        day = parse_date(date)
        zones = self.pack.zones
        bits = self._grid.covering_one(x, y)
        inside = [i for i in range(len(zones)) if bits >> i & 1]
        excepted = {parent for e, parent in self._exceptions if e in inside}
        hits = tuple(_hit(zones[i], day, i in excepted) for i in inside)
        covered = bool(bits >> len(zones) & 1) or bool(inside)
        level = None
        if covered:
            raising = [h.level for h in hits if h.raises_level]
            level = max([self.pack.baseline.level, *raising])
        nearby = tuple(
            NearbyZone(
                id=zones[n.owner].id,
                name=zones[n.owner].name,
                level=zones[n.owner].level,
                status=status_on(zones[n.owner], day),
                distance_km=round(n.distance_km, 3),
                bearing_deg=round(n.bearing_deg, 1),
                nearest=(round(n.lon, 6), round(n.lat, 6)),
            )
            for n in self._boundaries.within(x, y, radius, skip=self._skip(inside))
            if zones[n.owner].kind == "zone"
        )
        return PointResult(
            lon=x,
            lat=y,
            date=day.isoformat(),
            covered=covered,
            level=level,
            label=LEVEL_LABELS[level] if level else None,
            zones=hits,
            nearby=nearby,
            admin=self.district(x, y) if covered else None,
            advice=Advice(
                baseline=self.pack.baseline.advice if covered else (),
                zones=tuple((zones[i].id, zones[i].advice) for i in inside),
                contacts=self.pack.baseline.contacts,
            ),
            hint=None if covered else self._swap_hint(x, y),
        )

    def _skip(self, inside: list[int]) -> frozenset[int]:
        """Zones left out of the nearby search: those covering the point, and exceptions."""
        return frozenset(inside) | self._exception_ids

    def district(self, lon: float, lat: float) -> Admin | None:
        """The district at the point (see ``geo.admin``)."""
        return self._districts.at(lon, lat)

    def classify(self, lon: object, lat: object, *, date: str | dt.date | None = None) -> Classification:
        """Vectorised check of many points (arrays of lon and lat); no Python loop per point.

        Invalid coordinates (NaN, out of range) come back as not covered; validate them first
        with ``geo.coords.invalid_rows`` to report them.
        """
        x = np.asarray(lon, dtype=float).reshape(-1)
        y = np.asarray(lat, dtype=float).reshape(-1)
        if x.shape != y.shape:
            raise InputFormatError(f"{x.size} longitudes but {y.size} latitudes", field="lon")
        day = parse_date(date)
        zones = self.pack.zones
        bits = self._grid.covering(x, y).astype(np.uint64)
        zone_bits = bits & np.uint64(self._zone_mask)
        covered = ((bits >> np.uint64(len(zones))) & np.uint64(1)).astype(bool) | (zone_bits != 0)
        active = sum(1 << i for i, z in enumerate(zones) if status_on(z, day) == "in_force")
        raising = zone_bits & np.uint64(active)
        for exception, parent in self._exceptions:
            has = (zone_bits >> np.uint64(exception)) & np.uint64(1) == 1
            raising[has] &= ~np.uint64(1 << parent)
        level = np.where(covered, self.pack.baseline.level, 0).astype(np.int8)
        for value in sorted({z.level for z in zones}):
            mask = sum(1 << i for i, z in enumerate(zones) if z.level == value)
            level = np.where((raising & np.uint64(mask)) != 0, np.maximum(level, value), level)
        return Classification(level.astype(np.int8), covered, zone_bits, tuple(z.id for z in zones))

    def cell_bits(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per point, the zones whose grid cell it is in lies wholly inside the zone, and those
        whose boundary may cross that cell (bit i is zone i); see ``geo.grid``."""
        full, edge = self._grid.cells(np.asarray(lon, float), np.asarray(lat, float))
        return full.astype(np.int64), edge.astype(np.int64)

    def district_codes(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Vectorised district ubigeo per point ('' where none)."""
        return self._districts.ubigeos(np.asarray(lon, float), np.asarray(lat, float))

    def _swap_hint(self, x: float, y: float) -> str | None:
        if abs(x) <= 90 and self.covered(y, x):
            return f"the point is outside the pack; did you swap lat and lon? lat={x}, lon={y} is covered"
        return None


def radius_value(value: object) -> float:
    """A search radius in km, validated (0 to ``MAX_RADIUS_KM``)."""
    try:
        radius = float("nan") if isinstance(value, bool) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        radius = float("nan")
    if not 0 <= radius <= MAX_RADIUS_KM:
        raise InputFormatError(
            f"radius_km must be a number from 0 to {MAX_RADIUS_KM:g}, got {value!r}",
            field="radius_km",
        )
    return radius


def _hit(zone: Zone, day: dt.date, excepted: bool) -> ZoneHit:
    status = status_on(zone, day)
    return ZoneHit(
        id=zone.id,
        name=zone.name,
        kind=zone.kind,
        level=zone.level,
        categories=zone.categories,
        basis=zone.basis,
        status=status,
        status_text=status_text(zone, status),
        excepted=excepted,
        raises_level=status == "in_force" and not excepted,
        summary=zone.summary,
        confidence=zone.confidence,
    )


@cache
def default_index() -> ZoneIndex:
    """The index of the packaged Peru pack, built once per process."""
    return ZoneIndex(load_default_pack())
