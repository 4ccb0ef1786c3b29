"""The independent reader of route files the corpus tests compare with: GDAL (through pyogrio)
gives each layer's geometries as WKB, read here into lines and points.

GDAL's GPX, KML/LIBKML and GeoJSON drivers are other software: where riskzones and GDAL agree
on every vertex of every file, neither reads a file its own way. The WKB is read here rather
than with shapely, which refuses GDAL's one-vertex lines.
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
from pyproj import Geod

__all__ = ["GdalReading", "gdal_reading", "geodesic_km"]

_GEOD = Geod(ellps="WGS84")


@dataclass
class GdalReading:
    lines: list[np.ndarray] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)


def geodesic_km(lines: list[np.ndarray]) -> float:
    """The lines' length on the WGS 84 ellipsoid."""
    return sum(_GEOD.line_length(line[:, 0], line[:, 1]) for line in lines if len(line) > 1) / 1000


def gdal_reading(path: Path) -> GdalReading:
    """Every line and point GDAL reads in ``path``, layer after layer (GPX's per-point layers,
    which repeat the tracks' and routes' vertices, left out)."""
    found = GdalReading()
    with warnings.catch_warnings():  # GDAL's remarks on attributes it cannot type
        warnings.simplefilter("ignore", RuntimeWarning)
        layers = pyogrio.list_layers(path)
    for layer, _kind in layers:
        if layer in ("route_points", "track_points"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            _meta, _fids, geometries, _fields = pyogrio.raw.read(path, layer=layer, force_2d=True)
        for wkb in geometries:
            if wkb is not None and len(wkb):
                _collect(_parse(bytes(wkb), 0)[0], found)
    return found


def _parse(wkb: bytes, at: int) -> tuple[tuple[str, object], int]:
    order = "<" if wkb[at] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", wkb, at + 1)
    at += 5
    dims = 2 + bool(kind & 0x80000000) + bool(kind & 0x40000000)
    if kind & 0x20000000:  # EWKB with an SRID
        at += 4
    kind &= 0x0FFFFFFF
    if kind >= 1000:  # ISO WKB: 1000 Z, 2000 M, 3000 ZM
        dims = 2 + (1 if kind // 1000 in (1, 2) else 2)
        kind %= 1000
    if kind == 1:
        values = struct.unpack_from(order + "d" * dims, wkb, at)
        return ("point", values[:2]), at + 8 * dims
    if kind == 2:
        (count,) = struct.unpack_from(order + "I", wkb, at)
        at += 4
        array = np.frombuffer(wkb, dtype=order + "f8", count=count * dims, offset=at).reshape(count, dims)
        return ("line", array[:, :2].copy()), at + 8 * count * dims
    if kind == 3:
        (rings,) = struct.unpack_from(order + "I", wkb, at)
        at += 4
        for _ in range(rings):
            (count,) = struct.unpack_from(order + "I", wkb, at)
            at += 4 + 8 * count * dims
        return ("area", None), at
    if kind in (4, 5, 6, 7):
        (count,) = struct.unpack_from(order + "I", wkb, at)
        at += 4
        members = []
        for _ in range(count):
            member, at = _parse(wkb, at)
            members.append(member)
        return ("multi", members), at
    raise ValueError(f"WKB geometry type {kind} is not read here")


def _collect(item: tuple[str, object], found: GdalReading) -> None:
    kind, payload = item
    if kind == "line":
        found.lines.append(payload)  # type: ignore[arg-type]
    elif kind == "point":
        found.points.append(payload)  # type: ignore[arg-type]
    elif kind == "multi":
        for member in payload:  # type: ignore[attr-defined]
            _collect(member, found)
