"""A trip drawn as SVG, server-side and with no tiles: the zones in force on the trip's dates
for one government (with Peru's decrees and the research zones), Peru's outline, the legs and
the numbered stops, coloured by level. The trip report embeds it (``service.report``).

Coordinates are projected equirectangularly with the scale of the map's middle latitude, which
keeps shapes true to within a few per cent over a trip's extent in Peru. Every text in the
SVG is escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import shapely
from shapely.geometry.base import BaseGeometry

from geo.engine.index import ZoneIndex
from geo.pack import Zone
from geo.trips.trip_result import ItineraryResult
from maps.colours import EXCEPTION_COLOUR, LEVEL_COLOURS, NO_LEVEL_COLOUR

__all__ = ["SHOWN_STATUSES", "trip_svg", "trip_zones"]

#: Zone statuses drawn: in force, or past its known end with a renewal not yet confirmed.
SHOWN_STATUSES = ("in_force", "unconfirmed")
#: Degrees added around the trip's extent, and the smallest extent drawn.
MARGIN_DEG = 0.8
MIN_SPAN_DEG = 3.0


@dataclass(frozen=True)
class _Frame:
    west: float
    south: float
    east: float
    north: float
    width: float
    height: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) / (self.east - self.west) * self.width
        y = (self.north - lat) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)


def trip_zones(index: ZoneIndex, days: Iterable[dt.date], advisory: str | None) -> list[Zone]:
    """The zones a trip on ``days`` meets for ``advisory``: that government's zones of its text
    in force, and Peru's decrees and the research zones, each in force (or unconfirmed) on at
    least one of the days; ordered by level, exceptions last, so the most serious is on top."""
    pack = index.pack
    shown: dict[int, Zone] = {}
    for day in sorted(set(days)):
        today = index.on(day)
        hidden = today.hidden(advisory)
        for position, zone in enumerate(pack.zones):
            mine = zone.source == advisory or zone.source not in pack.governments
            if mine and position not in hidden and today.status[position] in SHOWN_STATUSES:
                shown[position] = zone
    return sorted(shown.values(), key=lambda z: (z.kind == "exception", z.level, z.id))


def trip_svg(
    index: ZoneIndex, result: ItineraryResult, advisory: str | None, *, width: int = 720, title: str = ""
) -> str:
    """The SVG of the trip ``result`` (stops and legs as checked), for ``advisory``."""
    points = [(s.check.lon, s.check.lat) for s in result.stops]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east = min(lons) - MARGIN_DEG, max(lons) + MARGIN_DEG
    south, north = min(lats) - MARGIN_DEG, max(lats) + MARGIN_DEG
    west, east = _widen(west, east, MIN_SPAN_DEG)
    south, north = _widen(south, north, MIN_SPAN_DEG)
    scale = math.cos(math.radians((south + north) / 2))
    height = round(width * (north - south) / ((east - west) * scale))
    if height > width * 1.4:  # a trip running north-south: widen the frame instead
        extra = ((north - south) / 1.4 / scale - (east - west)) / 2
        west, east = west - extra, east + extra
        height = round(width * 1.4)
    frame = _Frame(west, south, east, north, width, height)
    box = shapely.box(west, south, east, north)
    tolerance = (east - west) / width  # one pixel
    days = [dt.date.fromisoformat(s.date) for s in result.stops]
    days += [dt.date.fromisoformat(leg.date) for leg in result.legs]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#e4e4e4"/>',  # outside Peru
        _path(index.pack.coverage, box, tolerance, frame, 'fill="#fbfbf8" stroke="#777" stroke-width="1"'),
    ]
    for zone in trip_zones(index, days, advisory):
        if zone.kind == "exception":
            style = f'fill="#ffffff" fill-opacity="0.85" stroke="{EXCEPTION_COLOUR}" stroke-width="1.2"'
        else:
            colour = LEVEL_COLOURS.get(zone.level, NO_LEVEL_COLOUR)
            style = f'fill="{colour}" fill-opacity="0.55" stroke="{colour}" stroke-width="0.8"'
        parts.append(_path(zone.geometry, box, tolerance, frame, style, zone.name))
    for leg in result.legs:
        a, b = frame.xy(*points[leg.index]), frame.xy(*points[leg.index + 1])
        dash = ' stroke-dasharray="6 4"' if leg.mode == "flight" else ""
        colour = _level_colour(leg.route.max_level if leg.route else None)
        line = f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"{dash}'
        parts.append(f'{line} stroke="#222" stroke-width="4"/>{line} stroke="{colour}" stroke-width="2"/>')
    for stop in result.stops:
        x, y = frame.xy(stop.check.lon, stop.check.lat)
        parts.append(
            f'<g><circle cx="{x}" cy="{y}" r="9" fill="{_level_colour(stop.check.level)}" stroke="#111" '
            f'stroke-width="1.5"/><text x="{x}" y="{y + 4}" font-size="11" font-family="sans-serif" '
            f'text-anchor="middle" fill="#111">{stop.index + 1}</text>'
            f"<title>{escape(stop.name)}</title></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _widen(low: float, high: float, span: float) -> tuple[float, float]:
    if high - low >= span:
        return low, high
    middle = (low + high) / 2
    return middle - span / 2, middle + span / 2


def _level_colour(level: int | None) -> str:
    return LEVEL_COLOURS.get(level or 0, NO_LEVEL_COLOUR)


def _path(
    geometry: BaseGeometry, box: BaseGeometry, tolerance: float, frame: _Frame, style: str, title: str = ""
) -> str:
    """The part of ``geometry`` inside ``box`` as one SVG path (even-odd fill keeps holes)."""
    clipped = shapely.simplify(shapely.clip_by_rect(geometry, *box.bounds), tolerance)
    if clipped.is_empty:
        return ""
    rings = []
    for polygon in getattr(clipped, "geoms", [clipped]):
        if polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = [frame.xy(x, y) for x, y in ring.coords]
            rings.append("M" + "L".join(f"{x},{y}" for x, y in coords) + "Z")
    if not rings:
        return ""
    named = f"<title>{escape(title)}</title>" if title else ""
    return f'<path fill-rule="evenodd" d="{"".join(rings)}" {style}>{named}</path>'
