"""The Valhalla export against a real Valhalla (tests/valhalla.py): tiles built from a small
synthetic road network written with pyosmium, routed by ``valhalla_service`` on 127.0.0.1.

The network has two parts. Near Huanta, a motorway runs straight through a lobe of the VRAEM
(the U.S. level-4 zones) and a slower road goes round it. On the Amazon, a road runs inside
the UK's tri-border exception of its Colombian border area, and another leaves the exception
into the zone. Each route Valhalla returns is checked by riskzones' own route check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from flask.testing import FlaskClient
from shapely.geometry import LineString, Point, Polygon

from geo.engine.index import default_index
from geo.exports.avoid import avoid_areas
from geo.io.formats import parse_route
from geo.pack import ZonePack
from geo.trips.route import RouteChecker
from geo.trips.verdict import RouteResult
from tests import valhalla

DAY = "2026-11-27"
# Near Huanta: the motorway A-E-B crosses the VRAEM's lobe; A-S1-S2-B goes round it.
A, E, B = (-74.40, -13.00), (-74.10, -13.00), (-74.10, -13.12)
S1, S2 = (-74.40, -13.15), (-74.10, -13.15)
# On the Amazon: C-D inside the UK's tri-border exception; C-W leaves it into the zone.
C, D, W = (-70.51, -3.90), (-69.99, -4.30), (-70.70, -3.70)


def _line(a: tuple[float, float], b: tuple[float, float], steps: int = 20) -> list[tuple[float, float]]:
    return [
        (round(a[0] + (b[0] - a[0]) * k / steps, 6), round(a[1] + (b[1] - a[1]) * k / steps, 6))
        for k in range(steps + 1)
    ]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Valhalla's programs and the configuration of the network's tiles (default limits)."""
    programs = valhalla.programs()
    work = tmp_path_factory.mktemp("valhalla")
    pbf = work / "network.osm.pbf"
    valhalla.write_network(
        pbf,
        [
            ("motorway", _line(A, E)),
            ("motorway", _line(E, B, 8)),
            ("tertiary", _line(A, S1, 10)),
            ("tertiary", _line(S1, S2)),
            ("tertiary", _line(S2, B, 4)),
            ("primary", _line(C, D, 40)),
            ("primary", _line(C, W, 20)),
        ],
    )
    return programs, valhalla.build_tiles(programs, work, pbf)


@pytest.fixture(scope="module")
def checker() -> RouteChecker:
    return RouteChecker(default_index())


@pytest.fixture
def served(network: tuple[Path, Path]) -> Iterator[Any]:
    """A function starting valhalla_service with given service limits (default: Valhalla's)."""
    programs, config = network
    started: list[Any] = []

    def start(**limits: int) -> str:
        target = valhalla.with_limits(config, config.with_name(f"limits-{len(started)}.json"), **limits)
        context = valhalla.serve(programs, target)
        started.append(context)
        return context.__enter__()

    yield start
    for context in started:
        context.__exit__(None, None, None)


def _request(
    a: tuple[float, float], b: tuple[float, float], export: dict[str, Any] | None = None
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "locations": [{"lon": a[0], "lat": a[1]}, {"lon": b[0], "lat": b[1]}],
        "costing": "auto",
        "shape_format": "polyline6",
    }
    # The whole export, its "riskzones" facts included: Valhalla ignores keys it does not read.
    return {**request, **(export or {})}


def _checked(checker: RouteChecker, answer: dict[str, Any], advisory: str) -> RouteResult:
    shape = answer["trip"]["legs"][0]["shape"]
    route = parse_route(json.dumps({"polyline": shape, "precision": 6}), "polyline")
    return checker.check(route, date=DAY, advisory=advisory)


def _settings(export: dict[str, Any]) -> dict[str, int]:
    return dict(export["riskzones"]["valhalla_settings"]["service_limits"])


def _export(client: FlaskClient, **query: object) -> dict[str, Any]:
    """The Valhalla export as a user gets it: ``GET /v1/zones/avoid?format=valhalla``."""
    answer = client.get("/v1/zones/avoid", query_string={"format": "valhalla", "date": DAY, **query})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return dict(answer.get_json())


def test_the_network_crosses_the_zone_and_the_detour_does_not(pack: ZonePack, client: FlaskClient) -> None:
    # Preconditions on the pack, so that a change of the zones fails here, not obscurely below.
    export = _export(client, advisory="us")
    avoided = shapely.union_all([Polygon(ring) for ring in export["exclude_polygons"]])
    assert LineString([A, E]).intersects(pack.zone("us-vraem").geometry)
    assert not avoided.intersects(LineString([A, S1, S2, B]))
    uk = _export(client, advisory="uk", level_min=3)
    uk_avoided = shapely.union_all([Polygon(ring) for ring in uk["exclude_polygons"]])
    exception = pack.zone("uk-tri-border-exception").geometry
    assert exception.contains(LineString([C, D])) and not uk_avoided.intersects(LineString([C, D]))
    assert pack.zone("uk-colombia-border").geometry.contains(Point(W)) and uk_avoided.contains(Point(W))


