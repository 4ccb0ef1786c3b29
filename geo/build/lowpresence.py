"""The low-government-presence zones (mining, logging, coca) of ``zones/low_presence.csv``.

One row per zone there; its districts in ``zones/low_presence_districts.csv``, as the 2007 INEI
district polygons the sources name. Each 2007 code becomes the current districts that now
cover its polygon: the codes of the row's ``current`` column (the code itself when empty),
plus ``LATER_SPLITS`` below.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.build import texts
from geo.build.citations import citations, dedupe
from geo.build.draft import ZoneDraft, district_union, resolve_codes
from geo.build.sources import Row, one_of, read_csv, read_date
from geo.errors import SourceError

__all__ = ["COLUMNS", "LATER_SPLITS", "build_low_presence", "zone_id"]

COLUMNS = ("zone_id", "zone_name", "category", "source")
OPTIONAL = ("valid_from", "valid_until", "flags", "note")
DISTRICT_COLUMNS = ("zone_id", "ubigeo_2007", "district_2007")
DISTRICT_OPTIONAL = ("current", "coca_2020_ha", "note")
_LEVELS = {"emergency": 3, "illegal_mining": 2, "illegal_logging": 2, "coca": 2}
_FLAGS = ("UNSURE", "unverified")

#: Districts created after 2007 inside a 2007 polygon that the ``current`` column does not
#: list. Without them the zone would have a district-sized hole. Parent and date come
#: from public creation records or, for Kumpirushiato, from VRAEM.md's spatial analysis; the
#: build checks each touches its parent.
LATER_SPLITS: dict[str, list[tuple[str, str]]] = {
    "080902": [
        ("080914", "Megantoni, created in 2016 from Echarate (unverified here)"),
        ("080915", "Kumpirushiato, from Echarate by both spatial methods of VRAEM.md"),
    ],
    "080909": [
        ("080911", "Inkawasi, created in 2014-2015 from Vilcabamba (unverified here)"),
        ("080912", "Villa Virgen, created in 2014-2015 from Vilcabamba (unverified here)"),
    ],
    # The parents below are the only 2007 districts each new district touches.
    "250302": [("250305", "Alexander von Humboldt, created after 2007; touches only Irazola")],
    "250301": [
        ("250306", "Huipoca, created after 2007; touches Padre Abad, Irazola and Curimaná"),
        ("250307", "Boquerón, created after 2007; touches only Padre Abad"),
    ],
    "100604": [("100607", "Pucayacu, created after 2007; touches only José Crespo y Castillo")],
    "221005": [("221006", "Santa Lucía, created after 2007; touches only Uchiza and Tocache")],
}


def zone_id(research_id: str) -> str:
    """The pack id of a research zone id.

    Examples
    --------
    >>> zone_id("EMG-PATAZ"), zone_id("COCA-HUALLAGA")
    ('pe-emg-pataz', 'pe-coca-huallaga')
    """
    return "pe-" + research_id.lower()


def _modern_codes(row: Row) -> tuple[list[str], list[str]]:
    """Current districts covering the row's 2007 polygon, and notes on the mapping."""
    codes = row["current"].split() or [row["ubigeo_2007"]]
    notes = []
    for code, why in LATER_SPLITS.get(row["ubigeo_2007"], []):
        codes.append(code)
        notes.append(f"{code} added by the build: {why}")
    return codes, notes


def _touches_parent(districts: gpd.GeoDataFrame, parent: str, child: str, path: Path, row: Row) -> None:
    geometry = districts.set_index("COD_DISTRITO").geometry
    if parent in geometry.index and geometry[parent].distance(geometry[child]) > 0.002:
        raise SourceError(
            path,
            f"line {row.line}",
            f"later district {child} does not touch its 2007 parent {parent}",
            "correct LATER_SPLITS in geo/build/lowpresence.py",
        )


