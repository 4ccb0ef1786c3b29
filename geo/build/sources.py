"""Readers for the research sources, each failing with the file, the row and the fix."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo.errors import SourceError

__all__ = ["SOURCE_FILES", "Row", "SourceSet", "one_of", "read_csv", "read_districts", "read_geojson"]

#: Every file the build reads, relative to the sources directory.
SOURCE_FILES = {
    "districts": "sources/mapsPERU/districts.gpkg",
    "countries": "sources/natural-earth/ne_10m_admin_0_countries_pe_neighbours.geojson",
    "boundary_lines": "sources/natural-earth/ne_10m_admin_0_boundary_lines_land_pe_region.geojson",
    "rivers": "sources/natural-earth/ne_10m_rivers_lake_centerlines_pe_region.geojson",
    "vraem_outline": "sources/geoperu-vraem/vraem_outline.geojson",
    "advisory_areas": "advisories/areas.csv",
    "advisory_districts": "advisories/area_districts.csv",
    "colombia_border": "zones/colombia_border.geojson",
    "low_presence": "zones/low_presence_districts.csv",
    "emergency_decrees": "zones/emergency_decrees.csv",
    "night_travel": "advisories/night_travel.csv",
}
DISTRICT_COLUMNS = ("COD_DISTRITO", "DISTRITO", "PROVINCIA", "DEPARTAMENTO", "COD_DEPARTAMENTO")


@dataclass(frozen=True)
class Row:
    """One CSV data row with its 1-based line number in the file (the header is line 1)."""

    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]


@dataclass(frozen=True)
class SourceSet:
    """The sources directory: paths of every input and their sha256 checksums."""

    root: Path

    def path(self, key: str) -> Path:
        path = self.root / SOURCE_FILES[key]
        if not path.is_file():
            raise SourceError(
                path,
                "file",
                "the source file is missing",
                f"pass the research data directory with --sources (expected {SOURCE_FILES[key]} under it)",
            )
        return path

    def sha256(self, key: str) -> str:
        return hashlib.sha256(self.path(key).read_bytes()).hexdigest()


def one_of(path: Path, row: Row, column: str, allowed: Iterable[str]) -> str:
    """The row's ``column``, refused with the file, the line and the allowed values when it is
    not one of ``allowed``."""
    choices = list(allowed)
    if row[column] not in choices:
        raise SourceError(
            path, f"line {row.line}", f"unknown {column} {row[column]!r}", f"use one of {', '.join(choices)}"
        )
    return row[column]


def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[Row]:
    """Read a UTF-8 CSV, checking that every required column is present and non-empty, and
    that every optional column is present (it may be empty)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in (*required, *optional) if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(
                path,
                "header (line 1)",
                f"missing column(s) {', '.join(missing)}",
                f"the file must have the columns {', '.join((*required, *optional))}",
            )
        rows = []
        for values in reader:
            row = Row(reader.line_num, {k: (v or "").strip() for k, v in values.items() if k})
            for column in required:
                if not row.values.get(column):
                    raise SourceError(path, f"line {row.line}", f"column {column!r} is empty", "fill it in")
            rows.append(row)
    if not rows:
        raise SourceError(path, "file", "no data rows", "restore the file from the research data")
    return rows


def read_geojson(path: Path) -> list[dict[str, Any]]:
    """Read a GeoJSON FeatureCollection (or single Feature) and check every geometry is valid."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SourceError(path, "file", f"not valid JSON ({exc})", "restore the file") from exc
    features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    if not features:
        raise SourceError(path, "file", "no features", "restore the file from the research data")
    for number, feature in enumerate(features, start=1):
        try:
            geometry = shapely.geometry.shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
            raise SourceError(
                path, f"feature {number}", f"unreadable geometry ({exc})", "restore the feature"
            ) from exc
        if not geometry.is_valid:
            raise SourceError(
                path,
                f"feature {number}",
                f"invalid geometry ({shapely.is_valid_reason(geometry)})",
                "repair it (e.g. shapely.make_valid) and record the repair in PROVENANCE.md",
            )
    return list(features)


def read_districts(path: Path) -> gpd.GeoDataFrame:
    """Read the district layer: ubigeo-unique, valid, lon/lat."""
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable files
        raise SourceError(path, "file", f"cannot be read ({exc})", "restore the file") from exc
    missing = [c for c in DISTRICT_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceError(
            path,
            "layer",
            f"missing column(s) {', '.join(missing)}",
            f"the layer must have the columns {', '.join(DISTRICT_COLUMNS)}",
        )
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise SourceError(path, "layer", f"CRS is {frame.crs}", "reproject it to EPSG:4326")
    duplicated = frame["COD_DISTRITO"][frame["COD_DISTRITO"].duplicated()]
    if len(duplicated):
        raise SourceError(
            path,
            f"COD_DISTRITO {duplicated.iloc[0]}",
            "the ubigeo appears more than once",
            "keep one row per district",
        )
    invalid = ~shapely.is_valid(frame.geometry.values)
    if invalid.any():
        position = int(invalid.argmax())
        row = frame.iloc[position]
        raise SourceError(
            path,
            f"feature {position + 1} (ubigeo {row['COD_DISTRITO']}, {row['DISTRITO']})",
            f"invalid geometry ({shapely.is_valid_reason(row.geometry)})",
            "repair it (e.g. shapely.make_valid) and record the repair in PROVENANCE.md",
        )
    return frame.sort_values("COD_DISTRITO").reset_index(drop=True)
