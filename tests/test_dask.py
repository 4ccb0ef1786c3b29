"""The Dask engine gives the local engine's answers, row for row, on a local 2-worker cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dask.distributed import LocalCluster

from geo.batch.cluster import DaskOptions, run_dask_batch
from geo.engine.index import default_index
from geo.errors import InputFormatError
from service.cli import main

DATE = "2026-03-01"  # emergencies in force: every level occurs


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as running:
        yield running


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    rng = np.random.default_rng(8)
    n = 1_000_000
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "lat": rng.uniform(-18.4, 0.0, n).round(6),
            "lon": rng.uniform(-81.4, -68.6, n).round(6),
        }
    )
    path = tmp_path_factory.mktemp("dask") / "points.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_a_million_points_match_the_local_engine(
    cluster: LocalCluster, million: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    path, frame = million
    out = tmp_path / "out.parquet"
    summary = run_dask_batch(
        path, out, DaskOptions(date=DATE, scheduler=cluster.scheduler_address, partitions=8)
    )
    assert summary["workers"] == 2 and summary["partitions"] == 8
    result = pd.read_parquet(out).astype({"id": "int64"}).sort_values("id").reset_index(drop=True)
    local = default_index().classify(frame["lon"].to_numpy(), frame["lat"].to_numpy(), date=DATE)
    assert len(result) == len(frame)
    assert (result["level"].fillna(0).astype(int).to_numpy() == local.level).all()
    assert (result["covered"].to_numpy() == local.covered).all()
    assert (result["zones"].fillna("").to_numpy(dtype=object) == local.zone_lists()).all()
    assert summary["by_level"] == {
        int(k): int(v)
        for k, v in zip(*np.unique(local.level[local.level > 0], return_counts=True), strict=True)
    }


def test_bad_rows_mid_file_name_partition_and_row(cluster: LocalCluster, tmp_path: Path) -> None:
    rows = ["lat,lon"] + ["-12.5,-73.8"] * 1000
    rows[700] = "north,-73.8"
    source = tmp_path / "bad.csv"
    source.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out.parquet"
    options = DaskOptions(scheduler=cluster.scheduler_address, partitions=4)
    with pytest.raises(InputFormatError) as caught:
        run_dask_batch(source, out, options)
    assert "1 rows have no valid coordinates: partition 2, row 200 (lon='-73.8', lat='north')" in str(
        caught.value
    )
    assert not out.exists()
    skipped = run_dask_batch(
        source, out, DaskOptions(scheduler=cluster.scheduler_address, partitions=4, skip_invalid=True)
    )
    assert skipped["skipped"] == 1 and len(pd.read_parquet(out)) == 999


def test_cli_with_its_own_local_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "points.csv"
    source.write_text("name,lat,lon\npichari,-12.5,-73.8\nlima,-12.04,-77.03\n")
    out = tmp_path / "out.parquet"
    code = main(
        ["batch", str(source), str(out), "--engine", "dask", "--workers", "2", "--date", "2026-11-27"]
    )
    assert code == 3
    assert "2 Dask workers" in capsys.readouterr().out
    assert pd.read_parquet(out).sort_values("name")["level"].tolist() == [2, 4]
    assert main(["batch", str(source), str(tmp_path / "out.csv"), "--engine", "dask"]) == 2


def test_parquet_stretches_match_the_local_engine(
    cluster: LocalCluster, million: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    # A Parquet file of several row groups: each worker streams its stretch (no text round trip),
    # rows keep their numbers in the file, and the answers are the local engine's.
    _, frame = million
    source = tmp_path / "points.parquet"
    bad = frame.copy()
    bad.loc[654_321, "lat"] = 95.0  # in the 7th of 10 row groups
    bad.to_parquet(source, row_group_size=100_000)
    out = tmp_path / "out.parquet"
    options = DaskOptions(date=DATE, scheduler=cluster.scheduler_address, partitions=4)
    with pytest.raises(InputFormatError, match=r"1 rows have no valid coordinates: row 654322 \(lon="):
        run_dask_batch(source, out, options)
    assert not out.exists()
    frame.to_parquet(source, row_group_size=100_000)
    summary = run_dask_batch(source, out, options)
    assert summary["partitions"] == 4 and summary["rows"] == len(frame)
    result = pd.read_parquet(out).sort_values("id").reset_index(drop=True)
    local = default_index().classify(frame["lon"].to_numpy(), frame["lat"].to_numpy(), date=DATE)
    assert (result["level"].fillna(0).astype(int).to_numpy() == local.level).all()
    assert (result["zones"].fillna("").to_numpy(dtype=object) == local.zone_lists()).all()
    assert str(result["level"].dtype) == "Int8"  # typed as the local engine writes it


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_dask_counts_alerts_as_the_local_engine_does(
    cluster: LocalCluster, tmp_path: Path, suffix: str
) -> None:
    import datetime as dt

    from geo.batch.local import run_batch
    from geo.batch.rows import BatchOptions
    from geo.trips.alert_body import alert_from_json
    from geo.trips.alerts import AlertLayer
    from tests.test_alerts import ALERT, ICA

    index = default_index()
    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    layer = AlertLayer(
        [alert_from_json(ALERT, alert_id="a", publisher="p", coverage=index.pack.coverage, now=now)]
    )
    rng = np.random.default_rng(9)
    frame = pd.DataFrame(
        {
            "id": np.arange(2000),
            "lat": (ICA[1] + rng.uniform(-0.3, 0.3, 2000)).round(6),
            "lon": (ICA[0] + rng.uniform(-0.3, 0.3, 2000)).round(6),
        }
    )
    source = tmp_path / f"points{suffix}"
    if suffix == ".csv":
        frame.to_csv(source, index=False)
    else:
        frame.to_parquet(source, row_group_size=500)
    day = "2026-12-02"
    out = tmp_path / "out.parquet"
    options = DaskOptions(date=day, scheduler=cluster.scheduler_address, partitions=4, alerts=layer)
    run_dask_batch(source, out, options)
    result = pd.read_parquet(out).astype({"id": "int64"}).sort_values("id").reset_index(drop=True)
    run_batch(index, source, tmp_path / "local.geojson", BatchOptions(date=day, alerts=layer))
    local = (
        gpd_read(tmp_path / "local.geojson").astype({"id": "int64"}).sort_values("id").reset_index(drop=True)
    )
    assert result["alerts"].fillna("").tolist() == local["alerts"].fillna("").tolist()
    assert result["level"].fillna(0).astype(int).tolist() == local["level"].fillna(0).astype(int).tolist()
    assert (result["alerts"] == "a").sum() > 100  # the alert did apply to part of the rows


def gpd_read(path: Path) -> pd.DataFrame:
    import geopandas as gpd

    return pd.DataFrame(gpd.read_file(path).drop(columns="geometry"))
