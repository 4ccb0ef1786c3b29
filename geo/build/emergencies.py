"""Peru's security states of emergency from the decree ledger, ``decrees/<chain>.csv``.

The ledger has one file per chain (a declaration and its extensions over one place,
``CHAINS``) and one row per decree, in the order they follow each other; each distinct
district list of a chain becomes one zone, whose ``periods`` are the dated periods of its
rows. Where a row lacks a date the period is placed by the rules of ``_period`` and says how.
A chain with no district list
(a road strip, an energy axis, a list not read) is not drawn and is listed in the pack's
``not_drawn`` notes. After the last known period a zone is ``unconfirmed`` (geo.pack.status).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.build import texts
from geo.build.citations import citations, dedupe
from geo.build.draft import ZoneDraft, district_union, resolve_codes
from geo.build.sources import Row, one_of, read_csv
from geo.errors import SourceError
from geo.i18n import N_, _

__all__ = ["CHAINS", "COLUMNS", "LEVEL", "OPTIONAL", "Chain", "EmergencyBuild", "build_emergencies"]

COLUMNS = ("decree", "kind", "places", "category", "source_urls", "confidence")
#: Columns that may be empty where a source gave nothing. ``stated_end``: an end a source
#: states where none was computed; ``seen_in_force``: the first day a cited travel page showed
#: the decree in force; ``evidence``: archived copies of those pages (repository@commit:path).
OPTIONAL = (
    "published",
    "start",
    "days",
    "end",
    "stated_end",
    "seen_in_force",
    "ubigeos",
    "evidence",
    "flags",
    "notes",
)
#: A security emergency in force is level 3 (reconsider travel), as the low-presence zones.
LEVEL = 3
_KINDS = ("declaration", "extension")
_CONFIDENCE = ("press-reported", "advisory-reported", "inferred")
_FLAGS = ("UNSURE", "unverified")


@dataclass(frozen=True)
class Chain:
    """A declaration and its extensions over one place: the pack id of its zone (and the name
    of its file in ``decrees/``), its name and the start of its rows' ``places`` (a check that a
    row was put in the right file)."""

    id: str
    name: str
    places: str
    research_id: str | None = None  # the family text of geo.build.texts.LOW_PRESENCE


#: Every chain of the ledger, each with its file ``decrees/<id>.csv``.
CHAINS = (
    Chain("pe-emg-lima-callao", N_("State of emergency: Lima and Callao"), r"\bLima\b|\bCallao\b"),
    Chain("pe-emg-ambo", N_("State of emergency: Ambo (Huánuco)"), r"^Ambo district"),
    Chain("pe-emg-pastaza", N_("State of emergency: Pastaza (Loreto)"), r"^Pastaza district"),
    Chain(
        "pe-emg-putumayo-2025", N_("State of emergency: Putumayo river districts (2025)"), r"^Putumayo, Rosa"
    ),
    Chain("pe-emg-illimo", N_("State of emergency: Íllimo (Lambayeque)"), r"^Illimo district"),
    Chain(
        "pe-emg-pangoa-rio-tambo", N_("State of emergency: Pangoa and Río Tambo"), r"^Pangoa and Rio Tambo"
    ),
    Chain("pe-emg-trujillo-viru", N_("State of emergency: Trujillo and Virú"), r"^Trujillo and Viru"),
    Chain(
        "pe-emg-tumbes-zarumilla", N_("State of emergency: Tumbes and Zarumilla"), r"^Tumbes and Zarumilla"
    ),
    Chain("pe-emg-pataz", N_("State of emergency: Pataz"), r"^Pataz province", "EMG-PATAZ"),
    Chain(
        "pe-emg-putumayo-mrc",
        N_("State of emergency: Putumayo and Mariscal Ramón Castilla"),
        r"^Putumayo and Mariscal Ramon Castilla",
        "EMG-PUTUMAYO-MRC",
    ),
    Chain(
        "pe-emg-border28",
        N_("State of emergency: 28 border districts"),
        r"28 border districts",
        "EMG-BORDER28",
    ),
    Chain(
        "pe-emg-mdd6",
        N_("State of emergency: six Madre de Dios districts"),
        r"districts of Madre de Dios",
        "EMG-MDD6",
    ),
    Chain("pe-emg-vraem", N_("State of emergency: VRAEM"), r"^VRAEM: "),
    Chain(
        "pe-emg-vraem-drugs",
        N_("State of emergency: VRAEM drug-trafficking districts"),
        r"^VRAEM drug-trafficking|^The same 17 districts",
    ),
    Chain("pe-emg-corredor-vial-sur", N_("State of emergency: Corredor Vial Sur"), r"^Corredor Vial Sur"),
)

#: The ledger's categories; "security (reason not stated)" becomes "security".
_CATEGORIES = (
    "crime",
    "illegal-mining",
    "border",
    "terrorism",
    "drug-trafficking",
    "social-conflict",
    "mining-road",
)


@dataclass(frozen=True)
class EmergencyBuild:
    """The drawn zones, and the chains that could not be drawn (with why)."""

    zones: list[ZoneDraft]
    not_drawn: list[dict[str, Any]]


def build_emergencies(paths: list[Path], districts: gpd.GeoDataFrame) -> EmergencyBuild:
    """One zone per (chain, district list) of the ledger, with its dated periods; ``paths`` are
    the chains' files, in the order of ``CHAINS``."""
    zones: list[ZoneDraft] = []
    not_drawn: list[dict[str, Any]] = []
    for chain, path in zip(CHAINS, paths, strict=True):
        members = read_csv(path, COLUMNS, OPTIONAL)
        for row in members:
            _check_row(path, row)
            if not re.search(chain.places, row["places"]):
                raise SourceError(
                    path,
                    f"line {row.line}",
                    f"places {row['places'][:60]!r} do not read like chain {chain.id}",
                    "move the row to the file of its chain, or widen the chain's pattern in CHAINS "
                    "of geo/build/emergencies.py",
                )
        periods = _periods(path, members)
        lists: dict[tuple[str, ...], list[int]] = {}
        for k, row in enumerate(members):
            codes = tuple(sorted(row["ubigeos"].split()))
            if codes:
                lists.setdefault(codes, []).append(k)
            else:
                not_drawn.append(_not_drawn(chain, row, periods[k]))
        for n, (codes, positions) in enumerate(lists.items()):
            resolve_codes(list(codes), districts, path, members[positions[0]])
            zone_id = chain.id if n == 0 else f"{chain.id}-{len(codes)}-districts"
            zones.append(
                _zone(
                    chain,
                    zone_id,
                    [members[k] for k in positions],
                    [periods[k] for k in positions],
                    districts,
                )
            )
    return EmergencyBuild(zones, not_drawn)


