"""The low-government-presence zones of ``zones/low_presence_districts.csv`` (mining, logging, coca).

The CSV names 2007 INEI district polygons. Each 2007 code becomes the current districts
that now cover its polygon: the modern codes named in the row's note ("Modern district(s)
A/B mapped to this 2007 polygon.") plus ``LATER_SPLITS`` below.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.build import texts
from geo.build.citations import citations, dedupe
from geo.build.draft import ZoneDraft, district_union, resolve_codes
from geo.build.sources import Row, one_of, read_csv
from geo.errors import SourceError

__all__ = ["COLUMNS", "LATER_SPLITS", "build_low_presence", "zone_id"]

COLUMNS = ("zone_id", "zone_name", "category", "ubigeo", "district", "source", "note")
_LEVELS = {"emergency": 3, "illegal_mining": 2, "illegal_logging": 2, "coca": 2}
_MODERN = re.compile(r"Modern district\(s\) ([\d/]+) mapped to this 2007 polygon")
_COCA_HA = re.compile(r"\s*coca_2020_ha=(\d+)\.")

#: Districts created after 2007 inside a 2007 polygon of the CSV that the research notes do
#: not list. Without them the zone would have a district-sized hole. Parent and date come
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


def _date(path: Path, row: Row, column: str) -> str | None:
    value = row.values.get(column, "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise SourceError(
            path, f"line {row.line}", f"{column} {value!r} is not a date", "write it as YYYY-MM-DD"
        ) from None


def _research_splits(rows: list[Row]) -> dict[str, list[str]]:
    """2007 code -> current codes, from whichever row's note names them.

    The mapping belongs to the 2007 polygon, not the row: the notes name it once, on one
    zone's row, and it holds for every zone that lists the same polygon.
    """
    found: dict[str, list[str]] = {}
    for row in rows:
        match = _MODERN.search(row["note"])
        if match:
            found[row["ubigeo"]] = match.group(1).split("/")
    return found


def _modern_codes(row: Row, splits: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Current districts covering the row's 2007 polygon, and notes on the mapping."""
    codes = list(splits.get(row["ubigeo"], [row["ubigeo"]]))
    notes = []
    for code, why in LATER_SPLITS.get(row["ubigeo"], []):
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


def build_low_presence(path: Path, districts: gpd.GeoDataFrame) -> list[ZoneDraft]:
    """Derive one zone per ``zone_id`` of the CSV, in the CSV's order, except the states of
    emergency: the decree ledger draws those with every period (geo.build.emergencies); the
    rows still map 2007 polygons for the other zones' notes."""
    rows = read_csv(path, COLUMNS)
    groups: OrderedDict[str, list[Row]] = OrderedDict()
    for row in rows:
        one_of(path, row, "category", _LEVELS)
        if row["category"] != "emergency":
            groups.setdefault(row["zone_id"], []).append(row)
    splits = _research_splits(rows)
    return [_zone(research_id, group, path, districts, splits) for research_id, group in groups.items()]


def _zone(
    research_id: str,
    rows: list[Row],
    path: Path,
    districts: gpd.GeoDataFrame,
    splits: dict[str, list[str]],
) -> ZoneDraft:
    first = rows[0]
    valid = {(_date(path, r, "valid_from"), _date(path, r, "valid_until")) for r in rows}
    if len(valid) > 1:
        raise SourceError(
            path,
            f"zone {research_id} (lines {rows[0].line}-{rows[-1].line})",
            "rows of one zone disagree on valid_from/valid_until",
            "give every row of the zone the same period",
        )
    ((valid_from, valid_until),) = valid
    members, codes, notes, cited = [], [], [], [texts.STATE_DEPARTMENT]
    for row in rows:
        modern, mapping_notes = _modern_codes(row, splits)
        resolve_codes(modern, districts, path, row)
        for code, _ in LATER_SPLITS.get(row["ubigeo"], []):
            _touches_parent(districts, row["ubigeo"], code, path, row)
        codes.extend(modern)
        coca = _COCA_HA.search(row["note"])
        member: dict[str, Any] = {
            "ubigeo_2007": row["ubigeo"],
            "district_2007": row["district"],
            "current_ubigeo": modern,
        }
        if coca:
            member["coca_2020_ha"] = int(coca.group(1))
        members.append(member)
        for note in [_COCA_HA.sub("", row["note"]).strip(), *mapping_notes]:
            if note not in notes:
                notes.append(note)
        cited.extend(citations(row["source"]))
    geometry, facts = district_union(sorted(set(codes)), districts)
    text = texts.family_text(research_id)
    category = first["category"]
    name = first["zone_name"]
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
