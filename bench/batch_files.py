"""Whole-file batches through the command line: `riskzones batch IN.csv OUT.csv` and
`riskzones batch IN.parquet OUT.parquet`.

Random points over Peru's bounding box written as CSV (id, lat, lon) and as GeoParquet (id and
point geometry). Ours: the installed
command in a fresh process, as users run it (start-up, pack and index included). Peer, in a
fresh process too: the geopandas pipeline a GIS user would write (pandas read_csv,
points_from_xy, sjoin with the zones, to_csv; for Parquet, read_parquet, sjoin, to_parquet). Peak memory (max RSS) of each process is
reported: the command streams, so it should not grow with the file.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SIZES = (1_000_000, 100_000, 10_000_000)  # the first is compared with the peer
PEER = """
import sys, pandas as pd, geopandas as gpd
from geo.pack import load_default_pack
zones = load_default_pack().zones
layer = gpd.GeoDataFrame({"id": [z.id for z in zones]}, geometry=[z.geometry for z in zones], crs=4326)
frame = pd.read_csv(sys.argv[1])
points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=4326)
joined = gpd.sjoin(points, layer, how="left", predicate="intersects")
joined.drop(columns="geometry").to_csv(sys.argv[2], index=False)
"""
PEER_PARQUET = """
import sys, geopandas as gpd
from geo.pack import load_default_pack
zones = load_default_pack().zones
layer = gpd.GeoDataFrame({"id_zone": [z.id for z in zones]}, geometry=[z.geometry for z in zones], crs=4326)
points = gpd.read_parquet(sys.argv[1])
gpd.sjoin(points, layer, how="left", predicate="intersects").to_parquet(sys.argv[2])
"""


def _write(path: Path, count: int) -> None:
    rng = np.random.default_rng(count)
    lat = rng.uniform(-18.4, 0.0, count)
    lon = rng.uniform(-81.4, -68.6, count)
    with path.open("w") as handle:
        handle.write("id,lat,lon\n")
        for start in range(0, count, 500_000):
            stop = min(start + 500_000, count)
            rows = np.column_stack([np.arange(start, stop), lat[start:stop], lon[start:stop]])
            np.savetxt(handle, rows, fmt=["%d", "%.6f", "%.6f"], delimiter=",")


def _write_parquet(path: Path, count: int) -> None:
    import geopandas as gpd

    rng = np.random.default_rng(count)
    lat, lon = rng.uniform(-18.4, 0.0, count), rng.uniform(-81.4, -68.6, count)
    points = gpd.points_from_xy(lon, lat)
    gpd.GeoDataFrame({"id": np.arange(count)}, geometry=points, crs=4326).to_parquet(path)


def _run(command: list[str]) -> tuple[float, float]:
    """Wall time, and the process's own peak RSS in MB (GNU time's %M)."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, check=False)
    took = time.perf_counter() - start
    assert result.returncode in (0, 3), result.stderr.decode()[-500:]
    return took, int(result.stderr.decode().strip().splitlines()[-1]) / 1024


def main() -> None:
    riskzones = str(Path(sys.executable).with_name("riskzones"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for count in SIZES:
            source = root / f"points-{count}.csv"
            _write(source, count)
            ours, ours_mb = _run([riskzones, "batch", str(source), str(root / "ours.csv")])
            line = (
                f"riskzones batch CSV -> CSV, {count:,} points: {ours:.2f} s = {count / ours / 1e6:.2f} M points/s, "
                f"peak RSS {ours_mb:,.0f} MB"
            )
            if count == SIZES[0]:
                peer, peer_mb = _run([sys.executable, "-c", PEER, str(source), str(root / "peer.csv")])
                line += (
                    f"; peer geopandas read_csv+sjoin+to_csv {peer:.2f} s (peak {peer_mb:,.0f} MB), "
                    f"ratio {peer / ours:.1f}x (target >= 8x)"
                )
            print(line, flush=True)
        count = SIZES[0]
        source = root / "points.parquet"
        _write_parquet(source, count)
        ours, ours_mb = _run([riskzones, "batch", str(source), str(root / "ours.parquet")])
        peer, peer_mb = _run([sys.executable, "-c", PEER_PARQUET, str(source), str(root / "peer.parquet")])
        print(
            f"riskzones batch GeoParquet -> GeoParquet, {count:,} points: {ours:.2f} s = "
            f"{count / ours / 1e6:.2f} M points/s, peak RSS {ours_mb:,.0f} MB; peer geopandas "
            f"read_parquet+sjoin+to_parquet {peer:.2f} s (peak {peer_mb:,.0f} MB), ratio "
            f"{peer / ours:.1f}x (target >= 15x)",
            flush=True,
        )


if __name__ == "__main__":
    main()
