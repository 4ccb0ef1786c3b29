"""`riskzones zones export`: each format read back by GDAL (pyogrio) or pyarrow and compared,
geometry and fields, with the pack itself (the oracle)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely

from geo.pack import ZonePack
from geo.pack.status import status_on, status_text
from service.cli import main

DAY = "2026-11-27"
EXTENSIONS = (".gpkg", ".fgb", ".parquet", ".kml")


def _read(path: Path) -> gpd.GeoDataFrame:
    if path.suffix == ".parquet":
        return gpd.read_parquet(path)
    frame = pyogrio.read_dataframe(path)
    # LIBKML keeps the name as the placemark's <name>.
    return frame.rename(columns={"Name": "name"}) if path.suffix == ".kml" else frame


def _types(path: Path) -> dict[str, str]:
    if path.suffix == ".parquet":
        schema = pq.read_schema(path)
        return {name: str(schema.field(name).type) for name in schema.names}
    info = pyogrio.read_info(path)
    return {str(k): str(v) for k, v in zip(info["fields"], info["dtypes"], strict=True)}


def _day(value: Any) -> str | None:
    """A date field as YYYY-MM-DD, whatever type the format gives it back as."""
    if value is None or pd.isna(value):
        return None
    if hasattr(value, "date") and not isinstance(value, dt.date | str):  # a pandas Timestamp
        value = value.date()
    return value.isoformat()[:10] if isinstance(value, dt.date | dt.datetime) else str(value)[:10]


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_every_format_round_trips(pack: ZonePack, tmp_path: Path, extension: str, capsys: Any) -> None:
    out = tmp_path / f"zones{extension}"
    assert main(["zones", "export", str(out), "--date", DAY]) == 0
    assert str(out) in capsys.readouterr().out
    frame = _read(out)
    assert sorted(frame["id"]) == sorted(z.id for z in pack.zones)
    day = pack.date(DAY)
    for row in frame.itertuples():
        zone = pack.zone(row.id)
        # Geometry: the same shape (GDAL may make a Polygon a one-part MultiPolygon).
        assert shapely.hausdorff_distance(row.geometry, zone.geometry) < 1e-9, row.id
        assert abs(row.geometry.area - zone.geometry.area) < 1e-9, row.id
        status = status_on(zone, day)
        assert (row.name, row.kind, row.source, int(row.level)) == (
            zone.name,
            zone.kind,
            zone.source,
            zone.level,
        )
        assert (row.status, row.status_text) == (status, status_text(zone, status))
        assert (None if pd.isna(row.categories) else row.categories) == (";".join(zone.categories) or None)
        assert _day(row.valid_from) == (zone.valid_from.isoformat() if zone.valid_from else None)
        assert _day(row.valid_until) == (zone.valid_until.isoformat() if zone.valid_until else None)
        assert row.summary == zone.summary and row.advice == zone.advice
    types = _types(out)
    assert types["level"] == "int32" and types["renewed_since"] == "int32"
    # Dates are dates where the format has a date type; KML has none (text, YYYY-MM-DD).
    expected = {
        ".gpkg": "datetime64[D]",
        ".fgb": "datetime64[ms]",
        ".parquet": "date32[day]",
        ".kml": "object",
    }
    assert types["valid_from"] == expected[extension]


def test_geoparquet_carries_its_crs(tmp_path: Path) -> None:
    out = tmp_path / "zones.parquet"
    assert main(["zones", "export", str(out)]) == 0
    assert gpd.read_parquet(out).crs.to_epsg() == 4326
    assert b"geo" in pq.read_schema(out).metadata


def test_one_governments_layer_on_a_date(pack: ZonePack, tmp_path: Path) -> None:
    out = tmp_path / "uk.gpkg"
    assert main(["zones", "export", str(out), "--source", "uk", "--date", DAY, "--in-force"]) == 0
    day = pack.date(DAY)
    expected = {
        z.id for z in pack.zones if z.source == "uk" and status_on(z, day) in ("in_force", "unconfirmed")
    }
    assert set(_read(out)["id"]) == expected and expected


def test_spanish_texts_in_the_file(pack: ZonePack, tmp_path: Path) -> None:
    out = tmp_path / "es.fgb"
    assert main(["--lang", "es", "zones", "export", str(out)]) == 0
    names = dict(zip(_read(out)["id"], _read(out)["name"], strict=True))
    assert names["us-vraem"] == pack.zone("us-vraem").texts["es"].name


def test_bad_names_and_sources_are_refused_without_a_file(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "zones.shp"
    assert main(["zones", "export", str(out)]) == 2
    assert "unknown format '.shp'; name the file .gpkg, .fgb, .parquet or .kml" in capsys.readouterr().err
    assert main(["zones", "export", str(tmp_path / "x.gpkg"), "--source", "fr"]) == 2
    assert "source 'fr' is unknown" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
