"""Dask engine scaling: 20 million random points over Peru, Parquet in, Parquet out.

Measured in one run: the local engine (`run_batch`, what `riskzones batch IN.parquet
OUT.parquet` does: read, classify, write GeoParquet) and `run_dask_batch` against a cluster
of 1 and of 2 worker processes (one thread each) started beforehand, as a real cluster would
be, so the figure is the work and not the cluster's start. Throughput includes reading and
writing; the ratio is the local engine's time over Dask's (above 1: Dask is faster).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geo.batch.cluster import DaskOptions, run_dask_batch
from geo.batch.local import run_batch
from geo.batch.rows import BatchOptions
from geo.engine.index import default_index

POINTS = 20_000_000
DAY = "2026-11-27"


def main() -> None:
    from dask.distributed import Client, LocalCluster

    root = Path(tempfile.mkdtemp(prefix="riskzones-dask-"))
    try:
        rng = np.random.default_rng(10)
        source = root / "points.parquet"
        pd.DataFrame(
            {
                "id": np.arange(POINTS),
                "lat": rng.uniform(-18.4, 0.0, POINTS),
                "lon": rng.uniform(-81.4, -68.6, POINTS),
            }
        ).to_parquet(source, index=False, row_group_size=1_000_000)
        size = source.stat().st_size / 1e6
        index = default_index()
        start = time.perf_counter()
        run_batch(index, source, root / "local.parquet", BatchOptions(date=DAY))
        local = time.perf_counter() - start
        print(
            f"{POINTS:,} points ({size:.0f} MB Parquet): local engine {local:.1f} s = "
            f"{POINTS / local / 1e6:.2f} M points/s",
            flush=True,
        )
        for workers in (1, 2):
            with (
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                ) as cluster,
                Client(cluster) as client,
            ):
                client.run(default_index)  # each worker loads the pack, as a running cluster has
                start = time.perf_counter()
                run_dask_batch(
                    source,
                    root / f"dask{workers}.parquet",
                    DaskOptions(date=DAY, scheduler=cluster.scheduler_address, partitions=8 * workers),
                )
                took = time.perf_counter() - start
            print(
                f"  Dask, {workers} worker(s), cluster running: {took:.1f} s = {POINTS / took / 1e6:.2f} M "
                f"points/s, {local / took:.2f}x the local engine's throughput"
                + (" (target >= 1.3x)" if workers == 2 else ""),
                flush=True,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
