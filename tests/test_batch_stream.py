"""CSV to CSV batches streamed through Arrow: the same answers and reports as the whole-file path."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

import geo.batch.stream
from geo.batch.local import run_batch
from geo.batch.rows import BatchOptions
from geo.engine.index import default_index
from geo.errors import InputFormatError

DAY = "2026-11-27"


def _points(path: Path, count: int, bad: dict[int, tuple[str, str]]) -> None:
    rng = np.random.default_rng(count)
    lat, lon = rng.uniform(-18.4, 0.0, count), rng.uniform(-81.4, -68.6, count)
    rows = [f"{k},{lat[k]:.5f},{lon[k]:.5f},x{k}" for k in range(count)]
    for k, (bad_lat, bad_lon) in bad.items():
        rows[k] = f"{k},{bad_lat},{bad_lon},x{k}"
    path.write_text("id,lat,lon,note\n" + "\n".join(rows) + "\n")


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many blocks from a small file: line numbers and counts must run across blocks.
    monkeypatch.setattr(geo.batch.stream, "BLOCK_BYTES", 4096)


def test_streamed_csv_answers_like_the_whole_file_path(tmp_path: Path, small_blocks: None) -> None:
    source = tmp_path / "points.csv"
    _points(source, 3000, {2500: ("north", "-73.8"), 2999: ("-95", "-74.0")})
    options = BatchOptions(date=DAY, skip_invalid=True, district=True)
    index = default_index()
    streamed = run_batch(index, source, tmp_path / "out.csv", options)
    whole = run_batch(index, source, tmp_path / "out.parquet", options)  # pandas path
    assert streamed == whole  # counts, levels, bad-row reports, swapped suspects
    assert streamed.skipped == ["line 2502 (lon='-73.8', lat='north')", "line 3001 (lon='-74.0', lat='-95')"]
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    ref = pd.read_parquet(tmp_path / "out.parquet")
    assert out["id"].tolist() == ref["id"].tolist() and out["note"].tolist() == ref["note"].tolist()
    assert out["level"].tolist() == [str(v) if pd.notna(v) else "" for v in ref["level"]]
    assert out["zones"].tolist() == ref["zones"].fillna("").tolist()
    assert out["covered"].tolist() == [str(v) for v in ref["covered"]]
    assert out["ubigeo"].tolist() == ref["ubigeo"].tolist()
    # The input's text is written back as it was (the two bad rows left out).
    given = pd.read_csv(source, dtype=str, keep_default_na=False).drop(index=[2500, 2999])
    assert out["lat"].tolist() == given["lat"].tolist() and out["lon"].tolist() == given["lon"].tolist()


def test_bad_rows_in_a_late_block_stop_the_run_with_their_lines(tmp_path: Path, small_blocks: None) -> None:
    source = tmp_path / "points.csv"
    _points(source, 2000, {1500: ("", "-73.8")})
    target = tmp_path / "out.csv"
    with pytest.raises(InputFormatError) as caught:
        run_batch(default_index(), source, target, BatchOptions(date=DAY))
    assert "1 rows have no valid coordinates: line 1502 (lon='-73.8', lat='')" in str(caught.value)
    assert not target.exists() and list(tmp_path.glob(".out*")) == []


def test_every_row_skipped_leaves_the_header(tmp_path: Path) -> None:
    source = tmp_path / "points.csv"
    source.write_text("lat,lon\nnorth,west\n")
    summary = run_batch(default_index(), source, tmp_path / "out.csv", BatchOptions(skip_invalid=True))
    assert summary.checked == 0 and summary.rows == 1
    assert (tmp_path / "out.csv").read_text().splitlines()[0].startswith('"lat","lon","covered"')


@pytest.fixture
def small_row_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geo.batch.stream, "PARQUET_ROWS", 700)


def _parquet_points(path: Path, count: int, geometry: bool) -> pd.DataFrame:
    rng = np.random.default_rng(count)
    frame = pd.DataFrame(
        {
            "id": np.arange(count),
            "lat": rng.uniform(-18.4, 0.0, count),
            "lon": rng.uniform(-81.4, -68.6, count),
            "note": [f"x{k}" for k in range(count)],
        }
    )
    frame.loc[1200, "lat"] = np.nan  # a missing value
    frame.loc[2999, "lon"] = 195.0  # out of range
    if geometry:
        points = gpd.GeoDataFrame(
            frame.drop(columns=["lat", "lon"]), geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=4326
        )
        points.loc[2000, "geometry"] = None
        points.to_parquet(path)
    else:
        frame.to_parquet(path)
    return frame


@pytest.mark.parametrize("geometry", [False, True], ids=["lat-lon columns", "GeoParquet points"])
def test_streamed_parquet_answers_like_the_whole_file_path(
    tmp_path: Path, small_row_groups: None, geometry: bool
) -> None:
    source = tmp_path / "points.parquet"
    frame = _parquet_points(source, 3000, geometry)
    options = BatchOptions(date=DAY, skip_invalid=True, district=True)
    index = default_index()
    streamed = run_batch(index, source, tmp_path / "out.parquet", options)
    whole = run_batch(index, source, tmp_path / "out.geojson", options)  # (geo)pandas path
    assert streamed == whole  # counts, levels, bad-row reports, swapped suspects
    rows = ["row 1201", "row 2001", "row 3000"] if geometry else ["row 1201", "row 3000"]
    assert [s.split(" (")[0] for s in streamed.skipped] == rows
    assert "lat=nan)" in streamed.skipped[0] and "(lon=195.0, " in streamed.skipped[-1]
    out = gpd.read_parquet(tmp_path / "out.parquet")
    ref = gpd.read_file(tmp_path / "out.geojson")
    assert str(out["level"].dtype) == "Int8" and out["covered"].dtype == bool  # as pandas wrote them
    assert out.crs.to_epsg() == 4326
    assert out["id"].tolist() == ref["id"].tolist() and out["note"].tolist() == ref["note"].tolist()
    assert out["level"].fillna(0).tolist() == ref["level"].fillna(0).astype(int).tolist()
    assert out["zones"].fillna("").tolist() == ref["zones"].fillna("").tolist()
    assert out["ubigeo"].tolist() == ref["ubigeo"].tolist()
    given = gpd.read_parquet(source) if geometry else frame
    kept = given.drop(index=[1200, 2000, 2999] if geometry else [1200, 2999]).reset_index(drop=True)
    expected = kept.geometry if geometry else gpd.GeoSeries(gpd.points_from_xy(kept.lon, kept.lat), crs=4326)
    assert out.geometry.geom_equals_exact(expected, 0).all()  # written back exactly
    assert list(out.columns)[-1] == "geometry"


def test_parquet_bad_rows_stop_the_run_with_their_numbers(tmp_path: Path, small_row_groups: None) -> None:
    source = tmp_path / "points.parquet"
    _parquet_points(source, 3000, geometry=False)
    target = tmp_path / "out.parquet"
    with pytest.raises(InputFormatError) as caught:
        run_batch(default_index(), source, target, BatchOptions(date=DAY))
    assert "2 rows have no valid coordinates: row 1201 (lon=" in str(caught.value)
    assert not target.exists() and list(tmp_path.glob(".out*")) == []


def test_parquet_geometries_must_be_points(tmp_path: Path) -> None:
    source = tmp_path / "areas.parquet"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(-75, -13, -74, -12)], crs=4326).to_parquet(source)
    with pytest.raises(InputFormatError, match="geometries must be Points, found Polygon"):
        run_batch(default_index(), source, tmp_path / "out.parquet", BatchOptions(date=DAY))
    assert not (tmp_path / "out.parquet").exists()
