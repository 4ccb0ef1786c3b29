"""The compiled pack: what a fresh process needs to answer, in a form it reads in milliseconds.

``compiled.bin`` holds the zones', the coverage's and the districts' geometries as WKB, their
properties as JSON, and the point index's pattern grid as arrays, each at a 64-byte-aligned
offset that a JSON header describes (no pickle: nothing in the file is executed). The build
derives it from the pack's GeoJSON, the published and readable form, by reading that GeoJSON
back exactly as ``load_pack`` does, so both paths give the same geometries bit for bit. It is
checksummed in ``pack.json`` like every pack file, and records the checksums of the GeoJSON
files, the grid's version and its cell: a compiled file that does not match them is not used
(``geo.pack`` then loads the GeoJSON and logs why).
"""

from __future__ import annotations

import itertools
import json
import mmap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.spatial.grid import CELL_CHOICES, GRID_VERSION, ZoneGrid, cell_for

__all__ = ["FORMAT", "MAGIC", "SOURCES", "Compiled", "CompiledError", "compile_pack", "read_compiled"]

MAGIC = b"RZCOMPILED\n"
FORMAT = 1
#: The GeoJSON files a compiled file is derived from.
SOURCES = ("zones", "coverage", "districts")
_ALIGN = 64


class CompiledError(Exception):
    """A compiled file that cannot be used (malformed, another format, or stale)."""


@dataclass(frozen=True)
class Compiled:
    """A compiled pack, read."""

    sources: dict[str, str]
    cell: float
    x0: float
    y0: float
    zone_properties: list[dict[str, Any]]
    zone_geometries: tuple[BaseGeometry, ...]
    coverage: BaseGeometry
    district_properties: list[dict[str, Any]]
    district_geometries: tuple[BaseGeometry, ...]
    pattern: np.ndarray
    full_table: np.ndarray
    edge_table: np.ndarray

    def grid(self, geometries: tuple[BaseGeometry, ...]) -> ZoneGrid:
        """The point index's grid over ``geometries`` (the zones, then the coverage)."""
        return ZoneGrid.from_tables(
            geometries,
            cell=self.cell,
            x0=self.x0,
            y0=self.y0,
            pattern=self.pattern,
            full_table=self.full_table,
            edge_table=self.edge_table,
        )


def _features(raw: bytes) -> tuple[list[dict[str, Any]], list[BaseGeometry]]:
    features = json.loads(raw)["features"]
    return [dict(f.get("properties") or {}) for f in features], [shape(f["geometry"]) for f in features]


def compile_pack(files: Mapping[str, bytes], checksums: Mapping[str, str]) -> bytes:
    """``compiled.bin`` for the GeoJSON ``files`` (``zones.geojson``, ...) whose sha256 are
    ``checksums`` (by file key: ``zones``, ``coverage``, ``districts``)."""
    zone_props, zone_geoms = _features(files["zones.geojson"])
    _, coverage_geoms = _features(files["coverage.geojson"])
    coverage = shapely.union_all(coverage_geoms)
    district_props, district_geoms = _features(files["districts.geojson"])
    grid = ZoneGrid([*zone_geoms, coverage], cell=cell_for([*zone_geoms, coverage]))
    arrays: dict[str, np.ndarray] = {
        **_wkb("zones", zone_geoms),
        **_wkb("coverage", [coverage]),
        **_wkb("districts", district_geoms),
        # A cell's pattern id fits 16 bits while the pack has under 65,536 distinct patterns
        # (Peru: a few hundred): half the file.
        "pattern": grid.pattern.astype(np.uint16 if len(grid.full_table) < 2**16 else grid.pattern.dtype),
        "full_table": grid.full_table,
        "edge_table": grid.edge_table,
    }
    meta = {
        "format": FORMAT,
        "sources": {key: checksums[key] for key in SOURCES},
        "grid_version": GRID_VERSION,
        "cell": grid.cell,
        "x0": float(grid.x0),
        "y0": float(grid.y0),
        "zone_properties": zone_props,
        "district_properties": district_props,
    }
    return _encode(meta, arrays)


