"""Classification speed against the number of zones: the Peru pack, and synthetic packs of
500 overlapping zones over the same area (the grid holds any number of zones).

The peer is the same classification of the same points against the Peru pack, in the same
run, so the figure reads as "cost per extra zone layer".
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from shapely.geometry import box

from geo.build.writer import feature_collection, write_pack
from geo.engine.index import ZoneIndex, default_index
from geo.pack import load_pack

POINTS = 1_000_000
RUNS = 5


def _synthetic(root: Path, count: int, scale: float = 1.0) -> ZoneIndex:
    peru = default_index().pack
    minx, miny, maxx, maxy = peru.coverage.bounds
    rng = np.random.default_rng(count)
    zones = []
    for k in range(count):
        cx, cy, r = rng.uniform(minx, maxx), rng.uniform(miny, maxy), rng.uniform(0.05, 1.0) * scale
        zones.append(
            {
                "properties": {
                    "id": f"s{k:04d}",
                    "name": f"s{k}",
                    "kind": "zone",
                    "parent": None,
                    "level": int(rng.integers(2, 5)),
                    "categories": ["crime"],
                    "basis": "indicative",
                    "summary": "",
                    "advice": "",
                    "sources": [],
                    "valid_from": None,
                    "valid_until": None,
                    "renewed_since": None,
                    "confidence": "synthetic",
                    "notes": [],
                    "built_from": "bench",
                },
                "geometry": box(cx - r, cy - r, cx + r, cy + r).buffer(r / 3, quad_segs=4),
            }
        )
    coverage = [{"properties": {"id": "c"}, "geometry": peru.coverage}]
    district = {"ubigeo": "000001", "district": "D", "province": "P", "department": "X", "capital": "D"}
    files = {
        "zones.geojson": feature_collection(zones),
        "coverage.geojson": feature_collection(coverage),
        "districts.geojson": feature_collection(
            [{"properties": district, "geometry": box(minx, miny, maxx, maxy)}]
        ),
    }
    meta = {
        "id": "synthetic",
        "name": "synthetic",
        "version": "2026-01-01",
        "timezone": "America/Lima",
        "baseline": {"level": 2, "summary": "", "advice": [], "contacts": []},
        "sources": [],
    }
    write_pack(root / "pack", files, meta)
    return ZoneIndex(load_pack(root / "pack"))


def _rate(index: ZoneIndex, x: np.ndarray, y: np.ndarray) -> float:
    index.classify(x[:1000], y[:1000], date="2026-11-27")
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        index.classify(x, y, date="2026-11-27")
        times.append(time.perf_counter() - start)
    return POINTS / statistics.median(times)


def main() -> None:
    peru = default_index()
    minx, miny, maxx, maxy = peru.pack.coverage.bounds
    rng = np.random.default_rng(1)
    x, y = rng.uniform(minx, maxx, POINTS), rng.uniform(miny, maxy, POINTS)
    base = _rate(peru, x, y)
    print(f"Peru pack ({len(peru.zones)} zones): {base / 1e6:.1f} M points/s (target >= 10 M)")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        index = _synthetic(Path(tmp), 500)
        built = time.perf_counter() - start
        rate = _rate(index, x, y)
    print(
        f"synthetic pack (500 zones, index built in {built:.1f} s, {len(index.grid.full_table):,} "
        f"cell patterns): {rate / 1e6:.1f} M points/s, {rate / base:.2f}x the Peru pack's rate"
    )
    # The cost curve: 30, 300 and 3,000 zones covering the same total area as the 500 above
    # (radii scaled by sqrt(500 / count)), so only the number of zones changes.
    for count in (30, 300, 3000):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            index = _synthetic(Path(tmp), count, (500 / count) ** 0.5)
            built = time.perf_counter() - start
            rate = _rate(index, x, y)
        print(
            f"cost curve: {count:>5,} zones, same total area: index {built:5.1f} s, "
            f"{len(index.grid.full_table):>7,} patterns, {rate / 1e6:5.1f} M points/s",
            flush=True,
        )


if __name__ == "__main__":
    main()
