"""Where governments disagree, as areas: for the map's compare view.

The zones of every government in force on the day cut the country into faces; each face is
judged at one interior point by the point check itself (``ZoneIndex.check_point``: each
government's level and ``disagreement``, ``geo.engine.advisories.disagree``), so the areas follow the
same rule as every answer. Faces come from geometry simplified for display; faces smaller
than ``MIN_FACE_KM2`` (slivers of simplification) are left out. A click on the map still
asks the API, with the full geometry.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from geo.engine.index import ZoneIndex
from geo.pack import KM2_PER_DEG2

__all__ = ["MIN_FACE_KM2", "Disagreement", "disagreement_areas"]

MIN_FACE_KM2 = 1.0


@dataclass(frozen=True)
class Disagreement:
    """An area where governments disagree, with each government's level there."""

    geometry: BaseGeometry
    levels: tuple[tuple[str, int | None], ...]


def disagreement_areas(
    index: ZoneIndex, day: dt.date, tolerance_deg: float = 0.004
) -> tuple[Disagreement, ...]:
    """The areas where governments disagree on ``day``, one per combination of levels."""
    return _areas(index, day, tolerance_deg)


@functools.lru_cache(maxsize=8)
def _areas(index: ZoneIndex, day: dt.date, tolerance_deg: float) -> tuple[Disagreement, ...]:
    pack = index.pack
    shown = set()
    for code in pack.governments:
        shown |= set(range(len(pack.zones))) - index.on(day).hidden(code)
    outlines = [
        shapely.boundary(shapely.simplify(pack.zones[i].geometry, tolerance_deg, preserve_topology=True))
        for i in sorted(shown)
        if pack.zones[i].source in pack.governments
    ]
    if not outlines:
        return ()
    coverage = shapely.simplify(pack.coverage, tolerance_deg, preserve_topology=True)
    lines = shapely.union_all([*outlines, shapely.boundary(coverage)])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    found: dict[tuple[tuple[str, int | None], ...], list[BaseGeometry]] = {}
    for face in faces:
        if face.area * KM2_PER_DEG2 < MIN_FACE_KM2:
            continue
        inside = face.representative_point()
        answer = index.check_point(lon=inside.x, lat=inside.y, date=day)
        if answer.covered and answer.disagreement:
            levels = tuple((a.government, a.level) for a in answer.advisories)
            found.setdefault(levels, []).append(face)
    return tuple(Disagreement(shapely.union_all(parts), levels) for levels, parts in found.items())
