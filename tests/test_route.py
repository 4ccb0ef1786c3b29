"""Route checks on real-shaped routes (tests/data/routes, see make_routes.py there) and the
hand-made pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.engine.index import ZoneIndex, default_index
from geo.io.formats import Route, parse_route
from geo.spatial.nearby import GEOD, segment_metres
from geo.trips.route import RouteChecker, densify
from tests.test_index import TINY

ROUTES = Path(__file__).parent / "data" / "routes"
DAY = "2026-11-27"


@pytest.fixture(scope="module")
def checker() -> RouteChecker:
    return RouteChecker(default_index())


@pytest.fixture(scope="module")
def tiny() -> RouteChecker:
    return RouteChecker(ZoneIndex.from_path(TINY))


def _gpx(name: str) -> Route:
    return parse_route((ROUTES / f"{name}.gpx").read_bytes(), "gpx")


def test_ayacucho_to_pichari_enters_the_vraem(checker: RouteChecker) -> None:
    result = checker.check(_gpx("ayacucho-pichari"), date=DAY)
    assert result.verdict == "do_not_travel" and result.max_level == 4
    (vraem,) = [z for z in result.zones if z.id == "us-vraem"]
    # Huanta, the first VRAEM district, starts some 15 km north of Ayacucho; Pichari is inside.
    assert 70 < vraem.inside_km < 105
    (crossing,) = vraem.crossings
    assert 5 < crossing.enter_km < 30
    assert crossing.exit_km == pytest.approx(result.length_km, abs=0.01)
    assert crossing.exit == (-73.81667, -12.5)


def test_boat_down_the_amazon_stays_in_the_exception(checker: RouteChecker) -> None:
    # Under the U.S. text of 2023, which excepted the Amazon River itself.
    # The whole river stretch is excepted; the landing at Santa Rosa lies just beyond the 2 km
    # river corridor, so the route touches the zone there (0 km inside), as the point check
    # of that vertex says.
    result = checker.check(_gpx("iquitos-santa-rosa"), date="2025-01-01")
    border = next(z for z in result.zones if z.id == "us-colombia-border")
    assert border.inside_km == 0 and border.excepted_km > 100
    assert all(crossing.inside_km == 0 for crossing in border.crossings)
    # Under the text in force today there is no exception: the river stretch is inside.
    today = next(z for z in checker.check(_gpx("iquitos-santa-rosa"), date=DAY).zones if z.id == border.id)
    assert today.inside_km > 100 and today.excepted_km == 0


def test_up_the_putumayo_is_do_not_travel(checker: RouteChecker) -> None:
    result = checker.check(_gpx("putumayo"), date=DAY)
    assert result.verdict == "do_not_travel"
    border = next(z for z in result.zones if z.id == "us-colombia-border")
    assert border.raises_level and border.inside_km > 50


def test_roads_to_puno_and_arequipa_are_caution(checker: RouteChecker) -> None:
    for name in ("cusco-puno", "puno-arequipa"):
        result = checker.check(_gpx(name), date=DAY)
        assert result.verdict == "caution", name
        assert all(z.level < 4 for z in result.zones)


def test_exception_km_and_km_along(tiny: RouteChecker) -> None:
    # West to east at lat -13.5 through the square (lon -74..-73) and its river (-73.6..-73.4).
    route = Route((np.array([[-74.5, -13.5], [-72.5, -13.5]]),))
    result = tiny.check(route, date="2026-01-01")
    square = next(z for z in result.zones if z.id == "t-square")
    km_per_degree = 108.3  # one degree of longitude at 13.5 S, WGS84
    assert square.inside_km == pytest.approx(0.8 * km_per_degree, rel=0.01)
    assert square.excepted_km == pytest.approx(0.2 * km_per_degree, rel=0.01)
    # Two stretches: the exception in between does not count as inside the zone.
    before, after = square.crossings
    assert before.enter_km == pytest.approx(0.5 * km_per_degree, rel=0.01)
    assert before.exit_km == pytest.approx(0.9 * km_per_degree, rel=0.01)
    assert after.enter_km == pytest.approx(1.1 * km_per_degree, rel=0.01)
    assert after.exit_km == pytest.approx(1.5 * km_per_degree, rel=0.01)
    assert result.verdict == "do_not_travel"


def test_a_long_straight_segment_cannot_skip_a_zone(tiny: RouteChecker) -> None:
    # Two vertices 500 km apart: the zone in between is still found, along the geodesic.
    route = Route((np.array([[-74.9, -13.5], [-70.1, -13.5]]),))
    result = tiny.check(route, date="2026-01-01")
    assert {"t-square", "t-holed"} <= {z.id for z in result.zones}
    assert result.vertices == 2 and result.length_km == pytest.approx(4.8 * 108.3, rel=0.01)


def test_unconfirmed_emergency_does_not_raise(tiny: RouteChecker) -> None:
    route = Route((np.array([[-71.5, -10.5], [-71.5, -12.5]]),))
    lapsed = tiny.check(route, date="2026-11-27")
    assert lapsed.verdict == "caution"
    assert any("not confirmed" in r for r in lapsed.reasons)
    assert tiny.check(route, date="2026-03-01").verdict == "reconsider"


def test_closest_approach_and_corridor(tiny: RouteChecker) -> None:
    route = Route((np.array([[-72.8, -13.9], [-72.8, -13.1]]),))
    result = tiny.check(route, date="2026-01-01")
    near = {a.id: a for a in result.near}
    assert near["t-square"].distance_km == pytest.approx(0.2 * 108.3, rel=0.02)
    assert result.verdict == "caution"
    wide = tiny.check(route, date="2026-01-01", corridor_km=30)
    assert wide.verdict == "do_not_travel"
    square = next(z for z in wide.zones if z.id == "t-square")
    assert square.within_corridor_km == pytest.approx(near["t-square"].distance_km)


def test_a_route_outside_coverage_says_so(tiny: RouteChecker) -> None:
    result = tiny.check(Route((np.array([[-78.0, -13.0], [-77.0, -12.0]]),)), date="2026-01-01")
    assert result.verdict == "not_covered" and result.max_level is None
    assert "nothing can be said" in result.reasons[0]


def test_densify_follows_the_geodesic() -> None:
    _, km = densify(np.array([[-75.0, -10.0], [-70.0, -15.0]]))
    assert np.diff(km).max() <= 1.0
    assert km[-1] == pytest.approx(780.5, rel=0.01)


def test_segment_lengths_agree_with_the_geodesic() -> None:
    # Oracle: pyproj's geodesic (Karney) on every segment, short ones measured by the local
    # metric included; across latitudes, the antimeridian and lengths from 0 to 3 degrees.
    rng = np.random.default_rng(3)
    n = 20_000
    lon1, lat1 = rng.uniform(-180, 180, n), rng.uniform(-85, 85, n)
    step = 10.0 ** rng.uniform(-7, 0.5, n)  # 1e-7 to 3 degrees
    angle = rng.uniform(0, 2 * np.pi, n)
    lon2 = (lon1 + step * np.cos(angle) + 180) % 360 - 180
    lat2 = np.clip(lat1 + step * np.sin(angle), -89.9, 89.9)
    ours = segment_metres(lon1, lat1, lon2, lat2)
    exact = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    assert np.all(np.abs(ours - exact) <= 1e-6 * exact + 1e-6)  # a micrometre per metre


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-75, -70), st.floats(-15, -10)), min_size=2, max_size=8),
)
def test_inside_km_never_exceeds_the_length(tiny: RouteChecker, points: list[tuple[float, float]]) -> None:
    result = tiny.check(Route((np.array(points),)), date="2026-03-01")
    for zone in result.zones:
        assert zone.inside_km + zone.excepted_km <= result.length_km + 0.01
        for crossing in zone.crossings:
            assert 0 <= crossing.enter_km <= crossing.exit_km + 1e-6 <= result.length_km + 0.01


def test_a_zone_of_a_text_not_yet_in_force_is_not_an_approach(client: Any) -> None:
    # Found by the API fuzzer: on a date before the U.S. text of 2025 (here the year 85), its
    # zones are not counted, and one within the corridor is not reported as close by either.
    route = {"type": "LineString", "coordinates": [[-75.2, -12.07], [-75.15, -12.02]]}
    answer = client.post("/v1/route?date=0085-04-12&corridor_km=100", json=route)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    ids = [z["id"] for z in answer.get_json()["zones"]]
    assert "us-some-areas" not in ids and "us-vraem" not in ids
    today = client.post("/v1/route?date=2026-12-20&corridor_km=100", json=route).get_json()
    assert "us-some-areas" in [z["id"] for z in today["zones"]]  # in force now: within the corridor
