"""The lookup engine on the hand-made pack (tests/data/tiny) and on the real Peru pack."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from geo.engine.coords import point
from geo.engine.index import ZoneIndex, default_index
from geo.errors import CoordinateError, InputFormatError

TINY = Path(__file__).parent / "data" / "tiny"
DAY = "2026-01-01"


@pytest.fixture(scope="module")
def tiny() -> ZoneIndex:
    return ZoneIndex.from_path(TINY)


def _ids(index: ZoneIndex, lon: float, lat: float, date: str = DAY) -> list[str]:
    return [z.id for z in index.check_point(lon=lon, lat=lat, date=date).zones]


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        pytest.param(-73.5, -13.2, True, id="interior"),
        pytest.param(-74.0, -13.5, True, id="on-edge"),
        pytest.param(-74.0, -14.0, True, id="on-vertex"),
        pytest.param(-74.000001, -13.5, False, id="just-outside"),
        pytest.param(-73.0, -13.0, True, id="far-corner"),
    ],
)
def test_boundary_counts_as_inside(tiny: ZoneIndex, lon: float, lat: float, inside: bool) -> None:
    assert ("t-square" in _ids(tiny, lon, lat)) is inside
    bits = tiny.classify([lon], [lat], date=DAY).zone_lists()[0]
    assert ("t-square" in bits.split(";")) is inside


def test_hole_is_outside_but_its_rim_is_inside(tiny: ZoneIndex) -> None:
    assert _ids(tiny, -71.5, -13.5) == []
    assert _ids(tiny, -71.7, -13.5) == ["t-holed"]
    assert _ids(tiny, -71.85, -13.5) == ["t-holed"]


def test_exception_stops_its_parent_raising_the_level(tiny: ZoneIndex) -> None:
    river = tiny.check_point(lon=-73.5, lat=-13.5, date=DAY)
    square = {z.id: z for z in river.zones}["t-square"]
    assert square.excepted and not square.raises_level
    assert river.level == 2
    land = tiny.check_point(lon=-73.8, lat=-13.5, date=DAY)
    assert land.level == 4 and not land.zones[0].excepted
    assert tiny.classify([-73.5, -73.8], [-13.5, -13.5], date=DAY).level.tolist() == [2, 4]


@pytest.mark.parametrize(
    ("zone", "lon", "date", "status", "level"),
    [
        ("t-expired", -73.5, "2019-12-31", "not_yet", 2),
        ("t-expired", -73.5, "2020-01-01", "in_force", 3),
        ("t-expired", -73.5, "2020-03-01", "in_force", 3),
        ("t-expired", -73.5, "2020-03-02", "expired", 2),
        ("t-renewed", -71.5, "2026-02-04", "not_yet", 2),
        ("t-renewed", -71.5, "2026-03-01", "in_force", 3),
        ("t-renewed", -71.5, "2026-11-27", "unconfirmed", 2),
    ],
)
def test_status_on_the_asked_date(
    tiny: ZoneIndex, zone: str, lon: float, date: str, status: str, level: int
) -> None:
    result = tiny.check_point(lon=lon, lat=-11.5, date=date)
    (hit,) = result.zones
    assert (hit.id, hit.status, result.level) == (zone, status, level)
    assert tiny.classify([lon], [-11.5], date=date).level[0] == level


def test_unconfirmed_says_since_when(tiny: ZoneIndex) -> None:
    (hit,) = tiny.check_point(lon=-71.5, lat=-11.5, date="2026-11-27").zones
    assert hit.status_text == ("in force until 2026-04-05; renewed since 2023; current status not confirmed")


def test_nearby_is_ordered_geodesic_and_within_radius(tiny: ZoneIndex) -> None:
    result = tiny.check_point(lon=-72.7, lat=-13.5, date=DAY, radius_km=100)
    assert [n.id for n in result.nearby] == ["t-square", "t-holed"]
    distances = [n.distance_km for n in result.nearby]
    assert distances == sorted(distances)
    geod = Geod(ellps="WGS84")
    for near, edge_lon in zip(result.nearby, (-73.0, -72.0), strict=True):
        _, _, metres = geod.inv(-72.7, -13.5, edge_lon, -13.5)
        assert near.distance_km == pytest.approx(metres / 1000, rel=0.005)
    assert result.nearby[0].bearing_deg == pytest.approx(270, abs=1)
    assert result.nearby[1].bearing_deg == pytest.approx(90, abs=1)
    short = tiny.check_point(lon=-72.7, lat=-13.5, date=DAY, radius_km=40)
    assert [n.id for n in short.nearby] == ["t-square"]


def test_nearby_skips_covering_zones_and_exceptions(tiny: ZoneIndex) -> None:
    result = tiny.check_point(lon=-73.8, lat=-13.5, date=DAY, radius_km=30)
    assert "t-square" not in [n.id for n in result.nearby]
    assert "t-river" not in [n.id for n in result.nearby]


def test_district_lookup(tiny: ZoneIndex) -> None:
    admin = tiny.check_point(lon=-74.5, lat=-12.5, date=DAY).admin
    assert admin is not None and (admin.ubigeo, admin.district) == ("010101", "West")
    east = tiny.check_point(lon=-71.0, lat=-12.5, date=DAY).admin
    assert east is not None and east.ubigeo == "010102"
    assert tiny.district_codes(np.array([-74.5, -71.0, -80.0]), np.array([-12.5] * 3)).tolist() == [
        "010101",
        "010102",
        "",
    ]


def test_uncovered_point_has_no_level(tiny: ZoneIndex) -> None:
    result = tiny.check_point(lon=-76.0, lat=-12.0, date=DAY)
    assert (result.covered, result.level, result.label, result.admin) == (False, None, None, None)
    assert tiny.classify([-76.0], [-12.0]).level.tolist() == [0]


def test_swapped_point_gets_a_hint(tiny: ZoneIndex) -> None:
    result = tiny.check_point(lon=-12.5, lat=-73.8, date=DAY)
    assert not result.covered
    assert result.hint is not None and "did you swap lat and lon?" in result.hint


@pytest.mark.parametrize(
    ("lon", "lat", "field", "fragment"),
    [
        (-73.8, 95, "lat", "lat must be between -90 and 90, got 95"),
        (-190, -12.5, "lon", "lon must be between -180 and 180"),
        (-73.8, "south", "lat", "lat 'south' is not a number"),
        ("nan", -12.5, "lon", "finite"),
        (-73.8, None, "lat", "lat is missing"),
        (True, -12.5, "lon", "not a number"),
    ],
)
def test_bad_coordinates_name_field_value_and_fix(
    tiny: ZoneIndex, lon: object, lat: object, field: str, fragment: str
) -> None:
    with pytest.raises(CoordinateError) as caught:
        tiny.check_point(lon=lon, lat=lat, date=DAY)
    assert caught.value.field == field
    assert fragment in str(caught.value)


def test_out_of_range_swap_hint() -> None:
    with pytest.raises(CoordinateError, match="did you swap lat and lon"):
        point(-12.5, 120.0, covered=lambda lon, lat: (lon, lat) == (120.0, -12.5))


@pytest.mark.parametrize("radius", [-1, 501, "far", float("nan")])
def test_bad_radius(tiny: ZoneIndex, radius: object) -> None:
    with pytest.raises(InputFormatError, match="radius_km") as caught:
        tiny.check_point(lon=-73.8, lat=-13.5, radius_km=radius)
    assert caught.value.field == "radius_km"


def test_bad_date(tiny: ZoneIndex) -> None:
    with pytest.raises(InputFormatError, match="YYYY-MM-DD") as caught:
        tiny.check_point(lon=-73.8, lat=-13.5, date="27/11/2026")
    assert caught.value.field == "date"


def test_classify_rejects_mismatched_arrays(tiny: ZoneIndex) -> None:
    with pytest.raises(InputFormatError, match="2 longitudes but 1 latitudes"):
        tiny.classify([1.0, 2.0], [1.0])


@pytest.mark.parametrize("index_name", ["tiny", "real"])
def test_vectorised_and_single_paths_agree(tiny: ZoneIndex, index_name: str) -> None:
    index = tiny if index_name == "tiny" else default_index()
    minx, miny, maxx, maxy = index.pack.coverage.bounds
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(minx - 0.5, maxx + 0.5, 400), rng.uniform(miny - 0.5, maxy + 0.5, 400)
    for date in ("2026-03-01", "2026-11-27"):
        batch = index.classify(lon, lat, date=date)
        zone_lists = batch.zone_lists()
        for i in range(len(lon)):
            single = index.check_point(lon=lon[i], lat=lat[i], date=date)
            assert (single.level or 0) == batch.level[i]
            assert single.covered == batch.covered[i]
            assert ";".join(z.id for z in single.zones) == zone_lists[i]


def test_real_pack_emergency_by_date() -> None:
    index = default_index()
    in_force = index.check_point(lon=-77.29639, lat=-8.27694, date="2026-03-01")
    lapsed = index.check_point(lon=-77.29639, lat=-8.27694, date="2026-11-27")
    assert in_force.level == 3
    assert lapsed.level == 2
    assert {z.id: z.status for z in lapsed.zones}["pe-emg-pataz"] == "unconfirmed"


def test_real_pack_amazon_exception() -> None:
    # The U.S. text of 2023 excepted the Amazon River itself (that of 2025 does not).
    result = default_index().check_point(lon=-69.95714, lat=-4.26066, date="2025-01-01")
    hits = {z.id: z for z in result.zones}
    assert hits["us-colombia-border"].excepted
    assert result.level == 2
    caballococha = default_index().check_point(lon=-70.51639, lat=-3.90583, date="2026-11-27")
    assert caballococha.level == 4


def test_real_pack_distances_match_a_brute_force_geodesic_minimum() -> None:
    """Nearby distances within 0.5 % of the minimum pyproj.Geod distance to a 50 m-densified
    boundary, for random points around the VRAEM."""
    import shapely

    index = default_index()
    vraem = index.pack.zone("us-vraem").geometry
    boundary = shapely.get_coordinates(shapely.segmentize(vraem.boundary, 0.0005))
    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(11)
    checked = 0
    for lon, lat in zip(rng.uniform(-75.6, -72.6, 200), rng.uniform(-14.0, -10.4, 200), strict=True):
        result = index.check_point(lon=lon, lat=lat, date=DAY, radius_km=60)
        near = {n.id: n for n in result.nearby}
        if "us-vraem" not in near:
            continue
        _, _, metres = geod.inv(
            np.full(len(boundary), lon), np.full(len(boundary), lat), boundary[:, 0], boundary[:, 1]
        )
        assert near["us-vraem"].distance_km == pytest.approx(metres.min() / 1000, rel=0.005, abs=0.01)
        checked += 1
    assert checked >= 20
