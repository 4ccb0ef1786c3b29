"""Routes and itineraries across Peru's borders (geo.trips.region_routes, the API).

Oracle for a route's level: point checks every few hundred metres along it, each in the country
that point lies in (``Region.check_point``, one point at a time), whose highest level must be the
route's; and the border crossings must lie where those points change country.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient

from geo.engine.region import Region, default_region
from geo.io.formats import Route
from geo.trips.region_routes import GAP_KM, RegionRoutes
from geo.trips.route import densify

#: Iquitos down the Amazon to Leticia's waterfront (Colombia), by Pebas and Caballococha. (The
#: town's GeoNames point, -69.9406 -4.2153, lies a few hundred metres inside Brazil on Natural
#: Earth's 1:10m line between the twin towns Leticia and Tabatinga: see the README.)
AMAZON = [(-73.25, -3.75), (-71.82, -3.32), (-70.52, -3.91), (-70.03, -4.25), (-69.952, -4.203)]
STEP_KM = 0.25
#: Puno by Yunguyo and the Kasani crossing to Copacabana, then by the Tiquina strait to La Paz.
TITICACA = [
    (-70.02, -15.84),
    (-69.09, -16.25),
    (-69.05, -16.26),
    (-69.086, -16.166),
    (-68.85, -16.22),
    (-68.15, -16.50),
]


@pytest.fixture(scope="module")
def region() -> Region:
    return default_region()


def _sampled(region: Region, coords: list[tuple[float, float]], day: str) -> tuple[int, list[str | None]]:
    points, _km = densify(np.array(coords, dtype=float), max_km=STEP_KM)
    checks = [region.check_point(lon=x, lat=y, date=day) for x, y in points]
    return max(c.level or 0 for c in checks), [c.country for c in checks]


def _changes(along: list[str | None], gap_km: float) -> list[tuple[str | None, str | None]]:
    """The changes of country along the samples, as the route check names them: a run outside
    every country between two is left out (one crossing when the two differ, none when they
    are the same country); at either end it counts when longer than ``gap_km``."""
    runs: list[list[Any]] = []
    for country in along:
        if runs and runs[-1][0] == country:
            runs[-1][1] += 1
        else:
            runs.append([country, 1])
    short = round(gap_km / STEP_KM)
    ends = [r for r in (runs[0], runs[-1]) if r[0] is None and r[1] > short]
    inner = [r[0] for r in runs if r[0] is not None]
    merged: list[str | None] = [c for i, c in enumerate(inner) if i == 0 or inner[i - 1] != c]
    if ends and ends[0] is runs[0]:
        merged.insert(0, None)
    if ends and ends[-1] is runs[-1]:
        merged.append(None)
    return list(itertools.pairwise(merged))


@pytest.mark.parametrize(
    ("coords", "day", "countries"),
    [
        (AMAZON, "2026-08-22", ("PER", "COL")),
        (TITICACA, "2026-08-17", ("PER", "BOL")),
        (TITICACA, "2026-08-22", ("PER", "BOL")),
    ],
)
def test_a_route_is_checked_in_every_country_it_crosses(
    region: Region, coords: list[tuple[float, float]], day: str, countries: tuple[str, ...]
) -> None:
    result = RegionRoutes(region).check(Route((np.array(coords),)), date=day)
    level, along = _sampled(region, coords, day)
    assert result.max_level == level
    assert result.countries == countries
    assert [(c.from_country, c.to_country) for c in result.border_crossings] == _changes(along, GAP_KM)
    for crossing in result.border_crossings:
        named = [r for r in result.reasons if f"km {crossing.km:.1f}" in r]
        assert named, result.reasons  # each crossing is named in the reasons


def test_the_la_paz_zone_counts_on_the_route_only_while_its_text_is_in_force(region: Region) -> None:
    # The U.S. text of 2026-06-04 named La Paz (level 3); the one of 2026-08-18 does not.
    routes = RegionRoutes(region)
    before = routes.check(Route((np.array(TITICACA),)), date="2026-08-17")
    after = routes.check(Route((np.array(TITICACA),)), date="2026-08-22")
    assert "us-la-paz" in {z.id for z in before.zones if z.raises_level}
    assert "us-la-paz" not in {z.id for z in after.zones if z.raises_level}
    assert before.max_level > after.max_level


def test_a_route_outside_every_country_is_not_covered(region: Region) -> None:
    result = RegionRoutes(region).check(
        Route((np.array([(-60.0, -27.0), (-59.0, -28.0)]),)), date="2026-08-22"
    )
    assert result.verdict == "not_covered" and result.max_level is None


def test_a_route_in_peru_alone_is_answered_as_before(region: Region) -> None:
    from geo.trips.route import RouteChecker

    route = Route((np.array([(-77.03, -12.05), (-76.0, -12.5), (-74.2, -13.16)]),))
    ours = RegionRoutes(region).check(route, date="2026-08-22")
    assert ours == RouteChecker(region.home).check(route, date="2026-08-22")
    assert ours.countries == () and ours.border_crossings == ()


def _trip(client: FlaskClient, document: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/itinerary", json=document)
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def test_an_itinerary_into_bolivia_answers_each_stop_in_its_country(
    client: FlaskClient, region: Region
) -> None:
    stops = [
        ("Lima", "2026-08-10"),
        ("Cusco", "2026-08-12"),
        ("Puno", "2026-08-15"),
        ("La Paz", "2026-08-17"),
        ("Uyuni", "2026-08-19"),
    ]
    body = _trip(
        client,
        {
            "stops": [{"place": name, "date": day} for name, day in stops],
            "legs": [{"mode": "flight"}, {"mode": "road"}, {"mode": "road"}, {"mode": "road"}],
        },
    )
    countries = [s["check"]["country"] for s in body["stops"]]
    assert countries == ["PER", "PER", "PER", "BOL", "BOL"]
    for stop in body["stops"]:  # each stop as the point check in its country gives it
        check = stop["check"]
        alone = region.check_point(lon=check["lon"], lat=check["lat"], date=stop["date"])
        assert (check["level"], alone.country) == (alone.level, check["country"]), stop["name"]
    # La Paz on 2026-08-17 is under the U.S. La Paz zone (level 3): the trip's verdict counts it.
    assert body["stops"][3]["check"]["level"] == 3
    assert body["max_level"] >= 3 and body["verdict"] in ("reconsider", "do_not_travel")
    road = body["legs"][2]  # Puno to La Paz, a straight line across the border
    assert road["route"]["countries"] == ["PER", "BOL"]
    assert any("Bolivia" in r for r in road["reasons"]), road["reasons"]


def test_a_stop_in_a_neighbour_takes_its_local_date(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from tests.clock import Clock

    # 03:30 UTC: already the 22nd in São Paulo (Brazil's pack), still the 21st in Lima.
    Clock(monkeypatch, dt.datetime(2026, 8, 22, 3, 30, tzinfo=dt.UTC))
    body = _trip(client, {"stops": [{"place": "Lima"}, {"lat": -23.55, "lon": -46.63, "name": "São Paulo"}]})
    assert [s["date"] for s in body["stops"]] == ["2026-08-21", "2026-08-22"]


def test_pack_lists_each_neighbours_areas_not_drawn(client: FlaskClient) -> None:
    body = client.get("/v1/pack").get_json()
    by_country = {p["country"]: p for p in body["countries"]}
    assert set(by_country) == {"COL", "ECU", "BOL", "BRA", "CHL"}
    brazil = {g["code"]: g for g in by_country["BRA"]["advisories"]}
    assert "us-favelas" in {n["id"] for n in brazil["us"]["not_drawn"]}
    assert all(n["why"] for g in brazil.values() for n in g["not_drawn"])
    assert body["country"] == "PER" and body["id"] == "pe"
