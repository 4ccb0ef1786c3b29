"""The raster shortcut never changes an answer: it agrees with exact shapely tests, for any
number of polygons."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from geo.pack import ZonePack
from geo.spatial.grid import ZoneGrid


def _exact(geometries: list[shapely.Geometry], x: np.ndarray, y: np.ndarray) -> list[tuple[int, ...]]:
    inside = np.column_stack([shapely.intersects_xy(g, x, y) for g in geometries])
    return [tuple(np.flatnonzero(row).tolist()) for row in inside]


def _assert_exact(grid: ZoneGrid, geometries: list[shapely.Geometry], x: np.ndarray, y: np.ndarray) -> None:
    expected = _exact(geometries, x, y)
    assert grid.covering(x, y).as_sets() == expected
    # The one-point path gives the same answer (checked on a sample: it is a Python loop).
    for k in range(0, len(x), max(len(x) // 2000, 1)):
        assert grid.covering_one(float(x[k]), float(y[k])) == expected[k]


def test_grid_matches_exact_tests_on_the_real_pack(pack: ZonePack) -> None:
    geometries = [z.geometry for z in pack.zones] + [pack.coverage]
    grid = ZoneGrid(geometries)
    rng = np.random.default_rng(2026)
    minx, miny, maxx, maxy = pack.coverage.bounds
    x, y = rng.uniform(minx, maxx, 300_000), rng.uniform(miny, maxy, 300_000)
    # Also every vertex of every zone: points exactly on boundaries.
    vertices = shapely.get_coordinates(np.array(geometries, dtype=object))
    x, y = np.concatenate([x, vertices[:, 0]]), np.concatenate([y, vertices[:, 1]])
    _assert_exact(grid, geometries, x, y)


def test_five_hundred_overlapping_polygons() -> None:
    # Far beyond one 64-bit word: the grid holds any number of polygons.
    rng = np.random.default_rng(500)
    centres = rng.uniform(-5, 5, (500, 2))
    sizes = rng.uniform(0.05, 1.5, 500)
    geometries = [
        shapely.Point(cx, cy).buffer(r, quad_segs=4) if k % 2 else box(cx - r, cy - r, cx + r, cy + r)
        for k, ((cx, cy), r) in enumerate(zip(centres, sizes, strict=True))
    ]
    grid = ZoneGrid(geometries, cell=0.05)
    x, y = rng.uniform(-7, 7, 100_000), rng.uniform(-7, 7, 100_000)
    vertices = shapely.get_coordinates(np.array(geometries[:50], dtype=object))
    x, y = np.concatenate([x, vertices[:, 0]]), np.concatenate([y, vertices[:, 1]])
    _assert_exact(grid, geometries, x, y)


def test_points_off_the_grid_are_in_nothing() -> None:
    grid = ZoneGrid([box(0, 0, 1, 1)], cell=0.1)
    x = np.array([-5.0, 50.0, np.nan, 0.5])
    y = np.array([0.5, 0.5, 0.5, np.nan])
    assert grid.covering(x, y).as_sets() == [(), (), (), ()]
    assert grid.covering_one(50.0, 0.5) == ()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-2, 2), st.floats(-2, 2)),
        min_size=3,
        max_size=12,
        unique=True,
    ),
    st.sampled_from([0.05, 0.1, 0.37]),
)
def test_grid_matches_exact_tests_on_random_polygons(corners: list[tuple[float, float]], cell: float) -> None:
    polygon = shapely.make_valid(Polygon(corners))
    parts = [p for p in shapely.get_parts(polygon) if p.geom_type == "Polygon" and p.area > 0]
    assume(parts)
    geometry = shapely.union_all(parts)
    grid = ZoneGrid([geometry, box(-1, -1, 1, 1)], cell=cell)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-2.5, 2.5, 2000), rng.uniform(-2.5, 2.5, 2000)
    vertices = shapely.get_coordinates(geometry)
    x, y = np.concatenate([x, vertices[:, 0]]), np.concatenate([y, vertices[:, 1]])
    _assert_exact(grid, [geometry, box(-1, -1, 1, 1)], x, y)
