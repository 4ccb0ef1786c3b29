"""Reading request input: query parameters and JSON bodies, with errors that name the field."""

from __future__ import annotations

from typing import Any

from flask import Request
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.documents import parse_json

__all__ = ["json_body", "query_bbox", "query_float", "query_int", "query_text"]


def json_body(request: Request) -> Any:
    """The parsed JSON body; a 400 with the position of the first syntax error otherwise."""
    return parse_json(request.get_data(cache=True))


def query_text(request: Request, name: str) -> str | None:
    """A query parameter, stripped; None when absent; an error when present but empty."""
    value = request.args.get(name)
    if value is None:
        return None
    if not value.strip():
        raise InputFormatError(_("{name} is empty; give a value or leave it out", name=name), field=name)
    return value.strip()


def query_float(request: Request, name: str, default: float | None = None) -> float | None:
    """A numeric query parameter."""
    value = query_text(request, name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise InputFormatError(
            _("{name} {value} is not a number", name=name, value=repr(value)), field=name
        ) from None


def query_int(request: Request, name: str, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high]."""
    value = query_text(request, name)
    if value is None:
        return None
    if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
        raise InputFormatError(
            _(
                "{name} must be a whole number from {low} to {high}, got {value}",
                name=name,
                low=low,
                high=high,
                value=repr(value),
            ),
            field=name,
        )
    return int(value)


def query_bbox(
    request: Request, name: str = "bbox", *, heights: bool = False, antimeridian: bool = False
) -> BaseGeometry | None:
    """A ``min_lon,min_lat,max_lon,max_lat`` query parameter as a box; None when absent. With
    ``heights``, six numbers with heights are read too (OGC API), the heights left out. With
    ``antimeridian`` (OGC API), a west edge east of the east edge is a box across the
    antimeridian: the two boxes either side of it."""
    value = query_text(request, name)
    if value is None:
        return None
    parts = value.split(",")
    if heights and len(parts) == 6:  # min_lon,min_lat,min_height,max_lon,max_lat,max_height
        parts = [parts[0], parts[1], parts[3], parts[4]]
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise InputFormatError(
            _("bbox {value} must be four numbers: min_lon,min_lat,max_lon,max_lat", value=repr(value)),
            field=name,
        ) from None
    across = antimeridian and -180 <= maxx < minx <= 180
    if across and -90 <= miny <= maxy <= 90:
        return box(minx, miny, 180, maxy).union(box(-180, miny, maxx, maxy))
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InputFormatError(
            _(
                "bbox {value} must be min_lon,min_lat,max_lon,max_lat with min <= max, "
                "longitudes within -180..180 and latitudes within -90..90",
                value=repr(value),
            ),
            field=name,
        )
    return box(minx, miny, maxx, maxy)
