"""States of emergency from the decree ledger, what changed between packs, and night travel."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import box

from geo.build.emergencies import CHAINS, _period
from geo.build.sources import Row
from geo.engine.index import default_index
from geo.errors import InputFormatError, PackError
from geo.pack import ZonePack, load_pack
from geo.pack.changes import diff_packs
from geo.pack.status import status_on, status_text
from geo.trips.gazetteer import Gazetteer
from geo.trips.itinerary import check_itinerary
from geo.trips.night import is_night, rules_on
from geo.trips.route import RouteChecker
from service.cli import main
from tests.packs import tiny_zone, write_tiny_pack

LIMA = (-77.0428, -12.0464)
LEDGER = Path("decrees/pe-emg-lima-callao.csv")


def _ledger(sources: Path) -> list[dict[str, str]]:
    """Every decree of every chain file (``decrees/<chain>.csv``)."""
    rows: list[dict[str, str]] = []
    for chain in CHAINS:
        with (sources / "decrees" / f"{chain.id}.csv").open(encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# The ledger ------------------------------------------------------------------------------


def test_every_dated_decree_of_a_drawn_chain_is_a_period_of_its_zone(pack: ZonePack, sources: Path) -> None:
    """Oracle: the ledger's own start and end columns."""
    by_decree = {(p.decree, p.start, p.end) for z in pack.zones for p in z.periods}
    for row in _ledger(sources):
        if row["ubigeos"] and row["start"] and row["end"]:
            assert (row["decree"], _day(row["start"]), _day(row["end"])) in by_decree, row["decree"]


def test_chains_without_districts_are_listed_as_not_drawn(pack: ZonePack, sources: Path) -> None:
    undrawn = {row["decree"] for row in _ledger(sources) if not row["ubigeos"]}
    assert undrawn and {entry["decree"] for entry in pack.not_drawn} == undrawn
    assert all(entry["why"] for entry in pack.not_drawn)


def test_every_emergency_zone_is_level_3_from_peru_with_sources(pack: ZonePack) -> None:
    emergencies = [z for z in pack.zones if z.periods]
    assert {c.id for c in CHAINS} & {z.id for z in emergencies}
    for zone in emergencies:
        assert zone.level == 3 and zone.source == "pe" and zone.sources
        assert zone.valid_from == zone.periods[0].start
        assert zone.valid_until == max(p.end for p in zone.periods)


def test_lima_inside_and_outside_a_lima_callao_period() -> None:
    index = default_index()
    zone = index.pack.zone("pe-emg-lima-callao")
    periods = zone.periods
    inside = periods[-1].start + (periods[-1].end - periods[-1].start) / 2
    gaps = [
        a.end + dt.timedelta(days=1)
        for a, b in itertools.pairwise(periods)
        if b.start > a.end + dt.timedelta(days=1)
    ]
    # In force: the zone raises Lima to level 3.
    during = index.check_point(lon=LIMA[0], lat=LIMA[1], date=inside)
    assert during.level == 3
    assert {z.id: (z.status, z.raises_level) for z in during.zones}["pe-emg-lima-callao"] == (
        "in_force",
        True,
    )
    # A known period on a fixed date, read from the ledger: DS 124-2025-PCM, 2025-10-22 to 2025-11-20.
    assert index.check_point(lon=LIMA[0], lat=LIMA[1], date="2025-11-01").level == 3
    # Outside every period: shown with its status, never raising the level.
    for day in [*gaps, periods[-1].end + dt.timedelta(days=1), periods[0].start - dt.timedelta(days=1)]:
        answer = index.check_point(lon=LIMA[0], lat=LIMA[1], date=day)
        statuses = {z.id: z for z in answer.zones}
        assert answer.level == index.pack.baseline.level, day
        if "pe-emg-lima-callao" in statuses:
            assert statuses["pe-emg-lima-callao"].status != "in_force"
    assert status_on(zone, periods[-1].end + dt.timedelta(days=1)) == "unconfirmed"
    assert periods[-1].decree in status_text(zone, "unconfirmed")


