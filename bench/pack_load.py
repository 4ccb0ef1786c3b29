"""Start-up cost: loading and validating the packaged pack, against geopandas reading the same
three GeoJSON files (no checksums, no validation) in the same run.

Each measurement is a fresh interpreter, so imports count as they do at service start.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 5
OURS = "from geo.pack import load_default_pack; load_default_pack()"
PEER = (
    "import geopandas as gpd; from geo.pack import default_pack_dir; d = default_pack_dir(); "
    "[gpd.read_file(d / f) for f in ('zones.geojson', 'coverage.geojson', 'districts.geojson')]"
)
EMPTY = "pass"
#: Every packaged pack served (Peru's and its neighbours'), loaded and indexed, as a server or a
#: command holds them.
SERVED = "from geo.engine.region import default_region; default_region()"


def _median_seconds(code: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    empty = _median_seconds(EMPTY)
    ours = _median_seconds(OURS)
    peer = _median_seconds(PEER)
    print(f"interpreter start alone            {empty * 1000:8.0f} ms")
    print(f"riskzones load_default_pack        {ours * 1000:8.0f} ms (process start included)")
    print(f"peer: geopandas.read_file x3       {peer * 1000:8.0f} ms (process start included)")
    print(f"ratio peer/ours                    {peer / ours:8.2f}x (target: ours <= 1.5 s)")
    try:
        served = _median_seconds(SERVED)
    except subprocess.CalledProcessError:  # a checkout with one pack only
        served = None
    if served is not None:
        print(f"every pack served, indexed         {served * 1000:8.0f} ms (process start included)")
