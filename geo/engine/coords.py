"""Validation of coordinates: messages name the field, the value and the fix."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from geo.errors import CoordinateError
from geo.i18n import _

__all__ = ["LIMITS", "coordinate", "invalid_rows", "point"]

LIMITS = {"lat": 90.0, "lon": 180.0}


def coordinate(name: str, value: object) -> float:
    """``value`` as a finite float, or a ``CoordinateError`` naming ``name``.

    Examples
    --------
    >>> coordinate("lat", "-12.5")
    -12.5
    >>> coordinate("lat", "south")
    Traceback (most recent call last):
    ...
    geo.errors.CoordinateError: lat 'south' is not a number; give decimal degrees, e.g. lat=-12.5
    """
    number = None
    if value is not None and not isinstance(value, bool):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = None
    if number is None:
        if value is None:
            message = _("{name} is missing; give decimal degrees, e.g. {name}=-12.5", name=name)
        else:
            message = _(
                "{name} {value} is not a number; give decimal degrees, e.g. {name}=-12.5",
                name=name,
                value=repr(value),
            )
        raise CoordinateError(message, field=name)
    if not math.isfinite(number):
        raise CoordinateError(
            _("{name} must be a finite number of decimal degrees, got {value}", name=name, value=repr(value)),
            field=name,
        )
    return number


def point(lon: object, lat: object, covered: Callable[[float, float], bool]) -> tuple[float, float]:
    """Validated (lon, lat); out-of-range values get a hint when swapping them lands in the pack."""
    x, y = coordinate("lon", lon), coordinate("lat", lat)
    for name, value in (("lat", y), ("lon", x)):
        limit = LIMITS[name]
        if not -limit <= value <= limit:
            message = _(
                "{name} must be between {low} and {high}, got {value}",
                name=name,
                low=f"{-limit:g}",
                high=f"{limit:g}",
                value=f"{value:g}",
            )
            if abs(x) <= 90 and abs(y) <= 180 and covered(y, x):
                message += _(
                    "; did you swap lat and lon? lat={lat}, lon={lon} is covered", lat=f"{x:g}", lon=f"{y:g}"
                )
            raise CoordinateError(message, field=name)
    return x, y


def invalid_rows(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Boolean mask of rows whose lon or lat is NaN, infinite or out of range."""
    with np.errstate(invalid="ignore"):
        return ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