def test_a_gap_reads_expired_only_when_every_decree_is_dated(tmp_path: Path) -> None:
    periods = [
        {"start": "2026-01-01", "end": "2026-01-30", "decree": "DS 1"},
        {"start": "2026-03-01", "end": "2026-03-30", "decree": "DS 2"},
    ]
    write_tiny_pack(
        tmp_path / "p",
        [
            tiny_zone("z-all", box(0, 0, 1, 1), periods=periods, level=3),
            tiny_zone("z-some", box(2, 2, 3, 3), periods=periods, level=3, periods_complete=False),
            tiny_zone(
                "z-extended",
                box(4, 4, 5, 5),
                periods=[periods[0], {**periods[1], "kind": "extension"}],
                level=3,
            ),
        ],
    )
    pack = load_pack(tmp_path / "p")
    zones = pack.zone("z-all"), pack.zone("z-some"), pack.zone("z-extended")
    expected = {
        "2025-12-31": ("not_yet",) * 3,
        "2026-01-01": ("in_force",) * 3,
        "2026-01-30": ("in_force",) * 3,
        # Between periods: lapsed only when every decree is dated and the next one declares
        # the emergency anew; an extension extends something, so decrees are missing.
        "2026-02-15": ("expired", "unconfirmed", "unconfirmed"),
        "2026-03-30": ("in_force",) * 3,
        "2026-03-31": ("unconfirmed",) * 3,
    }
    for day, statuses in expected.items():
        assert tuple(status_on(zone, _day(day)) for zone in zones) == statuses, day


def test_periods_out_of_order_refuse_the_pack(tmp_path: Path) -> None:
    periods = [
        {"start": "2026-03-01", "end": "2026-03-30", "decree": "DS 2"},
        {"start": "2026-01-01", "end": "2026-01-30", "decree": "DS 1"},
    ]
    write_tiny_pack(tmp_path / "p", [tiny_zone("z-bad", box(0, 0, 1, 1), periods=periods)])
    with pytest.raises(PackError, match=r"z-bad.*out of order"):
        load_pack(tmp_path / "p")


def _row(**values: str) -> Row:
    base = dict.fromkeys(
        (
            "decree",
            "kind",
            "published",
            "start",
            "days",
            "end",
            "stated_end",
            "seen_in_force",
            "flags",
            "notes",
        ),
        "",
    )
    return Row(2, {**base, "decree": "DS x", "confidence": "press-reported", **values})


@pytest.mark.parametrize(
    ("values", "previous_end", "next_start", "expected"),
    [
        # The ledger's own dates win.
        (
            {"kind": "extension", "start": "2026-01-10", "end": "2026-02-08"},
            "2026-01-05",
            None,
            ("2026-01-10", "2026-02-08"),
        ),
        # An extension follows its predecessor; it ends the day before the next extension.
        ({"kind": "extension", "days": "60"}, "2025-12-04", "2026-02-05", ("2025-12-05", "2026-02-04")),
        # An end a source states (stated_end), with no start: counted back from the end.
        (
            {
                "kind": "declaration",
                "days": "30",
                "stated_end": "2025-05-17",
            },
            None,
            None,
            ("2025-04-18", "2025-05-17"),
        ),
        # Only the publication day and a length.
        (
            {"kind": "declaration", "published": "2026-02-28", "days": "30"},
            None,
            None,
            ("2026-02-28", "2026-03-29"),
        ),
        # A month and a length: not placed.
        ({"kind": "declaration", "published": "2025-12", "days": "60"}, None, None, (None, None)),
    ],
)
def test_undated_decrees_are_placed_by_the_stated_rules(
    values: dict[str, str], previous_end: str | None, next_start: str | None, expected: tuple[Any, Any]
) -> None:
    period = _period(
        LEDGER,
        _row(**values),
        _day(previous_end) if previous_end else None,
        _day(next_start) if next_start else None,
    )
    assert (period["start"], period["end"]) == expected
    # Every date not read from the ledger's own columns says how it was placed.
    assert bool(period["placed"]) == (period["start"] is not None and not values.get("start"))


# What changed ------------------------------------------------------------------------------


def _two_packs(tmp_path: Path) -> tuple[Path, Path]:
    old = write_tiny_pack(
        tmp_path / "old",
        [
            tiny_zone("z-a", box(0, 0, 1, 1), level=3),
            tiny_zone("z-b", box(2, 2, 3, 3)),
            tiny_zone("z-c", box(4, 4, 5, 5)),
        ],
    )
    new = write_tiny_pack(
        tmp_path / "new",
        [
            tiny_zone("z-a", box(0, 0, 1, 1), level=4, valid_until="2026-12-31"),
            tiny_zone("z-b", box(2, 2, 3.5, 3)),
            tiny_zone("z-d", box(6, 6, 7, 7), level=2),
        ],
    )
    return old, new


