"""Loading the packaged pack: its contract, its carried doubts, and refusal of broken packs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from geo.errors import PackError, UnknownZoneError
from geo.pack import LEVEL_LABELS, ZonePack, default_pack_dir, load_pack

CONTRACT_IDS = {
    "us-vraem",
    "us-colombia-border",
    "us-amazon-river-exception",
    "pe-emg-pataz",
    "pe-emg-mdd6",
    "pe-emg-border28",
    "pe-emg-putumayo-mrc",
    "pe-min-mdd",
    "pe-coca-huallaga",
}


def test_pack_has_the_contract_zones_and_every_research_zone(pack: ZonePack, sources: Path) -> None:
    ids = [z.id for z in pack.zones]
    assert set(ids) >= CONTRACT_IDS
    # Every mining, logging and coca zone of the research (the emergencies come from the ledger).
    with (sources / "zones" / "low_presence.csv").open(encoding="utf-8") as handle:
        research = {row["zone_id"] for row in csv.DictReader(handle)}
    assert {z.properties["research_id"] for z in pack.zones if "research_id" in z.properties} == research
    assert len(ids) == len(set(ids))


def test_levels_follow_the_design(pack: ZonePack) -> None:
    for zone in pack.zones:
        if zone.source in pack.governments:
            # The normalised level is the government's own word for it (advisories/README.md).
            scale = pack.governments[zone.source].scale
            assert zone.basis == "official-advisory"
            if zone.kind == "zone":
                assert zone.properties["native_level"].casefold() == scale[str(zone.level)].casefold()
        elif "emergency" in zone.categories:
            assert zone.level == 3
            assert zone.basis == "government-decree"
            # Known decree by decree: periods in order, within the zone's first and last day.
            assert zone.periods and zone.valid_from == zone.periods[0].start
            assert zone.valid_until == max(p.end for p in zone.periods)
        elif zone.kind == "zone":
            assert zone.level == 2
            assert zone.valid_until is None
        assert zone.level in LEVEL_LABELS
        assert zone.sources and all(s.url.startswith("https://") for s in zone.sources)
        assert zone.summary and zone.advice and zone.confidence and zone.built_from


def test_exception_names_its_parent(pack: ZonePack) -> None:
    exception = pack.zone("us-amazon-river-exception")
    assert exception.kind == "exception"
    assert exception.parent == "us-colombia-border"
    parent = pack.zone("us-colombia-border")
    assert parent.geometry.buffer(1e-6).covers(exception.geometry)


def test_research_doubts_are_carried(pack: ZonePack, sources: Path) -> None:
    # The research's own UNSURE/unverified words reach the zone's flags and confidence.
    for zone in pack.zones:
        if zone.source in pack.governments:
            text = " ".join(zone.notes)
            for word in ("UNSURE", "unverified"):
                assert (word in text) <= (word in zone.properties["flags"]), (zone.id, word)
            assert all(flag in zone.confidence for flag in zone.properties["flags"]), zone.id
    assert "Ahuayro" in " ".join(pack.zone("us-vraem").notes)
    assert "UNSURE" in pack.zone("us-some-areas").properties["flags"]
    # An exception that needs a road line is not drawn: its parent says so.
    assert "exception not drawn" in pack.zone("ca-ecuador-border").properties["flags"]
    # The decree ledger's doubts: inferred numbers or dates, and notes saying UNSURE.
    unsure = set()
    for ledger in (sources / "decrees").glob("*.csv"):
        with ledger.open(encoding="utf-8") as handle:
            unsure |= {
                row["decree"]
                for row in csv.DictReader(handle)
                if row["confidence"] == "inferred" or "UNSURE" in row["flags"]
            }
    for zone in pack.zones:
        if {p.decree for p in zone.periods} & unsure:
            assert "unsure" in zone.properties["flags"], zone.id
    assert "partial" in pack.zone("pe-coca-bajo-huallaga").confidence


def test_later_districts_are_mapped_to_their_2007_polygons(pack: ZonePack) -> None:
    # The research names 2007 polygons; each maps to the current districts now covering it.
    putumayo = pack.zone("pe-coca-putumayo").properties["members"]
    by_2007 = {m["ubigeo_2007"]: m["current_ubigeo"] for m in putumayo}
    assert by_2007["160109"] == ["160801", "160802", "160804"]
    assert by_2007["160114"] == ["160803"]


def test_baseline_carries_the_emergency_numbers(pack: ZonePack) -> None:
    numbers = {c["number"] for c in pack.baseline.contacts}
    assert {"105", "0800-22221", "+51-1-618-2000"} <= numbers
    assert pack.baseline.level == 2
    advice = " ".join(pack.baseline.advice)
    for topic in ("Crime", "Scams", "Demonstrations", "GPS"):
        assert topic in advice


def test_unknown_zone_names_the_known_ones(pack: ZonePack) -> None:
    with pytest.raises(UnknownZoneError, match="us-vraem"):
        pack.zone("pe-atlantis")


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "pe"
    shutil.copytree(default_pack_dir(), copy)
    return copy


def test_edited_file_fails_its_checksum(pack_copy: Path) -> None:
    zones = pack_copy / "zones.geojson"
    zones.write_bytes(zones.read_bytes().replace(b'"level":4', b'"level":1', 1))
    with pytest.raises(PackError, match=r"zones\.geojson: checksum .* Rebuild"):
        load_pack(pack_copy)


def test_truncated_file_is_refused(pack_copy: Path) -> None:
    districts = pack_copy / "districts.geojson"
    districts.write_bytes(districts.read_bytes()[:1000])
    with pytest.raises(PackError, match=r"districts\.geojson: checksum"):
        load_pack(pack_copy)


def test_missing_file_is_refused(pack_copy: Path) -> None:
    (pack_copy / "coverage.geojson").unlink()
    with pytest.raises(PackError, match=r"coverage\.geojson: cannot read"):
        load_pack(pack_copy)


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"pack\.json: cannot read"):
        load_pack(tmp_path / "nowhere")


def test_a_pack_without_its_zones_entry_is_refused(pack_copy: Path) -> None:
    meta = json.loads((pack_copy / "pack.json").read_text())
    del meta["files"]["zones"]
    (pack_copy / "pack.json").write_text(json.dumps(meta))
    with pytest.raises(PackError, match="no entry for the 'zones' file"):
        load_pack(pack_copy)
