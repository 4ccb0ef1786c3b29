"""The offline bundle the map checks points from on the device (geo.exports.offline): what the
engine decides, given to the browser as timelines that must give the engine's answer on any
day; and the third-party code it runs, pinned by checksum."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from geo.engine.index import default_index
from geo.errors import InputFormatError
from geo.exports.offline import bundle, status_timeline
from geo.pack import load_default_pack
from geo.pack.status import status_on
from geo.trips.gazetteer import Gazetteer, normalise
from maps import STATIC, TURF


def _on(timeline: list[list[Any]], day: dt.date) -> Any:
    """The lookup offline.js does: the last entry starting on or before ``day``."""
    found = timeline[0][1]
    for first, value in timeline:
        if first <= day.isoformat():
            found = value
    return found


def _days() -> list[dt.date]:
    start = dt.date(2015, 1, 1)
    return [start + dt.timedelta(days=k) for k in range((dt.date(2031, 1, 1) - start).days)]


def test_status_timelines_give_status_on_every_day() -> None:
    pack = default_index().pack
    days = _days()
    for zone in pack.zones:
        timeline = status_timeline(zone)
        assert [_on(timeline, d) for d in days] == [status_on(zone, d) for d in days], zone.id


def test_the_bundle_gives_the_rule_its_inputs() -> None:
    index = default_index()
    rule, pack = index.rule, index.pack
    offline = bundle(index, Gazetteer.from_pack(pack))
    days = _days()[::7]
    for code, timeline in offline["baseline"]["governments"].items():
        versions = [pack.governments[code].version_on(d).level for d in days]
        assert [_on(timeline, d) for d in days] == versions, code
    features = offline["zones"]["features"]
    assert [f["properties"]["id"] for f in features] == [z.id for z in pack.zones]
    for position, feature in enumerate(features):
        counted = feature["properties"]["counted_for"]
        assert counted == [code for code in pack.governments if position in rule.counted(code)]
    assert offline["default_advisory"] == rule.default_advisory
    assert offline["pack"]["version"] == pack.version


def test_vendored_code_matches_its_checksums_and_carries_its_licence() -> None:
    vendor = STATIC / "vendor"
    sums = dict(line.split()[::-1] for line in (vendor / "SHA256SUMS").read_text().splitlines())
    assert TURF in sums and TURF.replace(".min.js", ".LICENSE") in sums
    for name, digest in sums.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    assert "MIT" in (vendor / TURF.replace(".min.js", ".LICENSE")).read_text()


def test_the_bundle_says_how_current_each_text_is_as_the_engine_does() -> None:
    from geo.engine.advisories import currency

    index = default_index()
    offline = bundle(index, Gazetteer.from_pack(index.pack))
    for day in _days()[::5]:
        engine = {c.source: c for c in currency(index.pack, day)}
        for code, current in offline["currency"].items():
            # The comparison offline.js makes: outdated from outdated_from on.
            assert (day.isoformat() >= current["outdated_from"]) == engine[code].possibly_outdated, (
                code,
                day,
            )
            assert (current["as_of"], current["verified_on"]) == (
                engine[code].as_of,
                engine[code].verified_on,
            )


def test_the_places_a_device_may_answer_alone_are_the_servers_answers() -> None:
    pack = load_default_pack()
    gazetteer = Gazetteer.from_pack(pack)
    offline = bundle(default_index(), gazetteer)
    by_name: dict[str, list[list[Any]]] = {}
    for row in offline["places"]:
        by_name.setdefault(normalise(row[0]), []).append(row)
    assert any(row[6] for row in offline["places"])  # the flag is set somewhere
    for same in by_name.values():
        flagged = [row for row in same if row[6] == 1]
        try:
            place = gazetteer.resolve(same[0][0]).place
        except InputFormatError:  # ambiguous: no place of that name may be answered alone
            assert flagged == [], same[0][0]
            continue
        assert len(flagged) == 1, same[0][0]
        assert (flagged[0][1], flagged[0][2]) == (round(place.lon, 5), round(place.lat, 5)), same[0][0]
    assert set(offline["airports"]) == set(gazetteer.airports)
