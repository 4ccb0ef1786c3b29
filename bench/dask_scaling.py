"""Dask engine scaling: 10 million random points over Peru, CSV in, Parquet out.

Measured in one run: the single-process path (pandas read, ZoneIndex.classify, Parquet write:
what `riskzones batch` does locally) and `run_dask_batch` on a local cluster of 1 and of 2
worker processes (one thread each). Throughput includes reading and writing.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geo.dask_batch import DaskOptions, run_dask_batch
from geo.index import default_index

POINTS = 10_000_000


def _single_process(source: Path, target: Path) -> None:
    frame = pd.read_csv(source, dtype={"id": "int64", "lat": "float64", "lon": "float64"})
    result = default_index().classify(frame["lon"].to_numpy(), frame["lat"].to_numpy(), date="2026-11-27")
    frame["covered"] = result.covered
    frame["level"] = pd.array(np.where(result.level > 0, result.level, 0), dtype="Int8")
    frame["zones"] = result.zone_lists()
    frame.to_parquet(target, index=False)


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="riskzones-dask-"))
    try:
        rng = np.random.default_rng(10)
        source = root / "points.csv"
        pd.DataFrame(
            {
                "id": np.arange(POINTS),
                "lat": rng.uniform(-18.4, 0.0, POINTS).round(6),
                "lon": rng.uniform(-81.4, -68.6, POINTS).round(6),
            }
        ).to_csv(source, index=False)
        size = source.stat().st_size / 1e6
        start = time.perf_counter()
        _single_process(source, root / "single.parquet")
        single = time.perf_counter() - start
        print(
            f"{POINTS:,} points ({size:.0f} MB CSV): single process {single:.1f} s = {POINTS / single / 1e6:.2f} M points/s"
        )
        for workers in (1, 2):
            start = time.perf_counter()
            run_dask_batch(
                source, root / f"dask{workers}.parquet", DaskOptions(date="2026-11-27", workers=workers)
            )
            took = time.perf_counter() - start
            print(
                f"  Dask, {workers} worker(s): {took:.1f} s = {POINTS / took / 1e6:.2f} M points/s "
                f"({took / single:.2f}x the single-process time, cluster start included)"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
