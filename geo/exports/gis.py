"""The pack's zones as files for GIS tools and Google Earth: GeoPackage, FlatGeobuf,
GeoParquet or KML, chosen by the file's extension.

Each zone is one feature with typed fields: text, integers, dates, and its status on the
asked date. GDAL writes GeoPackage, FlatGeobuf and KML (through pyogrio: LIBKML, so the fields
travel as typed ``ExtendedData``); GeoParquet is written by geopandas with pyarrow (GeoParquet
1.x metadata, the CRS included). The file is written beside the target and renamed into
place (``geo.io.files.staged``), so a failed export leaves no partial file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from geo.engine.day import PackDay
from geo.engine.rules import LevelRule
from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.files import staged
from geo.pack import Zone, ZonePack
from geo.pack.status import status_text

__all__ = ["EXPORT_FORMATS", "FIELDS", "ExportSummary", "export_format", "export_zones"]

#: File extension -> (format name, GDAL driver; None: written by geopandas with pyarrow).
EXPORT_FORMATS: dict[str, tuple[str, str | None]] = {
    ".gpkg": ("GeoPackage", "GPKG"),
    ".fgb": ("FlatGeobuf", "FlatGeobuf"),
    ".parquet": ("GeoParquet", None),
    ".geoparquet": ("GeoParquet", None),
    ".kml": ("KML", "LIBKML"),
}

#: Each field and its type: ``str``, ``int``, ``date`` (None where the zone has no value).
FIELDS: dict[str, str] = {
    "id": "str",
    "name": "str",
    "kind": "str",
    "parent": "str",
    "level": "int",
    "categories": "str",
    "basis": "str",
    "source": "str",
    "status": "str",
    "status_text": "str",
    "valid_from": "date",
    "valid_until": "date",
    "renewed_since": "int",
    "version": "str",
    "native_level": "str",
    "summary": "str",
    "advice": "str",
    "confidence": "str",
    "flags": "str",
    "source_urls": "str",
}


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    format: str
    zones: int
    date: str


def export_format(path: Path) -> tuple[str, str | None]:
    """The format and driver of ``path``'s extension, or a refusal naming the known ones."""
    found = EXPORT_FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputFormatError(
            _(
                "{path}: unknown format {suffix}; name the file .gpkg, .fgb, .parquet or .kml",
                path=path,
                suffix=repr(path.suffix),
            ),
            field="output",
        )
    return found


def _row(zone: Zone, status: str) -> dict[str, object]:
    props = zone.properties
    return {
        "id": zone.id,
        "name": zone.name,
        "kind": zone.kind,
        "parent": zone.parent,
        "level": zone.level,
        "categories": ";".join(zone.categories) or None,
        "basis": zone.basis,
        "source": zone.source,
        "status": status,
        "status_text": status_text(zone, status),
        "valid_from": zone.valid_from,
        "valid_until": zone.valid_until,
        "renewed_since": zone.renewed_since,
        "version": props.get("version"),
        "native_level": props.get("native_level"),
        "summary": zone.summary,
        "advice": zone.advice,
        "confidence": zone.confidence,
        "flags": ";".join(props.get("flags") or ()) or None,
        "source_urls": " ".join(dict.fromkeys(s.url for s in zone.sources)),
    }


def export_zones(
    pack: ZonePack, target: Path, *, source: str | None = None, date: object = None, in_force: bool = False
) -> ExportSummary:
    """Write the zones of ``pack`` (those of ``source`` only, when given; those in force or
    unconfirmed on ``date`` only, with ``in_force``) to ``target``, its format by extension."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    import pyogrio

    name, driver = export_format(target)
    known = sorted({z.source for z in pack.zones})
    if source is not None and source not in known:
        raise InputFormatError(
            _("source {source} is unknown; use one of {known}", source=repr(source), known=", ".join(known)),
            field="source",
        )
    day = pack.date(date)
    today = PackDay(LevelRule(pack), day)  # the one day this export is for
    zones = [
        z
        for z in pack.zones
        if (source is None or z.source == source)
        and (not in_force or today.status_of(z) in ("in_force", "unconfirmed"))
    ]
    rows = [_row(z, today.status_of(z)) for z in zones]
    types = {"str": pa.string(), "int": pa.int32(), "date": pa.date32()}
    if driver == "LIBKML":  # KML has no date type: YYYY-MM-DD text (GDAL would write 2023/11/15)
        types["date"] = pa.string()
        rows = [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()} for row in rows]
    # Arrow types, so that GDAL writes integers as integers and dates as dates (KML has no date
    # type: there they are YYYY-MM-DD text).
    frame = pd.DataFrame(
        {
            field: pd.Series(
                pa.array([row[field] for row in rows], type=types[kind]), dtype=pd.ArrowDtype(types[kind])
            )
            for field, kind in FIELDS.items()
        }
    )
    table = gpd.GeoDataFrame(frame, geometry=[z.geometry for z in zones], crs="EPSG:4326")
    with staged(target, suffix=target.suffix) as staging:  # GDAL knows the format by the suffix
        if driver is None:
            table.to_parquet(staging, index=False)
        else:
            extra = {"layer": "zones"} if driver != "LIBKML" else {}
            pyogrio.write_dataframe(table, staging, driver=driver, use_arrow=True, **extra)
    return ExportSummary(target, name, len(zones), day.isoformat())
