"""Itineraries: stops by name or coordinates with dates, legs by mode, place-name resolution."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo.engine.index import default_index
from geo.errors import InputFormatError, RiskzonesError
from geo.io.itineraries import parse_itinerary_csv
from geo.trips.gazetteer import AmbiguousPlaceError, Gazetteer
from geo.trips.itinerary import check_itinerary
from geo.trips.route import RouteChecker

ROUTES = Path(__file__).parent / "data" / "routes"


@pytest.fixture(scope="module")
def tools() -> tuple[Any, RouteChecker, Gazetteer]:
    index = default_index()
    return index, RouteChecker(index), Gazetteer.from_pack(index.pack)


def _trip(first_leg: dict[str, Any]) -> dict[str, Any]:
    return {
        "stops": [
            {"place": "Lima", "date": "2026-12-01"},
            {"place": "Cusco", "date": "2026-12-02"},
            {"place": "Puno", "date": "2026-12-06"},
            {"place": "Arequipa", "date": "2026-12-08"},
        ],
        "legs": [
            first_leg,
            {"mode": "road", "gpx": (ROUTES / "cusco-puno.gpx").read_text()},
            {"mode": "road", "gpx": (ROUTES / "puno-arequipa.gpx").read_text()},
        ],
    }


def test_lima_cusco_puno_arequipa_is_caution(tools: Any) -> None:
    result = check_itinerary(*tools, _trip({"mode": "flight"}))
    assert result.verdict == "caution" and not result.needs_review
    assert [leg.checked for leg in result.legs] == ["endpoints", "route", "route"]
    assert [s.place.department for s in result.stops if s.place] == ["Lima", "Cusco", "Puno", "Arequipa"]


def test_a_road_leg_without_geometry_is_checked_as_an_approximate_line(tools: Any) -> None:
    result = check_itinerary(*tools, _trip({"mode": "road"}))
    first = result.legs[0]
    assert first.approximate and first.checked == "straight_line"
    assert "us-vraem" in first.check_actual_route and first.verdict == "check_actual_route"
    assert result.needs_review and result.verdict == "caution"
    assert any("check the actual route" in r for r in result.reasons)


def test_each_stop_and_leg_carries_its_own_reasons_and_the_trip_names_them(tools: Any) -> None:
    trip = {
        "stops": [
            {"place": "Lima", "date": "2026-12-01"},
            {"place": "Pichari", "date": "2026-12-02"},
            {"place": "Cusco", "date": "2026-12-04"},
        ],
        "legs": [{"mode": "road"}, {"mode": "flight"}],
    }
    result = check_itinerary(*tools, trip)
    assert len(result.stop_reasons) == 3 and len(result.leg_reasons) == 2
    # Pichari lies in the VRAEM: its own reason says so, without the stop's label.
    assert any("level 4" in r for r in result.stop_reasons[1])
    assert not any(r.startswith("stop ") for r in result.stop_reasons[1])
    assert any("check the actual route" in r for r in result.leg_reasons[0])
    assert any("only its ends are checked" in r for r in result.leg_reasons[1])
    # The trip's reasons are exactly the items' own, each named by its stop or leg.
    named = [
        *(f"stop {i + 1} " for i, own in enumerate(result.stop_reasons) for _r in own),
        *(f"leg {i + 1} " for i, own in enumerate(result.leg_reasons) for _r in own),
    ]
    own = [*(r for o in result.stop_reasons for r in o), *(r for o in result.leg_reasons for r in o)]
    assert len(result.reasons) == len(own)
    for reason, prefix, text in zip(result.reasons, named, own, strict=True):
        assert reason.startswith(prefix) and reason.endswith(": " + text)


def test_each_stop_is_checked_on_its_own_date(tools: Any) -> None:
    trip = {
        "stops": [{"place": "Tayabamba", "date": "2026-03-01"}, {"place": "Tayabamba", "date": "2026-11-27"}]
    }
    result = check_itinerary(*tools, trip)
    assert [s.check.level for s in result.stops] == [3, 2]
    assert result.verdict == "reconsider"


def test_ambiguous_place_returns_candidates(tools: Any) -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        check_itinerary(*tools, {"stops": [{"place": "Santa Rosa"}]})
    candidates = caught.value.candidates
    assert len(candidates) > 5
    assert {"Ayacucho", "Lima", "Puno"} <= {c.department for c in candidates}
    assert all(c.province for c in candidates)
    assert caught.value.field == "stops[0].place"


def test_names_are_accent_and_case_insensitive_and_can_be_qualified(tools: Any) -> None:
    gazetteer = tools[2]
    assert gazetteer.resolve("TINGO MARIA").place.name == "Tingo María"
    assert gazetteer.resolve("Santa Rosa, La Mar").place.department == "Ayacucho"
    with pytest.raises(InputFormatError, match="no place called 'Atlantis'"):
        gazetteer.resolve("Atlantis")


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ({}, "stops"),
        ({"stops": []}, "at least one stop"),
        ({"stops": [{"place": "Lima"}], "legs": [{"mode": "road"}]}, "at most 0 legs"),
        ({"stops": [{"place": "Lima"}, {"place": "Cusco"}], "legs": [{"mode": "teleport"}]}, "teleport"),
        ({"stops": [{"lat": 95, "lon": -70}]}, "stops[0]: lat must be between"),
        ({"stops": [{"place": "Lima", "date": "soon"}]}, "stops[0].date"),
        (
            {"stops": [{"place": "Lima"}, {"place": "Cusco"}], "legs": [{"mode": "road", "gpx": "<gpx>"}]},
            "legs[0].gpx",
        ),
    ],
)
def test_bad_itineraries_name_the_item(tools: Any, document: dict[str, Any], fragment: str) -> None:
    with pytest.raises(RiskzonesError) as caught:
        check_itinerary(*tools, document)
    assert fragment in str(caught.value)


def test_csv_itinerary() -> None:
    document = parse_itinerary_csv("place,date,mode\nLima,2026-12-01,flight\nCusco,2026-12-02,\n")
    assert document == {
        "stops": [{"date": "2026-12-01", "place": "Lima"}, {"date": "2026-12-02", "place": "Cusco"}],
        "legs": [{"mode": "flight"}],
    }
