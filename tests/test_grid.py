"""The raster shortcut never changes an answer: it agrees with exact shapely tests."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from geo.grid import ZoneGrid
from geo.pack import ZonePack


def _exact(geometries: list[shapely.Geometry], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    bits = np.zeros(x.shape, dtype=np.uint64)
    for layer, geometry in enumerate(geometries):
        bits[shapely.intersects_xy(geometry, x, y)] |= np.uint64(1 << layer)
    return bits


def test_grid_matches_exact_tests_on_the_real_pack(pack: ZonePack) -> None:
    geometries = [z.geometry for z in pack.zones] + [pack.coverage]
    grid = ZoneGrid(geometries)
    rng = np.random.default_rng(2026)
    minx, miny, maxx, maxy = pack.coverage.bounds
    x, y = rng.uniform(minx, maxx, 300_000), rng.uniform(miny, maxy, 300_000)
    # Also every vertex of every zone: points exactly on boundaries.
    vertices = shapely.get_coordinates(np.array(geometries, dtype=object))
    x, y = np.concatenate([x, vertices[:, 0]]), np.concatenate([y, vertices[:, 1]])
    assert np.array_equal(grid.covering(x, y).astype(np.uint64), _exact(geometries, x, y))


def test_points_off_the_grid_are_in_nothing() -> None:
    grid = ZoneGrid([box(0, 0, 1, 1)], cell=0.1)
    x = np.array([-5.0, 50.0, np.nan, 0.5])
    y = np.array([0.5, 0.5, 0.5, np.nan])
    assert grid.covering(x, y).tolist() == [0, 0, 0, 0]


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
    grid = ZoneGrid([geometry], cell=cell)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-2.5, 2.5, 2000), rng.uniform(-2.5, 2.5, 2000)
    vertices = shapely.get_coordinates(geometry)
    x, y = np.concatenate([x, vertices[:, 0]]), np.concatenate([y, vertices[:, 1]])
    assert np.array_equal(grid.covering(x, y).astype(np.uint64), _exact([geometry], x, y))
