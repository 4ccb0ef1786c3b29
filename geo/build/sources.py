"""Readers for the zone definitions (``geo/definitions``), each failing with the file, the row
and the fix."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo.errors import SourceError

__all__ = [
    "DEFAULT_DEFINITIONS",
    "SOURCE_FILES",
    "Row",
    "SourceSet",
    "one_of",
    "read_csv",
    "read_date",
    "read_districts",
    "read_geojson",
]

#: The definitions of this checkout: what ``make zones`` builds from.
DEFAULT_DEFINITIONS = Path(__file__).resolve().parents[1] / "definitions"

#: Every file the build reads, relative to the definitions directory (a key ending in ``/`` is
#: a folder of files of one kind: one per government, one per decree chain).
SOURCE_FILES = {
    "districts": "boundaries/mapsPERU/districts.gpkg",
    "boundary_lines": "boundaries/natural-earth/ne_10m_admin_0_boundary_lines_land_pe_region.geojson",
    "rivers": "boundaries/natural-earth/ne_10m_rivers_lake_centerlines_pe_region.geojson",
    "countries": "boundaries/natural-earth/ne_10m_admin_0_countries_pe_neighbours.geojson",
    "lakes": "boundaries/natural-earth/ne_10m_lakes_pe_region.geojson",
    "advisory_districts": "advisories/districts.csv",
    "advisory_verified": "advisories/verified.csv",
    "night_travel": "advisories/night_travel.csv",
    "colombia_border": "checks/colombia_border_candidate.geojson",
    "low_presence": "zones/low_presence.csv",
    "low_presence_districts": "zones/low_presence_districts.csv",
    "airports": "places/airports.csv",
    "neighbour_areas": "neighbours/areas.csv",
    "neighbour_countries": "neighbours/countries.csv",
    "neighbour_units": "boundaries/region/admin1_units.geojson",
}
#: The neighbours' first- and second-level units: one file per country and level, read when a
#: rule names a unit of that country.
UNIT_FILES = "boundaries/region/admin*/*.geojson"
#: Folders of the definitions with one CSV per government or per decree chain.
SOURCE_FOLDERS = {"advisories": "advisories", "decrees": "decrees"}
DISTRICT_COLUMNS = ("COD_DISTRITO", "DISTRITO", "PROVINCIA", "DEPARTAMENTO", "COD_DEPARTAMENTO")


@dataclass(frozen=True)
class Row:
    """One CSV data row with its 1-based line number in the file (the header is line 1)."""

    line: int
    values: dict[str, str]
    #: The file the row was read from.
    path: Path = Path()

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
                "the definition file is missing",
                f"pass the definitions directory with --sources (expected {SOURCE_FILES[key]} under it)",
            )
        return path

    def sha256(self, key: str) -> str:
        return hashlib.sha256(self.path(key).read_bytes()).hexdigest()

    def files(self, folder: str, names: Iterable[str]) -> list[Path]:
        """The CSV of each of ``names`` in ``folder`` (one per government or decree chain), in
        that order; a missing one, or a CSV there that names nothing known, is refused."""
        directory = self.root / SOURCE_FOLDERS[folder]
        wanted = list(names)
        found = sorted(p.stem for p in directory.glob("*.csv")) if directory.is_dir() else []
        for name in wanted:
            if name not in found:
                raise SourceError(
                    directory / f"{name}.csv",
                    "file",
                    "the definition file is missing",
                    f"restore it (every one of {', '.join(wanted)} has its own file in {folder}/)",
                )
        extra = [n for n in found if n not in wanted and f"{folder}/{n}.csv" not in SOURCE_FILES.values()]
        if extra:
            raise SourceError(
                directory / f"{extra[0]}.csv",
                "file",
                f"{extra[0]!r} is not a known {'government' if folder == 'advisories' else 'decree chain'}",
                "rename the file to one of "
                + ", ".join(wanted)
                + (" or add the chain to CHAINS in geo/build/emergencies.py" if folder == "decrees" else ""),
            )
        return [directory / f"{name}.csv" for name in wanted]

    def inputs(self) -> list[Path]:
        """Every file the build reads, in a stable order."""
        single = [self.root / name for name in SOURCE_FILES.values()]
        folders = [p for f in SOURCE_FOLDERS.values() for p in sorted((self.root / f).glob("*.csv"))]
        return sorted({*single, *folders, *self.root.glob(UNIT_FILES)})


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
            row = Row(reader.line_num, {k: (v or "").strip() for k, v in values.items() if k}, path)
            for column in required:
                if not row.values.get(column):
                    raise SourceError(path, f"line {row.line}", f"column {column!r} is empty", "fill it in")
            rows.append(row)
    if not rows:
        raise SourceError(path, "file", "no data rows", "restore it from git (git checkout -- the file)")
    return rows


def read_date(row: Row, column: str, *, optional: bool = False) -> str | None:
    """The row's ``column`` as an ISO date, refused with the file, the line and the fix when it
    is not one (empty is allowed when ``optional``)."""
    value = row.values.get(column, "")
    if not value and optional:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise SourceError(
            row.path, f"line {row.line}", f"{column} {value!r} is not a date", "write it as YYYY-MM-DD"
        ) from None


def read_geojson(path: Path) -> list[dict[str, Any]]:
    """Read a GeoJSON FeatureCollection (or single Feature) and check every geometry is valid."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SourceError(path, "file", f"not valid JSON ({exc})", "restore the file") from exc
    features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    if not features:
        raise SourceError(path, "file", "no features", "restore it from git (git checkout -- the file)")
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