def _check_row(path: Path, row: Row) -> None:
    def refuse(column: str, fix: str) -> None:
        raise SourceError(path, f"line {row.line}", f"{column} {row[column]!r} is not valid", fix)

    one_of(path, row, "kind", _KINDS)
    one_of(path, row, "confidence", _CONFIDENCE)
    if row["days"] and not row["days"].isdigit():
        refuse("days", "write the length in days as a whole number")
    for column in ("start", "end", "stated_end", "seen_in_force"):
        if row[column]:
            _day(path, row, row[column], column)
    for flag in filter(None, (f.strip() for f in row["flags"].split(";"))):
        if flag not in _FLAGS:
            refuse("flags", f"use {' or '.join(_FLAGS)}, separated by ';'")
    if not all(url.startswith("https://") for url in row["source_urls"].split(" ; ")):
        refuse("source_urls", "cite each source as an https:// address, separated by ' ; '")
    if row["published"] and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", row["published"]):
        refuse("published", "write it as YYYY-MM-DD, or YYYY-MM where only the month is known")
    for category in row["category"].split(";"):
        if category not in _CATEGORIES and category != "security (reason not stated)":
            refuse("category", f"use {', '.join(_CATEGORIES)} or 'security (reason not stated)'")


def _day(path: Path, row: Row, value: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SourceError(
            path, f"line {row.line}", f"{column} {value!r} is not a date", "write YYYY-MM-DD"
        ) from None


def _periods(path: Path, rows: list[Row]) -> list[dict[str, Any]]:
    """Each row's period, in the chain's order; unknown dates placed as ``_period`` says."""
    periods: list[dict[str, Any]] = []
    previous_end: dt.date | None = None  # of the row just before, when it was placed
    for k, row in enumerate(rows):
        following = rows[k + 1] if k + 1 < len(rows) else None
        next_start = (
            _day(path, following, following["start"], "start")
            if following is not None and following["kind"] == "extension" and following["start"]
            else None
        )
        period = _period(path, row, previous_end, next_start)
        periods.append(period)
        previous_end = dt.date.fromisoformat(period["end"]) if period["end"] else None
    return periods


def _period(path: Path, row: Row, previous_end: dt.date | None, next_start: dt.date | None) -> dict[str, Any]:
    """A row's period; every date not read from the ledger's own columns is named in ``placed``.

    Start: the ledger's ``start``; else, for an extension, the day after the chain's previous
    period (when that one was placed); else end - days + 1; else the publication day; else the
    earliest day a cited travel page showed it in force (``seen_in_force``).
    End: the ledger's ``end``; else the end a source states (``stated_end``); else the day before
    the next period when that is an extension with a known start (extensions follow on); else
    start + days - 1.
    """
    placed: list[str] = []
    days = int(row["days"]) if row["days"] else None
    start: dt.date | None = _day(path, row, row["start"], "start") if row["start"] else None
    if start is None and row["kind"] == "extension" and previous_end is not None:
        start = previous_end + dt.timedelta(days=1)
        placed.append("start taken as the day after the previous period")
    end: dt.date | None = _day(path, row, row["end"], "end") if row["end"] else None
    if end is None and row["stated_end"]:
        end = _day(path, row, row["stated_end"], "stated_end")
        placed.append("end as a source states it")
    if end is None and next_start is not None and (start is None or next_start > start):
        end = next_start - dt.timedelta(days=1)
        placed.append("end taken as the day before the next extension")
    if start is None and end is not None and days:
        start = end - dt.timedelta(days=days - 1)
        placed.append(f"start computed as end - {days} days")
    if start is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["published"]):
        start = _day(path, row, row["published"], "published")
        placed.append("start taken as the publication day")
    seen = row["seen_in_force"]
    if start is None and end is not None and seen and seen <= end.isoformat():
        start = _day(path, row, seen, "seen_in_force")
        placed.append("start taken as the day a cited travel page showed it in force")
    if end is None and start is not None and days:
        end = start + dt.timedelta(days=days - 1)
        placed.append(f"end computed as start + {days} days")
    if start is not None and end is not None and end < start:
        raise SourceError(
            path,
            f"line {row.line}",
            f"the period ends ({end}) before it starts ({start})",
            "correct start, days or end",
        )
    return {
        "decree": row["decree"],
        "kind": row["kind"],
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "placed": placed,
        "confidence": row["confidence"],
    }


