"""The holes a review found: each is a case here (issue 11). Rules are tested, not today's data."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo import dates
from geo.engine.index import ZoneIndex, default_index
from geo.errors import PackError
from geo.io.formats import Route, parse_route
from geo.pack import load_pack
from geo.trips.route import RouteChecker, densify
from service import create_app
from service.cli import main
from tests.clock import Clock
from tests.conftest import assert_problem
from tests.packs import tiny_zone, write_tiny_pack
from tests.test_index import TINY

ROUTES = Path(__file__).parent / "data" / "routes"
DAY = "2026-11-27"
LIMA = (-77.02824, -12.04318)


@pytest.fixture(scope="module")
def checker() -> RouteChecker:
    return RouteChecker(default_index())


@pytest.fixture(scope="module")
def tiny_app() -> Flask:
    return create_app({"TESTING": True, "PACK": str(TINY)})


# Hostile documents -------------------------------------------------------------------------

_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)


def test_a_yaml_alias_bomb_is_refused_quickly(client: FlaskClient) -> None:
    assert len(_BOMB) < 1000
    response = client.post("/v1/itinerary", data=_BOMB, content_type="application/yaml")
    # Refused by the reader before any alias is expanded (bench/trust_figures.py times it).
    assert_problem(response, 400, "YAML aliases are not accepted")


def test_the_cli_refuses_the_same_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trip.yaml"
    path.write_text(_BOMB)
    assert main(["itinerary", str(path)]) == 2
    assert "YAML aliases are not accepted" in capsys.readouterr().err


@pytest.mark.parametrize(
    "leg",
    [{"mode": "road", "route": 5}, {"mode": "road", "gpx": {"a": 1}}, {"mode": "road", "polyline": [1]}],
)
def test_ill_typed_leg_routes_are_input_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], leg: dict[str, Any]
) -> None:
    path = tmp_path / "trip.json"
    path.write_text(
        json.dumps({"stops": [{"lat": -12.0, "lon": -77.0}, {"lat": -13.0, "lon": -76.0}], "legs": [leg]})
    )
    assert main(["itinerary", str(path)]) == 2
    assert "legs[0]" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"stops": [{"lat": -12.0, "lon": -77.0}], "legs": [{"mode": "boat"}]}, "legs[0].mode"),
        ({"stops": [{"lat": "-12", "lon": -77.0}]}, "stops[0].lat"),
        ({"stops": [{"lat": -12.0, "lon": -77.0, "date": None}]}, "stops[0].date"),
        ({"stops": []}, "stops"),
    ],
)
def test_an_ill_shaped_itinerary_is_refused_alike_by_api_and_cli(
    client: FlaskClient, tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, field: str
) -> None:
    assert assert_problem(client.post("/v1/itinerary", json=document), 400)["field"] == field
    path = tmp_path / "trip.json"
    path.write_text(json.dumps(document))
    assert main(["itinerary", str(path)]) == 2
    assert f"{field}: " in capsys.readouterr().err


# Time --------------------------------------------------------------------------------------


def test_today_is_the_date_in_lima(monkeypatch: pytest.MonkeyPatch) -> None:
    # 02:00 UTC on 6 April is still 5 April in Lima: the decree's last day has not ended.
    clock = Clock(monkeypatch, dt.datetime.fromisoformat("2026-04-06T02:00:00+00:00"))
    assert dates.today("America/Lima") == dt.date(2026, 4, 5)
    tiny = ZoneIndex.from_path(TINY)
    (renewed,) = tiny.check_point(lon=-71.5, lat=-11.5).zones
    assert renewed.status == "in_force"
    clock.now = dt.datetime.fromisoformat("2026-04-06T05:00:00+00:00")
    (renewed,) = tiny.check_point(lon=-71.5, lat=-11.5).zones
    assert renewed.status == "unconfirmed"


@pytest.mark.parametrize("value", ["2026-03-01T10:00", "20260301", "2026-W09-1", "2026-02-30", "tomorrow"])
def test_dates_must_be_yyyy_mm_dd(client: FlaskClient, value: str) -> None:
    body = assert_problem(client.get(f"/v1/check?lat=-12.5&lon=-73.8&date={value}"), 400, "YYYY-MM-DD")
    assert body["field"] == "date"


def test_a_yaml_date_and_time_is_refused_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trip.yaml"
    path.write_text("stops:\n  - {place: Lima, date: 2026-12-01 10:00}\n")
    assert main(["itinerary", str(path)]) == 2
    err = capsys.readouterr().err
    assert "stops[0].date" in err and "YYYY-MM-DD" in err and "Traceback" not in err
    # A datetime handed to the engine directly is refused the same way, never a TypeError.
    with pytest.raises(ValueError, match="not a date and time"):
        default_index().check_point(lon=-77.0, lat=-12.0, date=dt.datetime(2026, 12, 1, 10))


def test_a_bad_zone_date_refuses_the_pack(tmp_path: Path) -> None:
    write_tiny_pack(tmp_path / "p", [tiny_zone("z-bad", box(0, 0, 1, 1), valid_until="2026-13-01")])
    with pytest.raises(PackError, match=r"z-bad.*valid_until"):
        load_pack(tmp_path / "p")


def test_a_pack_without_a_time_zone_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "tiny"
    shutil.copytree(TINY, copy)
    meta = json.loads((copy / "pack.json").read_text())
    del meta["timezone"]
    (copy / "pack.json").write_text(json.dumps(meta))
    with pytest.raises(PackError, match="timezone"):
        load_pack(copy)


# Caching -----------------------------------------------------------------------------------


def test_zone_status_is_revalidated_across_midnight(tiny_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = tiny_app.test_client()
    clock = Clock(monkeypatch, dt.datetime.fromisoformat("2026-04-05T23:30:00-05:00"))
    first = client.get("/v1/zones/t-renewed")
    assert first.get_json()["properties"]["status"] == "in_force"
    assert 0 < first.cache_control.max_age <= 30 * 60
    etag = first.headers["ETag"]
    assert client.get("/v1/zones/t-renewed", headers={"If-None-Match": etag}).status_code == 304
    clock.now = dt.datetime.fromisoformat("2026-04-06T00:30:00-05:00")
    after = client.get("/v1/zones/t-renewed", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert after.get_json()["properties"]["status"] == "unconfirmed"
    # With an explicit date the answer does not change at midnight and may be kept an hour.
    dated = client.get("/v1/zones/t-renewed?date=2026-04-05")
    assert dated.cache_control.max_age == 3600


# One rule for levels and exceptions ---------------------------------------------------------


@pytest.mark.parametrize("day", ["2025-01-01", DAY], ids=["2023-text-with-exception", "2025-text"])
def test_boat_inside_the_exception_lists_no_crossing_of_the_parent(checker: RouteChecker, day: str) -> None:
    route = parse_route((ROUTES / "iquitos-santa-rosa.gpx").read_bytes(), "gpx")
    result = checker.check(route, date=day)
    index = default_index()
    excepted = [z for z in result.zones if z.kind == "zone" and z.excepted_km]
    if day < "2025-05-16":
        # The 2023 U.S. text excepts the Amazon: the boat never counts inside the border zone.
        assert [z.id for z in excepted] == ["us-colombia-border"]
    for zone in excepted:
        assert not zone.raises_level and zone.crossings == () and zone.inside_km == 0
    # The route's level is the highest the point check gives along it.
    coords = route.parts[0]
    sample = coords[:: max(len(coords) // 200, 1)]
    levels = {index.check_point(lon=x, lat=y, date=day).level for x, y in sample} - {None}
    assert result.max_level == max(levels)


def test_an_exception_leaving_its_parent_refuses_the_pack(tmp_path: Path) -> None:
    zones = [
        tiny_zone("z-parent", box(0, 0, 2, 2)),
        tiny_zone("z-river", box(0.9, -1, 1.1, 3), kind="exception", parent="z-parent", level=2),
    ]
    write_tiny_pack(tmp_path / "p", zones)
    with pytest.raises(PackError, match=r"z-river.*beyond its parent"):
        load_pack(tmp_path / "p")


def test_an_exception_counts_only_while_in_force(tmp_path: Path) -> None:
    zones = [
        tiny_zone("z-parent", box(0, 0, 2, 2)),
        tiny_zone(
            "z-river",
            box(0.9, 0, 1.1, 2),
            kind="exception",
            parent="z-parent",
            level=2,
            valid_until="2025-05-15",
        ),
    ]
    index = ZoneIndex(load_pack(write_tiny_pack(tmp_path / "p", zones)), cell_deg=0.05)
    routes = RouteChecker(index)
    river = Route((np.array([[1.0, -0.5], [1.0, 2.5]]),))
    for day, level in (("2025-01-01", 2), ("2026-01-01", 4)):
        assert index.check_point(lon=1.0, lat=1.0, date=day).level == level
        assert index.classify([1.0], [1.0], date=day).level.tolist() == [level]
        assert routes.check(river, date=day).max_level == level
    (parent,) = [z for z in routes.check(river, date="2025-01-01").zones if z.id == "z-parent"]
    assert parent.inside_km == 0 and parent.excepted_km > 200 and parent.crossings == ()


# One distance rule --------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    st.floats(-80.5, -69.5),
    st.floats(-17.5, -1.0),
    st.lists(st.tuples(st.floats(-0.3, 0.3), st.floats(-0.3, 0.3)), min_size=1, max_size=4),
)
def test_route_distances_are_the_point_checks(
    lon: float, lat: float, steps: list[tuple[float, float]]
) -> None:
    index = default_index()
    checker = RouteChecker(index)
    vertices = np.cumsum(np.array([(lon, lat), *steps]), axis=0)
    result = checker.check(Route((vertices,)), date=DAY, corridor_km=0)
    crossed = {z.id for z in result.zones}
    dense, _ = densify(vertices)
    brute: dict[str, float] = {}
    for x, y in dense:
        for near in index.check_point(lon=x, lat=y, date=DAY, radius_km=25).nearby:
            brute[near.id] = min(brute.get(near.id, np.inf), near.distance_km)
    for approach in result.near:
        at = index.check_point(
            lon=approach.route_point[0], lat=approach.route_point[1], date=DAY, radius_km=25
        )
        (same,) = [n for n in at.nearby if n.id == approach.id]
        # Equal up to the rounding of the answer (route_point to 1e-6 degrees, km to 1 m).
        assert approach.distance_km == pytest.approx(same.distance_km, abs=0.0015)
        assert approach.distance_km == pytest.approx(brute[approach.id], rel=0.005)
    for zone_id, km in brute.items():
        if zone_id not in crossed:
            assert any(a.id == zone_id for a in result.near), (zone_id, km)


def test_the_corridor_far_south_uses_the_local_scale(tmp_path: Path) -> None:
    # A zone 98 km east of a route at latitude -18: inside a 100 km corridor.
    km_per_degree = 111.320 * np.cos(np.radians(18)) * 1.0
    west = -70.0 + 98.0 / km_per_degree
    zones = [tiny_zone("z-east", box(west, -19, west + 1, -17))]
    index = ZoneIndex(
        load_pack(write_tiny_pack(tmp_path / "p", zones, coverage=box(-75, -25, -60, -5))), cell_deg=0.05
    )
    route = Route((np.array([[-70.0, -18.5], [-70.0, -17.5]]),))
    result = RouteChecker(index).check(route, date=DAY, corridor_km=100)
    (zone,) = result.zones
    assert zone.id == "z-east" and zone.within_corridor_km == pytest.approx(98, rel=0.005)
    assert result.max_level == 4


# Degenerate routes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "vertices",
    [[LIMA], [LIMA, LIMA], [LIMA, LIMA, LIMA, (LIMA[0] + 0.01, LIMA[1])]],
    ids=["one-vertex", "two-equal", "repeated"],
)
def test_degenerate_routes_agree_with_the_point_check(checker: RouteChecker, vertices: list[Any]) -> None:
    result = checker.check(Route((np.array(vertices, dtype=float),)), date=DAY)
    point = default_index().check_point(lon=LIMA[0], lat=LIMA[1], date=DAY)
    assert result.verdict == "caution" and result.max_level == point.level == 2


def test_one_vertex_inside_a_zone_is_that_zone(checker: RouteChecker) -> None:
    result = checker.check(Route((np.array([[-73.8, -12.5]]),)), date=DAY)
    assert result.max_level == 4 and "us-vraem" in [z.id for z in result.zones if z.raises_level]


def test_touching_crossing_twice_and_parts(tmp_path: Path) -> None:
    index = ZoneIndex(
        load_pack(write_tiny_pack(tmp_path / "p", [tiny_zone("z", box(0, 0, 1, 1))])), cell_deg=0.05
    )
    routes = RouteChecker(index)
    # Touches the corner only: on the boundary is inside (covers), as for the point check.
    touch = routes.check(Route((np.array([[1.5, 1.5], [1.0, 1.0], [1.5, 0.5]]),)), date=DAY)
    assert index.check_point(lon=1.0, lat=1.0, date=DAY).level == 4
    (zone,) = touch.zones
    assert zone.raises_level and zone.inside_km == 0 and touch.max_level == 4
    # In, out, in again: two crossings.
    twice = routes.check(
        Route((np.array([[-0.5, 0.5], [0.5, 0.5], [0.5, 1.5], [0.7, 1.5], [0.7, 0.5]]),)), date=DAY
    )
    (zone,) = twice.zones
    assert len(zone.crossings) == 2
    # Two parts of a MultiLineString through the same zone: one entry, one crossing each.
    parts = routes.check(
        Route((np.array([[-0.5, 0.2], [1.5, 0.2]]), np.array([[-0.5, 0.8], [1.5, 0.8]]))), date=DAY
    )
    (zone,) = parts.zones
    assert len(zone.crossings) == 2
    assert zone.inside_km == pytest.approx(sum(c.inside_km for c in zone.crossings), abs=0.01)


# State built once --------------------------------------------------------------------------


def test_a_corrupt_gazetteer_stops_start_up(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(Path(default_index().pack.path), copy)
    (copy / "gazetteer.json").write_text('{"places": [["x"]]}')
    with pytest.raises(PackError, match="gazetteer"):
        create_app({"TESTING": True, "PACK": str(copy)})


# One contract ------------------------------------------------------------------------------


def _cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    main([*argv, "--json"])
    return json.loads(capsys.readouterr().out)


def test_cli_and_api_give_the_same_json(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    api = client.get(f"/v1/check?lat=-12.5&lon=-73.8&date={DAY}").get_json()
    assert _cli_json(capsys, "check", "-12.5", "-73.8", "--date", DAY) == api
    gpx = ROUTES / "ayacucho-pichari.gpx"
    api = client.post(f"/v1/route?date={DAY}", data=gpx.read_bytes(), content_type="application/gpx+xml")
    assert _cli_json(capsys, "route", str(gpx), "--date", DAY) == api.get_json()
    trip = {
        "stops": [{"place": "Lima", "date": DAY}, {"place": "Cusco", "date": DAY}],
        "legs": [{"mode": "flight"}],
    }
    path = tmp_path / "trip.json"
    path.write_text(json.dumps(trip))
    api = client.post("/v1/itinerary", json=trip).get_json()
    assert _cli_json(capsys, "itinerary", str(path)) == api


# Any number of zones -----------------------------------------------------------------------


def test_a_pack_of_500_zones_classifies_by_the_rule(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    zones = []
    for k in range(500):
        cx, cy, r = rng.uniform(-8, 8), rng.uniform(-8, 8), rng.uniform(0.1, 1.5)
        zones.append(
            tiny_zone(
                f"z{k:03d}",
                box(cx - r, cy - r, cx + r, cy + r),
                level=int(rng.integers(1, 5)),
                valid_until="2025-01-01" if k % 7 == 0 else None,
            )
        )
    index = ZoneIndex(load_pack(write_tiny_pack(tmp_path / "p", zones)), cell_deg=0.05)
    x, y = rng.uniform(-11, 11, 20_000), rng.uniform(-11, 11, 20_000)
    result = index.classify(x, y, date=DAY)
    geometries = [shapely.from_geojson(json.dumps(shapely.geometry.mapping(z.geometry))) for z in index.zones]
    inside = np.column_stack([shapely.intersects_xy(g, x, y) for g in geometries])
    covered = shapely.intersects_xy(box(-10, -10, 10, 10), x, y) | inside.any(axis=1)
    active = np.array([z.valid_until is None for z in index.zones])
    levels = np.array([z.level for z in index.zones])
    expected = np.where(covered, np.maximum(2, np.where(inside & active, levels, 0).max(axis=1)), 0)
    assert result.level.tolist() == expected.tolist()
    ids = np.array([z.id for z in index.zones])
    lists = result.zone_lists()
    for k in range(0, len(x), 97):
        assert lists[k] == ";".join(ids[inside[k]])