def build_low_presence(path: Path, districts_path: Path, districts: gpd.GeoDataFrame) -> list[ZoneDraft]:
    """One zone per row of ``path``, in its order, with its districts from ``districts_path``."""
    zones = read_csv(path, COLUMNS, OPTIONAL)
    members: OrderedDict[str, list[Row]] = OrderedDict((z["zone_id"], []) for z in zones)
    for row in read_csv(districts_path, DISTRICT_COLUMNS, DISTRICT_OPTIONAL):
        if row["zone_id"] not in members:
            raise SourceError(
                districts_path,
                f"line {row.line}",
                f"zone_id {row['zone_id']!r} is not a zone of {path.name}",
                f"add the zone to {path.name} or correct the zone_id",
            )
        if row["coca_2020_ha"] and not row["coca_2020_ha"].isdigit():
            raise SourceError(
                districts_path,
                f"line {row.line}",
                f"coca_2020_ha {row['coca_2020_ha']!r} is not a whole number of hectares",
                "write the hectares as digits, or leave it empty",
            )
        members[row["zone_id"]].append(row)
    result = []
    for zone in zones:
        one_of(path, zone, "category", _LEVELS)
        if not members[zone["zone_id"]]:
            raise SourceError(
                path,
                f"line {zone.line}",
                f"zone {zone['zone_id']} has no districts",
                f"list them in {districts_path.name}",
            )
        result.append(_zone(zone, members[zone["zone_id"]], districts))
    return result


def _zone(zone: Row, rows: list[Row], districts: gpd.GeoDataFrame) -> ZoneDraft:
    research_id = zone["zone_id"]
    valid_from = read_date(zone, "valid_from", optional=True)
    valid_until = read_date(zone, "valid_until", optional=True)
    for flag in filter(None, (f.strip() for f in zone["flags"].split(";"))):
        if flag not in _FLAGS:
            raise SourceError(
                zone.path,
                f"line {zone.line}",
                f"unknown flag {flag!r}",
                f"use {' or '.join(_FLAGS)}, separated by ';'",
            )
    members, codes, cited = [], [], [texts.STATE_DEPARTMENT]
    notes = [zone["note"]] if zone["note"] else []
    for row in rows:
        modern, mapping_notes = _modern_codes(row)
        resolve_codes(modern, districts, row.path, row)
        for code, _ in LATER_SPLITS.get(row["ubigeo_2007"], []):
            _touches_parent(districts, row["ubigeo_2007"], code, row.path, row)
        codes.extend(modern)
        member: dict[str, Any] = {
            "ubigeo_2007": row["ubigeo_2007"],
            "district_2007": row["district_2007"],
            "current_ubigeo": modern,
        }
        if row["coca_2020_ha"]:
            member["coca_2020_ha"] = int(row["coca_2020_ha"])
        members.append(member)
        for note in [row["note"], *mapping_notes]:
            if note and note not in notes:
                notes.append(note)
    cited.extend(citations(zone["source"]))
    geometry, facts = district_union(sorted(set(codes)), districts)
    text = texts.family_text(research_id)
    category = zone["category"]
    name = zone["zone_name"]
    properties = {
        "id": zone_id(research_id),
        **texts.localized(lambda: _texts(text, texts.source_text(name))),
        "kind": "zone",
        "parent": None,
        "level": _LEVELS[category],
        "categories": text["categories"],
        "basis": text["basis"],
        "sources": dedupe(cited),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "renewed_since": text.get("renewed_since"),
        "confidence": text["confidence"],
        "flags": [f.strip() for f in zone["flags"].split(";") if f.strip()],
        "notes": notes,
        "built_from": (
            f"union of {facts['districts']} mapsPERU district polygons: the current districts "
            f"covering the 2007 INEI polygons of zones/low_presence_districts.csv "
            f"(zone_id {research_id}), sliver holes under 1 km² filled"
        ),
        # Who says so: Peru's own decrees for the states of emergency, the research
        # compilation (monitoring reports) for the mining and coca zones.
        "source": "pe" if text["basis"] == "government-decree" else "research",
        "research_id": research_id,
        "members": members,
    }
    return ZoneDraft(properties, geometry, facts)


def _texts(family: dict[str, Any], name: str) -> dict[str, str]:
    return {"name": name, **texts.zone_text(family, name)}
