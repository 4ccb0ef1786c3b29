"""The lookup engine: one immutable index over a loaded pack, queried many times.

Coordinates are longitude (x) and latitude (y) in WGS84 degrees. A point on a zone's
boundary is inside the zone (covers, not contains). Distances are geodesic kilometres on the
WGS84 ellipsoid.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from geo.engine import coords
from geo.engine.admin import Admin, DistrictIndex
from geo.engine.advisories import disagree
from geo.engine.day import PackDay
from geo.engine.results import Advice, NearbyZone, NotDrawn, PointResult, ZoneHit
from geo.engine.rules import Decision, LevelRule
from geo.errors import InputFormatError
from geo.i18n import _
from geo.pack import Zone, ZonePack, level_label, load_default_pack, load_pack
from geo.pack.status import status_text
from geo.spatial.grid import ZoneGrid, cell_for
from geo.spatial.nearby import BoundaryIndex, Edges, NearestPoint

__all__ = [
    "DEFAULT_RADIUS_KM",
    "MAX_RADIUS_KM",
    "Classification",
    "ZoneIndex",
    "default_index",
    "keep_for_process",
    "radius_value",
    "release_freed_memory",
]

T = TypeVar("T")

DEFAULT_RADIUS_KM = 25.0
#: Days whose PackDay is kept (a server asks about today, and itineraries about a few more).
_DAYS_KEPT = 64
MAX_RADIUS_KM = 500.0


@dataclass(frozen=True)
class Classification:
    """Vectorised answer: per point, the effective level (0 = not covered), coverage, and which
    of ``zone_sets`` covers it (``set_ids[k]`` indexes ``zone_sets``, tuples of zone ids)."""

    level: np.ndarray
    covered: np.ndarray
    set_ids: np.ndarray
    zone_sets: tuple[tuple[str, ...], ...]

    def zone_lists(self, separator: str = ";") -> np.ndarray:
        """Per point, the covering zone ids joined by ``separator`` ('' for none)."""
        names = np.array([separator.join(ids) for ids in self.zone_sets] or [""], dtype=object)
        return names[self.set_ids]


class ZoneIndex:
    """Spatial index over a zone pack; build once (``default_index()``), query many times.

    Examples
    --------
    >>> index = default_index()
    >>> result = index.check_point(lon=-73.8, lat=-12.5, date="2026-11-27")
    >>> result.level, [z.id for z in result.zones], result.admin.district
    (4, ['us-vraem', 'us-some-areas'], 'Pichari')
    >>> index.classify([-73.8, -77.03, -69.94], [-12.5, -12.04, -4.21]).level.tolist()
    [4, 2, 0]
    """

    __slots__ = ("_boundaries", "_days", "_districts", "_exception_ids", "grid", "pack", "rule")

    def __init__(self, pack: ZonePack, *, cell_deg: float | None = None, edge_run: int = 1) -> None:
        self.pack = pack
        zones = pack.zones
        #: Layers 0..n-1 are the zones, layer n the pack's coverage: read from the compiled
        #: pack when it has one for this cell, built otherwise.
        layers = (*(z.geometry for z in zones), pack.coverage)
        compiled = pack.compiled
        if compiled is not None and cell_deg in (None, compiled.cell):
            self.grid = compiled.grid(layers)
        else:
            self.grid = ZoneGrid(layers, cell=cell_deg or cell_for(layers))
        self.rule = LevelRule(pack)
        #: ``edge_run`` edges per leaf of the edge tree (``geo.spatial.nearby.RUN`` for a
        #: neighbour's pack: less memory, slower route crossings).
        self._boundaries = BoundaryIndex([z.geometry for z in zones], edge_run)
        self._exception_ids = frozenset(i for i, z in enumerate(zones) if z.kind != "zone")
        self._districts = DistrictIndex(pack.districts)
        # One PackDay per day asked about, built once and shared by every check of that day.
        self._days: dict[dt.date, PackDay] = {}

    @classmethod
    def from_path(cls, path: str | Path) -> ZoneIndex:
        """Index the pack in directory ``path``."""
        return cls(load_pack(path))

    @property
    def zones(self) -> tuple[Zone, ...]:
        return self.pack.zones

    @property
    def edges(self) -> Edges:
        """Every zone's ring edges, indexed (shared with the route checker)."""
        return self._boundaries.edges

    def on(self, day: dt.date) -> PackDay:
        """The pack on ``day`` (a ``geo.engine.day.PackDay``): built once per day, then shared."""
        try:
            return self._days[day]
        except KeyError:
            if len(self._days) >= _DAYS_KEPT:
                self._days.clear()
            today = self._days[day] = PackDay(self.rule, day)
            return today

    def covered(self, lon: float, lat: float) -> bool:
        """Whether the pack covers the point at all."""
        return bool(self.grid.covering_one(float(lon), float(lat)))

    def covers(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """``covered`` for arrays of points, at once: a boolean per point."""
        cover = self.grid.covering(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        held = np.array([bool(found) for found in cover.sets], dtype=bool)
        return held[cover.ids] if len(held) else np.zeros(len(cover.ids), dtype=bool)

    def decide_at(
        self, lon: float, lat: float, today: PackDay, advisory: str | None = None
    ) -> tuple[list[int], Decision]:
        """The zones (positions) covering a valid point, and the level rule's decision there."""
        layers = self.grid.covering_one(lon, lat)
        count = len(self.pack.zones)
        inside = [i for i in layers if i < count]
        return inside, today.decide(inside, covered=count in layers, advisory=advisory)

    def check_point(
        self,
        *,
        lon: object,
        lat: object,
        date: str | dt.date | None = None,
        radius_km: object = DEFAULT_RADIUS_KM,
        advisory: object = None,
    ) -> PointResult:
        """Everything about one point: coverage, zones, level, nearby zones, district, advice.

        ``lon`` is x and ``lat`` is y, in decimal degrees; ``date`` (``YYYY-MM-DD``; default
        today in the pack's time zone) decides each zone's status; ``radius_km`` bounds the
        nearby search; ``advisory`` (a government code of the pack, default ``us``) chooses
        whose advice sets the headline level.
        """
        x, y = coords.point(lon, lat, self.covered)
        radius = radius_value(radius_km)
        today = self.on(self.pack.date(date))
        government = self.rule.advisory(advisory)
        zones = self.pack.zones
        inside, decision = self.decide_at(x, y, today, government)
        listed = decision.present
        hits = tuple(_hit(zones[i], i, decision, today.day) for i in listed)
        answers = today.answers(inside, covered=decision.covered)
        covered = decision.covered
        level = decision.level
        nearby = self.nearby(x, y, radius, today, government, inside)
        return PointResult(
            lon=x,
            lat=y,
            date=today.day.isoformat(),
            covered=covered,
            level=level,
            label=level_label(level),
            zones=hits,
            nearby=nearby,
            admin=self.district(x, y) if covered else None,
            advice=Advice(
                baseline=self.pack.baseline.advice if covered else (),
                zones=tuple((zones[i].id, zones[i].advice) for i in listed),
                contacts=self.pack.baseline.contacts,
            ),
            hint=None if covered else self._swap_hint(x, y),
            advisory=government,
            advisories=answers,
            disagreement=disagree(a.level for a in answers),
            currency=today.currency,
            country=self.pack.country if covered else None,
            not_drawn=self.undrawn(today.day) if covered else (),
        )

    def nearby(
        self,
        x: float,
        y: float,
        radius: float,
        today: PackDay,
        government: str | None,
        inside: list[int] | tuple[int, ...] = (),
    ) -> tuple[NearbyZone, ...]:
        """The zones within ``radius`` km of the point that do not cover it (``inside``) and that
        ``government``'s answer shows on the day of ``today``, nearest first."""
        zones = self.pack.zones
        return tuple(
            NearbyZone(
                id=zones[n.owner].id,
                name=zones[n.owner].name,
                level=zones[n.owner].level,
                status=today.status[n.owner],
                distance_km=round(n.distance_km, 3),
                bearing_deg=round(n.bearing_deg, 1),
                nearest=(round(n.lon, 6), round(n.lat, 6)),
            )
            for n in self.nearest_boundaries(x, y, radius, skip=today.hidden(government) | frozenset(inside))
        )

    def undrawn(self, day: dt.date) -> tuple[NotDrawn, ...]:
        """Every government's areas of the pack that are in force on ``day`` and not drawn
        (the day's answer, made once: ``PackDay.undrawn``)."""
        today = self.on(day)
        if today.undrawn is None:
            today.undrawn = self._undrawn(day)
        return today.undrawn

    def _undrawn(self, day: dt.date) -> tuple[NotDrawn, ...]:
        return tuple(
            NotDrawn(
                id=str(area["id"]),
                government=code,
                name=str(area["name"]),
                level=int(area["level"]),
                native_level=str(area.get("native_level") or ""),
                why=_(str(area.get("why") or "")),
                url=str(area.get("url") or ""),
            )
            for code, government in self.pack.governments.items()
            for area in government.undrawn_on(day)
        )

    def nearest_boundaries(
        self,
        lon: float,
        lat: float,
        radius_km: float,
        skip: frozenset[int] = frozenset(),
        only: int | None = None,
    ) -> list[NearestPoint]:
        """The one distance rule: the nearest boundary point of each zone (not exception) within
        ``radius_km`` geodesic km of the point, nearest first; zones in ``skip``, or all but
        ``only``, left out."""
        return self._boundaries.within(lon, lat, radius_km, skip=skip | self._exception_ids, only=only)

    def district(self, lon: float, lat: float) -> Admin | None:
        """The district at the point (see ``geo.engine.admin``)."""
        return self._districts.at(lon, lat)

    def classify(
        self, lon: object, lat: object, *, date: str | dt.date | None = None, advisory: object = None
    ) -> Classification:
        """Vectorised check of many points (arrays of lon and lat); no Python loop per point.

        Invalid coordinates (NaN, out of range) come back as not covered; validate them first
        with ``geo.engine.coords.invalid_rows`` to report them.
        """
        x = np.asarray(lon, dtype=float).reshape(-1)
        y = np.asarray(lat, dtype=float).reshape(-1)
        if x.shape != y.shape:
            raise InputFormatError(
                _("{lons} longitudes but {lats} latitudes", lons=x.size, lats=y.size), field="lon"
            )
        today = self.on(self.pack.date(date))
        government = self.rule.advisory(advisory)
        cover = self.grid.covering(x, y)
        # The rule is decided once per distinct set of zones, then spread to the points.
        levels = np.zeros(len(cover.sets), dtype=np.int8)
        covered = np.zeros(len(cover.sets), dtype=bool)
        names = []
        for k, layers in enumerate(cover.sets):
            levels[k], covered[k], ids = today.remember(
                ("classify", layers, government), partial(self._summary, layers, today, government)
            )
            names.append(ids)
        return Classification(levels[cover.ids], covered[cover.ids], cover.ids, tuple(names))

    def _summary(
        self, layers: tuple[int, ...], today: PackDay, government: str | None
    ) -> tuple[int, bool, tuple[str, ...]]:
        """Level (0: none), coverage and zone ids shown, for points in ``layers`` (grid layers:
        the zones, and the coverage as the last)."""
        count = len(self.pack.zones)
        inside = [i for i in layers if i < count]
        decision = today.decide(inside, covered=count in layers, advisory=government)
        return decision.level or 0, decision.covered, tuple(self.pack.zones[i].id for i in decision.present)

    def district_codes(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Vectorised district ubigeo per point ('' where none)."""
        return self._districts.ubigeos(np.asarray(lon, float), np.asarray(lat, float))

    def _swap_hint(self, x: float, y: float) -> str | None:
        if abs(x) <= 90 and self.covered(y, x):
            return _(
                "the point is outside the pack; did you swap lat and lon? lat={lat}, lon={lon} is covered",
                lat=x,
                lon=y,
            )
        return None


def radius_value(value: object) -> float:
    """A search radius in km, validated (0 to ``MAX_RADIUS_KM``)."""
    try:
        radius = float("nan") if isinstance(value, bool) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        radius = float("nan")
    if not 0 <= radius <= MAX_RADIUS_KM:
        raise InputFormatError(
            _(
                "radius_km must be a number from 0 to {high}, got {value}",
                high=f"{MAX_RADIUS_KM:g}",
                value=repr(value),
            ),
            field="radius_km",
        )
    return radius


def _hit(zone: Zone, position: int, decision: Decision, day: dt.date) -> ZoneHit:
    status = decision.status[position]
    return ZoneHit(
        id=zone.id,
        name=zone.name,
        kind=zone.kind,
        level=zone.level,
        categories=zone.categories,
        basis=zone.basis,
        status=status,
        status_text=status_text(zone, status, day),
        excepted=position in decision.excepted,
        raises_level=position in decision.raising,
        summary=zone.summary,
        confidence=zone.confidence,
        source=zone.source,
    )


@cache
def default_index() -> ZoneIndex:
    """The index of the packaged Peru pack, built once per process."""
    return ZoneIndex(load_default_pack())


def keep_for_process() -> None:
    """Take everything built so far (imported modules, the pack and its indexes, about 2x10^5
    objects) out of the garbage collector's full collections: it lives as long as the process,
    and walking it on each full collection cost a 100,000-vertex route a quarter of its time.

    Called once by a process that keeps its index: a served worker after start-up, a command
    after loading the pack. Not by ``create_app`` itself: test suites build many apps, and a
    frozen app would never be collected.
    """
    gc.freeze()


def release_freed_memory() -> None:
    """Hand the memory the build of the app used and freed (the map page's rendering, the
    packs' files read for their checksums) back to the system (glibc's ``malloc_trim``, where
    there is one): workers forked from the served master then start without those pages."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back this way
        ctypes.CDLL("libc.so.6").malloc_trim(0)
