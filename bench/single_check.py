"""One point at a time, in process: ZoneIndex.check_point latency, nearby and district included.

The peer is the plain shapely answer to the same question without the index: a prepared
``covers`` test of every zone, measured on the same points in the same run.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import shapely
from shapely.geometry import Point

from geo.engine.index import default_index

SAMPLES = 5000


def main() -> None:
    index = default_index()
    minx, miny, maxx, maxy = index.pack.coverage.bounds
    rng = np.random.default_rng(3)
    x, y = rng.uniform(minx, maxx, SAMPLES * 3), rng.uniform(miny, maxy, SAMPLES * 3)
    # Points inside Peru: the ones that get zones, a district and advice.
    inside = index.classify(x, y).covered
    x, y = x[inside][:SAMPLES], y[inside][:SAMPLES]
    ours, peer = [], []
    geometries = [z.geometry for z in index.pack.zones]
    for geometry in geometries:
        shapely.prepare(geometry)
    for lon, lat in zip(x, y, strict=True):
        start = time.perf_counter()
        index.check_point(lon=lon, lat=lat, date="2026-11-27")
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        point = Point(lon, lat)
        [g.covers(point) for g in geometries]
        peer.append(time.perf_counter() - start)
    p50, p99 = statistics.median(ours) * 1000, float(np.percentile(ours, 99)) * 1000
    print(
        f"check_point p50 {p50:.3f} ms, p99 {p99:.3f} ms ({SAMPLES} random points in Peru, target p50 <= 0.5 ms)"
    )
    print(
        f"peer: prepared covers of every zone, no nearby/district: p50 {statistics.median(peer) * 1000:.3f} ms"
    )


if __name__ == "__main__":
    main()
