"""Point classification: riskzones against PostGIS ST_Covers and a geopandas sjoin.

All three classify the same random points over Peru's bounding box against the same zone
geometries (the 29 zones of the packaged pack plus the coverage outline), in one run. PostGIS
runs single-threaded (no parallel workers) with GiST indexes on zones and points; it is timed
on the join alone, once warm. The PostGIS answers for every point are compared with ours.
"""

from __future__ import annotations

import io
import statistics
import time

import geopandas as gpd
import numpy as np
import shapely

from bench import postgis
from geo.engine.index import default_index

N_POSTGIS = 1_000_000
N_SPEED = 5_000_000
RUNS = 5


def _points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    index = default_index()
    minx, miny, maxx, maxy = index.pack.coverage.bounds
    rng = np.random.default_rng(seed)
    return rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)


def _ours(x: np.ndarray, y: np.ndarray) -> float:
    index = default_index()
    index.classify(x[:1000], y[:1000])
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        index.classify(x, y, date="2026-11-27")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _layers() -> list[tuple[str, shapely.Geometry]]:
    pack = default_index().pack
    return [(z.id, z.geometry) for z in pack.zones] + [("coverage", pack.coverage)]


def _our_pairs(x: np.ndarray, y: np.ndarray) -> set[tuple[int, str]]:
    index = default_index()
    cover = index.grid.covering(x, y)
    names = [name for name, _ in _layers()]
    return {(i, names[layer]) for i, set_id in enumerate(cover.ids.tolist()) for layer in cover.sets[set_id]}


def _sjoin(x: np.ndarray, y: np.ndarray) -> float:
    names, geometries = zip(*_layers(), strict=True)
    zones = gpd.GeoDataFrame({"id": names}, geometry=list(geometries), crs=4326)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=4326)
    start = time.perf_counter()
    gpd.sjoin(points, zones, predicate="covered_by", how="left")
    return time.perf_counter() - start


def _postgis(x: np.ndarray, y: np.ndarray) -> tuple[float, float, set[tuple[int, str]]]:
    with postgis.server() as pg:
        pg.psql("CREATE EXTENSION postgis")
        pg.script(
            "CREATE TABLE zones (id text, geom geometry(Geometry, 4326));"
            "CREATE TABLE pts (id int, geom geometry(Point, 4326));"
        )
        zones = "".join(f"{name}\t{shapely.to_wkb(g, hex=True)}\n" for name, g in _layers())
        pg.psql("COPY zones (id, geom) FROM STDIN", stdin=zones.encode())
        buffer = io.StringIO()
        wkb = shapely.to_wkb(shapely.points(x, y), hex=True)
        for i, hexpoint in enumerate(wkb):
            buffer.write(f"{i}\t{hexpoint}\n")
        pg.psql("COPY pts (id, geom) FROM STDIN", stdin=buffer.getvalue().encode())
        pg.script(
            "UPDATE zones SET geom = ST_SetSRID(geom, 4326);"
            "CREATE INDEX ON zones USING gist (geom); CREATE INDEX ON pts USING gist (geom);"
            "CREATE TABLE zones_sub AS SELECT id, ST_Subdivide(geom, 256) AS geom FROM zones;"
            "CREATE INDEX ON zones_sub USING gist (geom); VACUUM ANALYZE;"
        )
        timings = {}
        for table in ("zones", "zones_sub"):
            query = f"SELECT count(*) FROM pts p JOIN {table} z ON ST_Covers(z.geom, p.geom)"
            script = "SET max_parallel_workers_per_gather = 0;\n\\timing on\n" + f"{query};\n" * 2
            output = pg.script(script)
            times = [float(line.split()[1]) for line in output.splitlines() if line.startswith("Time:")]
            timings[table] = times[-1] / 1000
        rows = pg.psql(
            "COPY (SELECT p.id, z.id FROM pts p JOIN zones z ON ST_Covers(z.geom, p.geom)) TO STDOUT"
        )
    pairs = {(int(a), b) for a, b in (line.split("\t") for line in rows.splitlines())}
    return timings["zones"], timings["zones_sub"], pairs


def main() -> None:
    x, y = _points(N_SPEED, seed=1)
    ours = _ours(x, y)
    print(f"riskzones classify, {N_SPEED:,} points, 1 core: {N_SPEED / ours / 1e6:6.2f} M points/s")
    px, py = _points(N_POSTGIS, seed=2)
    ours_1m = _ours(px, py)
    sjoin = _sjoin(px, py)
    print(f"riskzones classify, {N_POSTGIS:,} points:     {ours_1m * 1000:8.1f} ms")
    print(f"geopandas sjoin (covered_by), same points: {sjoin * 1000:8.1f} ms  ratio {sjoin / ours_1m:6.1f}x")
    plain, subdivided, theirs = _postgis(px, py)
    print(f"PostGIS ST_Covers + GiST, same points:     {plain * 1000:8.1f} ms  ratio {plain / ours_1m:6.1f}x")
    print(
        f"PostGIS with ST_Subdivide(256) zones:      {subdivided * 1000:8.1f} ms  ratio {subdivided / ours_1m:6.1f}x"
    )
    mine = _our_pairs(px, py)
    only_ours, only_theirs = sorted(mine - theirs), sorted(theirs - mine)
    print(f"mismatches against PostGIS on {N_POSTGIS:,} points: {len(only_ours) + len(only_theirs)}")
    for i, name in (only_ours + only_theirs)[:20]:
        side = "riskzones only" if (i, name) in mine else "PostGIS only"
        print(f"  point {i} ({px[i]!r}, {py[i]!r}) {name}: {side}")


if __name__ == "__main__":
    main()