def test_a_default_valhalla_refuses_the_export_as_the_export_says(client: FlaskClient, served: Any) -> None:
    export = _export(client, advisory="us")
    facts = export["riskzones"]
    assert facts["accepted_by_default"] is False
    assert facts["total_circumference_m"] > valhalla_default("max_exclude_polygons_length")
    base = served()
    status, answer = valhalla.route(base, _request(A, B, export))
    assert status == 400 and "exclude_polygons" in json.dumps(answer), answer


def valhalla_default(key: str) -> int:
    from geo.exports.avoid import VALHALLA_DEFAULTS

    return VALHALLA_DEFAULTS[key]


def test_with_the_stated_settings_valhalla_routes_around_the_zone(
    client: FlaskClient, served: Any, checker: RouteChecker
) -> None:
    export = _export(client, advisory="us")
    base = served(**_settings(export))  # exactly what the export says a server needs
    status, plain = valhalla.route(base, _request(A, B))
    assert status == 200, plain
    crossed = _checked(checker, plain, "us")
    assert "us-vraem" in {z.id for z in crossed.zones if z.inside_km > 0}
    assert crossed.verdict == "do_not_travel"

    status, avoiding = valhalla.route(base, _request(A, B, export))
    assert status == 200, avoiding
    around = _checked(checker, avoiding, "us")
    assert {z.id for z in around.zones if z.inside_km > 0 and z.level == 4} == set()
    assert around.verdict != "do_not_travel"
    assert avoiding["trip"]["summary"]["length"] > plain["trip"]["summary"]["length"]


def test_exceptions_stay_routable(client: FlaskClient, served: Any, checker: RouteChecker) -> None:
    export = _export(client, advisory="uk", level_min=3)
    base = served(**_settings(export))
    status, inside = valhalla.route(base, _request(C, D, export))
    assert status == 200, inside  # inside the exception: still routable
    checked = _checked(checker, inside, "uk")
    border = next(z for z in checked.zones if z.id == "uk-colombia-border")
    assert border.excepted_km > 0 and border.inside_km == 0 and not border.raises_level  # excepted all along
    status, into = valhalla.route(base, _request(C, W, export))
    assert status == 400, into  # into the zone beyond the exception: no route
    status, plain = valhalla.route(base, _request(C, W))
    assert status == 200, plain  # the same road without the export


@pytest.mark.parametrize("tolerance_km", [0.55, 2.0, 5.0, 20.0])
def test_simplification_stays_conservative(pack: ZonePack, tolerance_km: float) -> None:
    # Oracle: exact shapely. Every exported zone, minus the exceptions in force, lies inside
    # the exported rings, whatever the tolerance; coarser tolerances give fewer vertices.
    export = avoid_areas(default_index(), "valhalla", date=DAY, advisory="us", tolerance_km=tolerance_km)
    rings = shapely.union_all([Polygon(ring) for ring in export["exclude_polygons"]])
    for zone_id in ("us-vraem", "us-some-areas", "us-colombia-border"):
        assert shapely.difference(pack.zone(zone_id).geometry, rings).area < 1e-9, zone_id
    facts = export["riskzones"]
    assert facts["vertices"] == sum(len(ring) for ring in export["exclude_polygons"])
    assert facts["tolerance_km"] == tolerance_km


def test_coarser_tolerance_means_fewer_vertices_and_the_lengths_are_geodesic(pack: ZonePack) -> None:
    from pyproj import Geod

    counts = []
    for tolerance_km in (0.55, 2.0, 5.0, 20.0):
        export = avoid_areas(default_index(), "valhalla", date=DAY, advisory="us", tolerance_km=tolerance_km)
        counts.append(export["riskzones"]["vertices"])
        # Independent oracle: pyproj's inverse geodesic, segment by segment.
        geod = Geod(ellps="WGS84")
        for ring, stated in zip(
            export["exclude_polygons"], export["riskzones"]["circumference_m"], strict=True
        ):
            lons, lats = zip(*ring, strict=True)
            _, _, distances = geod.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
            assert abs(sum(distances) - stated) <= 1
    assert counts == sorted(counts, reverse=True) and counts[-1] < counts[0]


def test_the_api_offers_the_tolerance_and_refuses_a_bad_one(client: Any) -> None:
    answer = client.get(f"/v1/zones/avoid?format=valhalla&date={DAY}&tolerance_km=5").get_json()
    assert answer["riskzones"]["tolerance_km"] == 5.0
    refused = client.get(f"/v1/zones/avoid?format=valhalla&date={DAY}&tolerance_km=0")
    assert refused.status_code == 400 and refused.get_json()["field"] == "tolerance_km"