def read_compiled(raw: bytes | mmap.mmap, checksums: Mapping[str, str]) -> Compiled:
    """The compiled pack in ``raw``, if it was derived from GeoJSON files with these
    ``checksums`` by this version of the grid; ``CompiledError`` (saying why) otherwise."""
    meta, arrays = _decode(raw)
    if meta.get("format") != FORMAT or meta.get("grid_version") != GRID_VERSION:
        raise CompiledError(
            f"compiled format {meta.get('format')}/grid {meta.get('grid_version')}, this version reads "
            f"{FORMAT}/{GRID_VERSION}"
        )
    stale = [key for key in SOURCES if meta.get("sources", {}).get(key) != checksums.get(key)]
    if stale:
        raise CompiledError(f"stale: compiled from other {', '.join(stale)} GeoJSON")
    if meta.get("cell") not in CELL_CHOICES:
        raise CompiledError(f"grid cell {meta.get('cell')}, not one of {CELL_CHOICES}")
    try:
        return Compiled(
            sources=dict(meta["sources"]),
            cell=float(meta["cell"]),
            x0=float(meta["x0"]),
            y0=float(meta["y0"]),
            zone_properties=list(meta["zone_properties"]),
            zone_geometries=_geometries("zones", arrays),
            coverage=_geometries("coverage", arrays)[0],
            district_properties=list(meta["district_properties"]),
            district_geometries=_geometries("districts", arrays),
            # The file's own uint16 (or wider) ids, not a copy: a view of the bytes read.
            pattern=arrays["pattern"],
            full_table=arrays["full_table"],
            edge_table=arrays["edge_table"],
        )
    except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise CompiledError(f"malformed ({exc})") from None


def _wkb(name: str, geometries: list[BaseGeometry]) -> dict[str, np.ndarray]:
    blobs = [shapely.to_wkb(g) for g in geometries]
    offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(b) for b in blobs])
    return {f"{name}_wkb": np.frombuffer(b"".join(blobs), dtype=np.uint8), f"{name}_offsets": offsets}


def _geometries(name: str, arrays: dict[str, np.ndarray]) -> tuple[BaseGeometry, ...]:
    data, offsets = arrays[f"{name}_wkb"].tobytes(), arrays[f"{name}_offsets"].tolist()
    blobs = np.array([data[a:b] for a, b in itertools.pairwise(offsets)], dtype=object)
    return tuple(shapely.from_wkb(blobs))


def _encode(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """Header (JSON: meta, and each array's dtype, shape and offset), then the arrays."""
    layout: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, array in arrays.items():
        layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    header = json.dumps({**meta, "arrays": layout}, sort_keys=True, separators=(",", ":")).encode()
    start = -(-(len(MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
    body = bytearray(start + offset)
    body[: len(MAGIC)] = MAGIC
    body[len(MAGIC) : len(MAGIC) + 8] = len(header).to_bytes(8, "little")
    body[len(MAGIC) + 8 : len(MAGIC) + 8 + len(header)] = header
    for name, array in arrays.items():
        at = start + int(layout[name]["offset"])
        body[at : at + array.nbytes] = np.ascontiguousarray(array).tobytes()
    return bytes(body)


def _decode(raw: bytes | mmap.mmap) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    if raw[: len(MAGIC)] != MAGIC:
        raise CompiledError("not a compiled pack file")
    try:
        size = int.from_bytes(raw[len(MAGIC) : len(MAGIC) + 8], "little")
        meta = json.loads(raw[len(MAGIC) + 8 : len(MAGIC) + 8 + size])
        start = -(-(len(MAGIC) + 8 + size) // _ALIGN) * _ALIGN
        arrays = {}
        for name, entry in meta.pop("arrays").items():
            dtype = np.dtype(entry["dtype"])
            if dtype.kind not in "biuf":
                raise ValueError(f"array {name} has dtype {dtype}; only numbers are stored")
            count = int(np.prod(entry["shape"], dtype=np.int64))
            array = np.frombuffer(raw, dtype=dtype, count=count, offset=start + int(entry["offset"]))
            arrays[name] = array.reshape(entry["shape"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CompiledError(f"malformed ({exc})") from None
    return meta, arrays