def test_zones_diff_lists_added_removed_and_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _two_packs(tmp_path)
    diff = diff_packs(load_pack(old), load_pack(new))
    assert [f["id"] for f in diff.added] == ["z-d"] and [f["id"] for f in diff.removed] == ["z-c"]
    changed = {c.id: c.fields for c in diff.changed}
    assert changed["z-a"]["level"] == (3, 4) and changed["z-a"]["valid_until"] == (None, "2026-12-31")
    old_km2, new_km2 = changed["z-b"]["area_km2"]
    assert new_km2 == pytest.approx(old_km2 * 1.5, rel=0.01)  # half a degree more of the same band
    assert main(["zones", "diff", str(old), str(new), "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert {k: printed[k] for k in diff.as_json()} == diff.as_json()
    # Added, removed, re-levelled and reshaped zones answer differently on every day.
    assert printed["days"] == [{"from": None, "until": None, "zones": ["z-a", "z-b", "z-c", "z-d"]}]
    assert main(["zones", "diff", str(old), str(old)]) == 0
    assert "no zone added, removed or changed" in capsys.readouterr().out
    assert main(["zones", "diff", str(old), str(tmp_path / "nowhere")]) == 2


def test_zones_diff_names_the_files_that_changed_when_no_zone_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zones = [tiny_zone("z-a", box(0, 0, 1, 1))]
    old = write_tiny_pack(tmp_path / "old", zones)
    new = write_tiny_pack(tmp_path / "new", zones, coverage=box(-11, -10, 10, 10))
    diff = diff_packs(load_pack(old), load_pack(new))
    assert diff.files == ("coverage.geojson", "districts.geojson") and not diff.empty
    assert main(["zones", "diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "files changed: coverage.geojson, districts.geojson" in out
    assert "no zone added, removed or changed" in out


def test_zones_diff_names_the_days_on_which_answers_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def period(end: str) -> dict[str, Any]:
        return {"decree": "DS 1", "kind": "declaration", "start": "2026-01-01", "end": end, "placed": []}

    common = {"level": 3, "valid_from": "2026-01-01"}
    old = write_tiny_pack(
        tmp_path / "old",
        [
            tiny_zone(
                "z-e", box(0, 0, 1, 1), **common, valid_until="2026-01-31", periods=[period("2026-01-31")]
            )
        ],
    )
    new = write_tiny_pack(
        tmp_path / "new",
        [
            tiny_zone(
                "z-e", box(0, 0, 1, 1), **common, valid_until="2026-02-01", periods=[period("2026-02-01")]
            )
        ],
    )
    assert main(["zones", "diff", str(old), str(new), "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    # One more day in force: the answers differ on that day only (unconfirmed before, in force now).
    assert printed["days"] == [{"from": "2026-02-01", "until": "2026-02-01", "zones": ["z-e"]}]
    assert printed["places"] == []  # the tiny packs name no places
    assert main(["zones", "diff", str(old), str(new)]) == 1
    assert "2026-02-01 .. 2026-02-01: z-e" in capsys.readouterr().out


def test_the_build_carries_a_change_log_into_the_pack(pack: ZonePack) -> None:
    assert pack.changelog, "a rebuilt pack records what changed"
    newest = pack.changelog[0]
    assert newest["new_version"] == pack.version and {"added", "removed", "changed"} <= set(newest)


def test_pack_endpoint_shows_versions_sources_and_change_log(client: Any) -> None:
    body = client.get("/v1/pack").get_json()
    assert {g["code"] for g in body["advisories"]} == {"us", "uk", "ca", "au"}
    us = next(g for g in body["advisories"] if g["code"] == "us")
    assert us["as_of"] == max(v["version"] for v in us["versions"])
    assert {c["source"] for c in body["currency"]} >= {"us", "pe", "research"}
    assert body["changelog"] and body["emergencies_not_drawn"]


# Night travel ------------------------------------------------------------------------------


def _trip(
    depart: str | None = None, arrive: str | None = None, mode: str = "road", **ends: Any
) -> dict[str, Any]:
    leg: dict[str, Any] = {"mode": mode}
    if depart:
        leg["depart"] = depart
    if arrive:
        leg["arrive"] = arrive
    origin = ends.get("origin", {"place": "Ayacucho"})
    destination = ends.get("destination", {"place": "Huanta", "department": "Ayacucho"})
    return {"stops": [{**origin, "date": "2026-12-01"}, {**destination, "date": "2026-12-01"}], "legs": [leg]}


@pytest.fixture(scope="module")
def trip_parts() -> tuple[Any, RouteChecker, Gazetteer]:
    index = default_index()
    return index, RouteChecker(index), Gazetteer.from_pack(index.pack)


def test_night_is_between_sunset_and_sunrise_at_the_place() -> None:
    lima = dt.timezone(dt.timedelta(hours=-5))
    noon = dt.datetime(2026, 12, 1, 12, 0, tzinfo=lima)
    night, sunrise, sunset = is_night(-74.22, -13.16, noon)
    assert not night and sunrise < noon < sunset
    assert is_night(-74.22, -13.16, sunset)[0] and not is_night(-74.22, -13.16, sunrise)[0]
    assert is_night(-74.22, -13.16, sunrise - dt.timedelta(minutes=1))[0]
    # Near the equator the day lasts about 12 hours all year.
    assert abs((sunset - sunrise) - dt.timedelta(hours=12)) < dt.timedelta(hours=1)


def test_a_road_leg_at_night_gets_the_us_rule_as_a_caution(trip_parts: Any) -> None:
    index, routes, gazetteer = trip_parts
    day_trip = check_itinerary(index, routes, gazetteer, _trip("09:00", "11:30"))
    night_trip = check_itinerary(index, routes, gazetteer, _trip("21:30", "00:30"))
    assert day_trip.legs[0].night is None
    night = night_trip.legs[0].night
    assert night is not None and night.at_night == ("depart", "arrive") and night.approximate
    assert night.arrive.startswith("2026-12-02T00:30")  # past midnight: the next day
    assert {r.rule for r in night.rules} >= {"prohibited", "allowed"}
    assert all(r.government == "us" for r in night.rules)
    assert night.allowed_on == ()  # Ayacucho-Huanta is on no allowed corridor
    assert any("at night" in reason for reason in night_trip.reasons)
    assert night_trip.max_level == day_trip.max_level  # a caution, not a new level
    flight = check_itinerary(index, routes, gazetteer, _trip("21:30", "22:30", mode="flight"))
    assert flight.legs[0].night is None


def test_allowed_corridors_are_judged_from_the_end_points(trip_parts: Any) -> None:
    index, routes, gazetteer = trip_parts
    coast = _trip(
        "22:00", "01:00", origin={"place": "Lima"}, destination={"place": "Huacho", "department": "Lima"}
    )
    night = check_itinerary(index, routes, gazetteer, coast).legs[0].night
    assert night is not None and "Lima-Huacho" in night.allowed_on
    assert "Pan-American Highway (commercial bus)" in night.allowed_on
    across = _trip("22:00", origin={"lat": -12.06, "lon": -77.03}, destination={"lat": -12.1, "lon": -77.0})
    assert "within cities" in check_itinerary(index, routes, gazetteer, across).legs[0].night.allowed_on


def test_rules_in_force_follow_the_text_of_the_day(pack: ZonePack) -> None:
    before = rules_on(pack, _day("2024-01-01"))
    after = rules_on(pack, _day("2026-01-01"))
    assert before and all(r.version <= _day("2024-01-01") for r in before)
    assert {r.rule for r in after} >= {"prohibited", "allowed"} and len(after) > len(before)


@pytest.mark.parametrize("value", ["9pm", "25:00", "2026-12-01T21:30", 2130])
def test_a_bad_time_is_refused_by_field(trip_parts: Any, value: Any) -> None:
    index, routes, gazetteer = trip_parts
    trip = _trip()
    trip["legs"][0]["depart"] = value
    with pytest.raises(InputFormatError) as caught:
        check_itinerary(index, routes, gazetteer, trip)
    assert caught.value.field == "legs[0].depart"


def test_night_travel_through_the_api_and_cli_is_the_same(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trip = _trip("21:30", "00:30")
    api = client.post("/v1/itinerary", json=trip)
    assert api.status_code == 200, api.get_data(as_text=True)
    path = tmp_path / "trip.json"
    path.write_text(json.dumps(trip))
    main(["itinerary", str(path), "--json"])
    cli = json.loads(capsys.readouterr().out)
    assert api.get_json()["legs"][0]["night"] == cli["legs"][0]["night"]
    assert api.get_json()["legs"][0]["night"]["at_night"] == ["depart", "arrive"]
