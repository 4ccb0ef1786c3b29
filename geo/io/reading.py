"""What a route reader found in a file, before it is made a route.

Every reader (GeoJSON, GPX, KML, KMZ, CSV, polyline) fills a ``Reading``; ``finish`` then
applies the rules that are the same in every format: empty lines are skipped and counted, a
file with lines ignores its waypoints, a file with waypoints only is the route through them in
order, and areas (polygons) are never a route.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _

__all__ = ["NO_ROUTE", "Reading", "finish_reading"]

#: The refusal code of a file that holds neither lines nor waypoints.
NO_ROUTE = "no_route"


@dataclass
class Reading:
    """Lines (each an (n, 2) lon, lat array, possibly empty), waypoints in document order,
    how many areas were passed over, and the route's name."""

    lines: list[np.ndarray] = field(default_factory=list)
    waypoints: list[tuple[float, float]] = field(default_factory=list)
    areas: int = 0
    name: str | None = None
    #: Documents a KML links to (NetworkLink hrefs): a KMZ reads those inside its archive.
    links: list[str] = field(default_factory=list)

    def add(self, other: Reading) -> None:
        """Take in what a linked document holds, after what this one holds."""
        self.lines.extend(other.lines)
        self.waypoints.extend(other.waypoints)
        self.areas += other.areas
        self.name = self.name or other.name


@dataclass(frozen=True)
class Finished:
    """The parts of the route, and what the reading left out."""

    parts: tuple[np.ndarray, ...]
    empty_parts: int
    waypoints_ignored: int
    areas_ignored: int
    from_waypoints: bool


def finish_reading(reading: Reading, label: str) -> Finished:
    """The route a reading makes, by the rules every format shares; ``label`` names the format
    in the refusal (e.g. ``GPX``)."""
    parts = tuple(line for line in reading.lines if len(line))
    empty = len(reading.lines) - len(parts)
    if parts:
        return Finished(parts, empty, len(reading.waypoints), reading.areas, False)
    if reading.waypoints:
        through = np.array(reading.waypoints, dtype=float).reshape(-1, 2)
        return Finished((through,), empty, 0, reading.areas, True)
    found = []
    if empty:
        found.append(_("{count} empty line(s)", count=empty))
    if reading.areas:
        found.append(_("{count} area(s), which are not routes", count=reading.areas))
    held = " (" + _("it holds {what}", what=", ".join(found)) + ")" if found else ""
    raise InputFormatError(
        _(
            "{format}: the file has no route: no line with positions and no waypoints{found}",
            format=label,
            found=held,
        ),
        field="route",
        code=NO_ROUTE,
    )