def _flags(rows: list[Row]) -> list[str]:
    """The ledger's doubts carried into the zone: ``unsure`` (inferred numbers or dates),
    ``unverified`` (the row is flagged so), ``advisory-reported`` (only a foreign travel page
    says so)."""
    flags = []
    if any(
        r["confidence"] == "inferred" or "UNSURE" in r["flags"] or "(probable)" in r["decree"] for r in rows
    ):
        flags.append("unsure")
    if any("unverified" in r["flags"] for r in rows):
        flags.append("unverified")
    if any(r["confidence"] == "advisory-reported" for r in rows):
        flags.append("advisory-reported")
    return flags


def _zone(
    chain: Chain, zone_id: str, rows: list[Row], periods: list[dict[str, Any]], districts: gpd.GeoDataFrame
) -> ZoneDraft:
    codes = sorted(set(rows[0]["ubigeos"].split()))
    geometry, facts = district_union(codes, districts)
    dated = [p for p in periods if p["start"] and p["end"]]
    undated = [p for p in periods if not (p["start"] and p["end"])]
    if not dated:
        raise SourceError(
            rows[0].path,
            f"emergency {zone_id}",
            "no decree of the zone can be dated, so it would read as in force on every date",
            "give a row of the chain a start, an end or a publication day",
        )
    family = texts.LOW_PRESENCE.get(chain.research_id or "", {})
    categories = [
        "emergency",
        *dict.fromkeys(c.split(" ")[0] for c in rows[0]["category"].split(";")),
    ]
    cited = [
        c
        for r in rows
        for url in r["source_urls"].split(" ; ")
        if url
        for c in citations(
            f"{r['decree']} ({r['kind']}, published {r['published'] or 'date not found'}): {url}"
        )
    ]
    notes = [r["notes"] for r in rows if r["notes"]]
    notes += [f"{p['decree']}: period not placed (no start and no end in the ledger)" for p in undated]
    last = max(dated, key=lambda p: p["end"]) if dated else None
    places = rows[0]["places"]

    def text() -> dict[str, str]:
        name = _(chain.name)
        if zone_id != chain.id:
            name = _("{name} ({places})", name=name, places=texts.source_text(places))
        if family:
            return {"name": name, **texts.zone_text(family, name)}
        return {
            "name": name,
            "summary": _("State of emergency: {places}.", places=texts.source_text(places)),
            "advice": _(texts.EMERGENCY_ADVICE),
        }

    properties = {
        "id": zone_id,
        **texts.localized(text),
        "kind": "zone",
        "parent": None,
        "level": LEVEL,
        "categories": family.get("categories", categories),
        "basis": "government-decree",
        "sources": dedupe(cited),
        "valid_from": min(p["start"] for p in dated) if dated else None,
        "valid_until": last["end"] if last else None,
        # The research's "renewed repeatedly since" year (before the ledger's first period).
        "renewed_since": family.get("renewed_since"),
        "confidence": ", ".join(dict.fromkeys(r["confidence"] for r in rows)),
        "flags": _flags(rows),
        "notes": notes,
        "built_from": (
            f"union of {facts['districts']} mapsPERU district polygons: the ubigeos of "
            f"decrees/{chain.id}.csv for {rows[0]['places']!r}, sliver holes under 1 km² filled"
        ),
        "source": "pe",
        "periods": sorted(dated, key=lambda p: p["start"]),
        # False when a decree of the zone could not be dated: a gap between known periods may
        # then be covered by it, so it reads "unconfirmed", not "expired".
        "periods_complete": not undated,
        "last_decree": last["decree"] if last else None,
    }
    return ZoneDraft(properties, geometry, facts)


def _not_drawn(chain: Chain, row: Row, period: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": chain.id,
        "name": chain.name,
        "places": row["places"],
        "decree": row["decree"],
        "start": period["start"],
        "end": period["end"],
        "why": f"no district list: a strip or corridor, or a list not read (decrees/{chain.id}.csv)",
    }
