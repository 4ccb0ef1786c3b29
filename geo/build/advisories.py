"""Each government's advice as dated zones, built from its rules in ``advisories/<code>.csv``.

One zone per area id: rows of the same area in several versions of a government's text (same
rule, same level) become one zone valid from the first version's start until the last one is
superseded; each version's wording stays in ``versions``. Country rows are not zones: they
are the government's level wherever none of its zones applies, and go to the pack's
``advisories`` metadata. Geometry rules (advisories/README.md):

- ``country``: all of Peru (metadata only);
- ``districts``: the union of the area's districts in ``advisories/districts.csv``;
- ``border_band:ISO3:km[:departments]``: Peru within km of the border with ISO3, in a
  transverse Mercator centred on that border, limited to the named departments;
- ``river_corridor:name:km``: within km of the Natural Earth centreline of the river;
- ``box:W,S,E,N``: a rectangle (exceptions only);
- ``road_corridor:road:km``: no road layer exists; the exception is not drawn, flagged, and
  its parent is kept whole.

An exception is always intersected with its parent.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString, Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from geo.build import texts
from geo.build.draft import ZoneDraft, district_union, resolve_codes
from geo.build.geometry import Projection, largest_polygon, projection
from geo.build.sources import Row, SourceSet, read_csv, read_date, read_geojson
from geo.errors import SourceError
from geo.i18n import N_, _

__all__ = [
    "COLUMNS",
    "GOVERNMENTS",
    "OPTIONAL",
    "AdvisoryBuild",
    "build_advisories",
    "check_rule",
    "derive_advisories",
]

#: The governments whose advice the pack carries: name, and the native wording of each level.
GOVERNMENTS: dict[str, dict[str, Any]] = {
    "us": {
        "name": N_("United States (Department of State)"),
        "scale": {
            "1": "Level 1: Exercise Normal Precautions",
            "2": "Level 2: Exercise Increased Caution",
            "3": "Level 3: Reconsider Travel",
            "4": "Level 4: Do Not Travel",
        },
    },
    "uk": {
        "name": N_("United Kingdom (FCDO)"),
        "scale": {
            "1": "No FCDO advice against travel",
            "3": "Advise against all but essential travel",
            "4": "Advise against all travel",
        },
    },
    "ca": {
        "name": N_("Canada (Global Affairs Canada)"),
        "scale": {
            "1": "Take normal security precautions",
            "2": "Exercise a high degree of caution",
            "3": "Avoid non-essential travel",
            "4": "Avoid all travel",
        },
    },
    "au": {
        "name": N_("Australia (DFAT Smartraveller)"),
        "scale": {
            "1": "Exercise normal safety precautions",
            "2": "Exercise a high degree of caution",
            "3": "Reconsider your need to travel",
            "4": "Do not travel",
        },
    },
}

COLUMNS = (
    "version",
    "in_force_from",
    "area_id",
    "kind",
    "area_name",
    "native_level",
    "level",
    "quote",
    "geometry_rule",
    "source_url",
    "confidence",
)
#: Columns that may be empty.
OPTIONAL = ("superseded_on", "parent", "reasons", "archive", "flags", "rule_notes", "notes")
DISTRICT_COLUMNS = ("area_id", "ubigeo")
VERIFIED_COLUMNS = ("government", "version", "verified_on", "seen_in")
_FLAGS = ("UNSURE", "unverified")

#: Transverse Mercator per border (advisories/README.md): tens of metres from geodesic.
_BORDER_CRS = {
    "COL": "+proj=tmerc +lat_0=0 +lon_0=-72.6 +k=1 +x_0=500000 +y_0=10000000 +datum=WGS84 +units=m",
    "ECU": "+proj=tmerc +lat_0=0 +lon_0=-78 +k=1 +x_0=500000 +y_0=10000000 +datum=WGS84 +units=m",
}
_QUAD_SEGS = 32
_ADVICE = {
    1: N_(
        "This government advises nothing special here beyond normal precautions; read its full "
        "text before you go."
    ),
    2: N_("Exercise increased caution: follow this government's general advice for the country."),
    3: N_(
        "This government advises against non-essential travel here (reconsider your need to "
        "go). If you go, plan with a reputable local operator, tell someone your route, and keep "
        "to daylight travel."
    ),
    4: N_(
        "This government advises against all travel here. Its staff may not go without special "
        "permission, and it can give little help to anyone who does."
    ),
}


@dataclass(frozen=True)
class AdvisoryBuild:
    """The zones, the per-government metadata for the pack, and build facts."""

    zones: list[ZoneDraft]
    governments: dict[str, Any]
    facts: dict[str, Any]


def build_advisories(sources: SourceSet, districts: gpd.GeoDataFrame, peru: BaseGeometry) -> AdvisoryBuild:
    """Every government's zones and exceptions, and its country rows, from the rule tables."""
    rows = []
    for code, path in zip(GOVERNMENTS, sources.files("advisories", GOVERNMENTS), strict=True):
        for row in read_csv(path, COLUMNS, OPTIONAL):
            check_rule(row)
            row.values["government"] = code
            rows.append(row)
    members = _members(sources.path("advisory_districts"), districts)
    shapes = _Shapes(sources, districts, peru)

    def draw(row: Row) -> BaseGeometry | str:
        rule = row["geometry_rule"]
        if rule.startswith("road_corridor:"):
            return ROAD_NOT_DRAWN
        return shapes.rule(rule, members.get(row["area_id"]), row.path, row)

    return derive_advisories(
        rows,
        draw,
        _verified(sources.path("advisory_verified"), rows),
        country=texts.PACK_NAME,
        table=lambda government: f"advisories/{government}.csv",
        facts=lambda area_id: {"districts": len(members.get(area_id, []))},
    )


#: Why a road corridor is not drawn.
ROAD_NOT_DRAWN = "no road layer in the sources"


def derive_advisories(
    rows: list[Row],
    draw: Callable[[Row], BaseGeometry | str],
    verified: dict[tuple[str, str], str],
    *,
    country: str,
    table: Callable[[str], str],
    facts: Callable[[str], dict[str, Any]] = lambda _area: {},
) -> AdvisoryBuild:
    """The zones of one country's rule rows (each row's ``government`` set), and each
    government's country levels and the areas it names that are not drawn.

    ``draw`` gives an area's geometry from its newest row, or the reason it cannot be drawn.
    An exception is intersected with its parent. An exception that is not drawn leaves its
    parent whole there, flagged unverified; a zone that is not drawn is listed with its level
    and dates (``not_drawn``), so that an answer in the country can name it.
    """
    areas: dict[str, list[Row]] = {}
    for row in rows:
        if row["kind"] != "country":
            areas.setdefault(row["area_id"], []).append(row)
    ordered = sorted(areas.items(), key=lambda item: item[1][0]["kind"] == "exception")
    zones: dict[str, ZoneDraft] = {}
    not_drawn: list[dict[str, Any]] = []
    for area_id, versions in ordered:
        path = versions[0].path
        _same_rule(path, area_id, versions)
        newest = max(versions, key=lambda r: r["version"])
        rule = newest["geometry_rule"]
        parent_id = newest.values.get("parent", "")
        parent = zones.get(parent_id) if newest["kind"] == "exception" else None
        if newest["kind"] == "exception" and parent is None:
            if any(n["id"] == parent_id for n in not_drawn):
                not_drawn.append(_not_drawn(area_id, versions, newest, "its zone is not drawn"))
                continue
            raise SourceError(
                path,
                f"line {newest.line}",
                f"parent {newest.values.get('parent')!r} of an exception is not an area of the same table",
                "fix the parent column",
            )
        geometry = draw(newest)
        if isinstance(geometry, str):
            not_drawn.append(_not_drawn(area_id, versions, newest, geometry))
            if parent is None:
                continue
            parent.properties["notes"].append(
                f"unverified: the exception '{newest['area_name']}' ({rule}) is not drawn ({geometry}); "
                "this zone is kept whole there."
            )
            parent.properties["flags"].extend(["exception not drawn", "unverified"])
            parent.properties["confidence"] += " (exception not drawn; unverified)"
            continue
        if parent is not None:
            geometry = geometry.intersection(parent.geometry)
        if geometry.is_empty:
            where = f" inside its parent {parent.properties['id']}" if parent is not None else ""
            raise SourceError(
                path,
                f"line {newest.line}",
                f"{area_id}: the rule {rule!r} draws nothing{where}",
                "check the rule's parameters" + (" and the parent column" if parent is not None else ""),
            )
        zones[area_id] = ZoneDraft(
            _properties(area_id, versions, newest, country, table(newest["government"])),
            geometry,
            facts(area_id),
        )
    governments = _governments(rows, not_drawn, verified)
    return AdvisoryBuild(list(zones.values()), governments, {"not_drawn": not_drawn})


def _not_drawn(area_id: str, versions: list[Row], newest: Row, why: str) -> dict[str, Any]:
    """An area a government names that the build cannot draw: what it is, whose, its level,
    its dates and why it is not drawn."""
    superseded = [r.values.get("superseded_on", "") for r in versions]
    return {
        "id": area_id,
        "government": newest["government"],
        "kind": newest["kind"],
        "parent": newest.values.get("parent") or None,
        "rule": newest["geometry_rule"],
        "name": newest["area_name"],
        "level": int(newest["level"]),
        "native_level": newest["native_level"],
        "quote": newest["quote"],
        "url": newest["source_url"],
        "valid_from": min(r["in_force_from"] for r in versions),
        "valid_until": None if any(not s for s in superseded) else _day_before(max(superseded)),
        "why": why,
    }


def check_rule(row: Row) -> None:
    """Dates that are dates, a level of the scale, flags the build knows, a source."""
    read_date(row, "in_force_from")
    read_date(row, "superseded_on", optional=True)
    read_date(row, "version")
    if row["level"] not in ("1", "2", "3", "4"):
        raise SourceError(
            row.path, f"line {row.line}", f"level {row['level']!r} is not 1-4", "write 1, 2, 3 or 4"
        )
    for flag in filter(None, (f.strip() for f in row.values.get("flags", "").split(";"))):
        if flag not in _FLAGS:
            raise SourceError(
                row.path,
                f"line {row.line}",
                f"unknown flag {flag!r}",
                f"use {' or '.join(_FLAGS)}, separated by ';'",
            )
    if not row["source_url"].startswith("https://"):
        raise SourceError(
            row.path,
            f"line {row.line}",
            "source_url is not an https:// address",
            "cite the government's page",
        )


def _verified(path: Path, rules: list[Row]) -> dict[tuple[str, str], str]:
    """(government, version) -> the last day its text was seen unchanged (advisories/verified.csv)."""
    versions = {(r["government"], r["version"]): r for r in rules}
    result: dict[tuple[str, str], str] = {}
    for row in read_csv(path, VERIFIED_COLUMNS, ("note",)):
        key = (row["government"], row["version"])
        if key not in versions:
            raise SourceError(
                path,
                f"line {row.line}",
                f"no text {row['version']} of government {row['government']!r} in advisories/",
                "name a government and a version that its advisories/<government>.csv has",
            )
        day = read_date(row, "verified_on")
        assert day is not None
        if day < row["version"]:
            raise SourceError(
                path,
                f"line {row.line}",
                f"verified_on {day} is before the text's date",
                "correct verified_on",
            )
        if key in result:
            raise SourceError(
                path, f"line {row.line}", "a second row for the same text", "keep one row per text"
            )
        result[key] = day
    return result


def _members(path: Path, districts: gpd.GeoDataFrame) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for row in read_csv(path, DISTRICT_COLUMNS):
        resolve_codes([row["ubigeo"]], districts, path, row)
        members.setdefault(row["area_id"], []).append(row["ubigeo"])
    return members


def _same_rule(path: Path, area_id: str, versions: list[Row]) -> None:
    """Rows of one area must agree on what it is; only the wording may change."""
    for key in ("government", "kind", "geometry_rule", "level"):
        values = {r[key] for r in versions}
        if len(values) > 1:
            raise SourceError(
                path,
                f"area {area_id}",
                f"its versions differ in {key}: {sorted(values)}",
                "give the changed area a new area_id (e.g. with the version)",
            )


def _day_before(value: str) -> str:
    return (dt.date.fromisoformat(value) - dt.timedelta(days=1)).isoformat()


def _properties(area_id: str, versions: list[Row], newest: Row, country: str, table: str) -> dict[str, Any]:
    government = newest["government"]
    level = int(newest["level"])
    superseded = [r.values.get("superseded_on", "") for r in versions]
    valid_until = None if any(not s for s in superseded) else _day_before(max(superseded))
    flags = _flags(newest)
    notes = [n for n in (newest.values.get("rule_notes", ""), newest.values.get("notes", "")) if n]
    return {
        "id": area_id,
        **texts.localized(
            lambda: {
                "name": texts.source_text(newest["area_name"]),
                # The government's own words for the level stay as it wrote them.
                "summary": _(
                    "{government}, text of {version}: {native_level}.",
                    government=_(GOVERNMENTS[government]["name"]),
                    version=newest["version"],
                    native_level=newest["native_level"],
                ),
                "advice": _(_ADVICE[level]),
            }
        ),
        "kind": "exception" if newest["kind"] == "exception" else "zone",
        "parent": newest.values.get("parent") or None,
        "level": level,
        "categories": [c for c in newest.values.get("reasons", "").split(";") if c],
        "basis": "official-advisory",
        "sources": [
            {
                "title": f"{GOVERNMENTS[government]['name']}: {country} travel advice",
                "url": r["source_url"],
                "date": r["version"],
            }
            for r in sorted(versions, key=lambda r: r["version"], reverse=True)
        ],
        "valid_from": min(r["in_force_from"] for r in versions),
        "valid_until": valid_until,
        "renewed_since": None,
        "confidence": newest["confidence"] + (f" ({'; '.join(flags)})" if flags else ""),
        "notes": notes,
        "built_from": f"{table} rule {newest['geometry_rule']}",
        "source": government,
        "version": newest["version"],
        "native_level": newest["native_level"],
        "quote": newest["quote"],
        "flags": flags,
        "versions": [
            {
                "version": r["version"],
                "in_force_from": r["in_force_from"],
                "superseded_on": r.values.get("superseded_on") or None,
                "native_level": r["native_level"],
                "quote": r["quote"],
                "url": r["source_url"],
                "archive": r.values.get("archive", ""),
            }
            for r in sorted(versions, key=lambda r: r["version"])
        ],
    }


def _flags(row: Row) -> list[str]:
    """The research's own doubt, carried into the zone."""
    text = " ".join(row.values.get(k, "") for k in ("flags", "rule_notes", "notes", "confidence"))
    flags = [word for word in ("UNSURE", "unverified") if word in text]
    if row["confidence"] in ("inferred", "official-wording-interpreted"):
        flags.append(f"geometry is an interpretation ({row['confidence']})")
    return flags


def _governments(
    rows: list[Row], not_drawn: list[dict[str, str]], verified: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """Per government: its scale, its country level per version (with the last day each text
    was seen unchanged: its ``verified_on``, else its own date), and the newest text read."""
    result: dict[str, Any] = {}
    for code, meta in GOVERNMENTS.items():
        country = sorted(
            (r for r in rows if r["government"] == code and r["kind"] == "country"),
            key=lambda r: r["in_force_from"],
        )
        versions = [
            {
                "version": r["version"],
                "in_force_from": r["in_force_from"],
                "superseded_on": r.values.get("superseded_on") or None,
                "level": int(r["level"]),
                "native_level": r["native_level"],
                "quote": r["quote"],
                "url": r["source_url"],
                "verified_on": verified.get((code, r["version"]), r["version"]),
            }
            for r in country
        ]
        if not versions:
            continue
        _no_overlap(country)
        newest = max(versions, key=lambda v: str(v["version"]))
        result[code] = {
            **texts.localized(functools.partial(_government_name, meta["name"])),
            "scale": meta["scale"],
            "as_of": newest["version"],
            "verified_on": newest["verified_on"],
            "versions": versions,
            "not_drawn": [n for n in not_drawn if n["government"] == code],
        }
    return result


def _no_overlap(country: list[Row]) -> None:
    """A government's texts follow each other: each is superseded on the day the next comes into
    force, and only the newest is open."""
    for before, after in itertools.pairwise(country):
        if before.values.get("superseded_on") != after["in_force_from"]:
            raise SourceError(
                after.path,
                f"line {after.line}",
                f"text {after['version']} comes into force on {after['in_force_from']}, but text "
                f"{before['version']} (line {before.line}) is superseded on "
                f"{before.values.get('superseded_on') or '(never)'}: the versions overlap or leave a gap",
                f"set superseded_on of text {before['version']} to {after['in_force_from']}",
            )
    for row in country:
        superseded = row.values.get("superseded_on")
        if superseded and superseded <= row["in_force_from"]:
            raise SourceError(
                row.path,
                f"line {row.line}",
                f"superseded_on {superseded} is not after in_force_from {row['in_force_from']}",
                "correct the dates",
            )
    if country[-1].values.get("superseded_on"):
        last = country[-1]
        raise SourceError(
            last.path,
            f"line {last.line}",
            f"the newest text {last['version']} has superseded_on {last['superseded_on']}",
            "leave superseded_on empty for the text in force, or add the text that replaced it",
        )


def _government_name(name: str) -> dict[str, str]:
    return {"name": _(name)}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().strip()


class _Shapes:
    """The geometry rules over the build's sources."""

    def __init__(self, sources: SourceSet, districts: gpd.GeoDataFrame, peru: BaseGeometry) -> None:
        self.sources, self.districts, self.peru = sources, districts, peru
        self._bands: dict[tuple[str, int], BaseGeometry] = {}

    def rule(self, rule: str, members: list[str] | None, path: Path, row: Row) -> BaseGeometry:
        kind, _, rest = rule.partition(":")
        try:
            if kind == "districts":
                if not members:
                    raise ValueError("no districts listed in advisories/districts.csv")
                return district_union(members, self.districts)[0]
            if kind == "border_band":
                iso3, km, *departments = rest.split(":")
                band = self._band(iso3, int(km))
                if departments:
                    band = band.intersection(self._departments(departments[0].split(",")))
                return band
            if kind == "river_corridor":
                name, km = rest.rsplit(":", 1)
                return self._river(name, float(km))
            if kind == "box":
                west, south, east, north = (float(v) for v in rest.split(","))
                return box(west, south, east, north)
        except (ValueError, KeyError) as error:
            raise SourceError(
                path,
                f"line {row.line}",
                f"rule {rule!r}: {error}",
                "see the geometry rules of advisories/README.md",
            ) from None
        raise SourceError(
            path,
            f"line {row.line}",
            f"unknown geometry rule {rule!r}",
            "see the geometry rules of advisories/README.md",
        )

    def _departments(self, names: list[str]) -> BaseGeometry:
        wanted = {_fold(n) for n in names}
        chosen = self.districts[self.districts["DEPARTAMENTO"].map(_fold).isin(wanted)]
        if chosen["DEPARTAMENTO"].map(_fold).nunique() != len(wanted):
            raise ValueError(f"unknown department in {names}")
        return district_union(list(chosen["COD_DISTRITO"]), self.districts)[0]

    def _band(self, iso3: str, km: int) -> BaseGeometry:
        """Peru within ``km`` of the border with ``iso3``: 20 km around the Natural Earth line
        or around Peru's own outline between the same ends, whichever reaches further (the
        two disagree by about 2 km, up to 7 km)."""
        if (iso3, km) not in self._bands:
            tm = projection(_BORDER_CRS[iso3])
            line_a = tm.forward(_border_line(self.sources.path("boundary_lines"), iso3))
            line_i = _outline_piece(tm.forward(self.peru), line_a)
            band = shapely.union(
                line_a.buffer(km * 1000, quad_segs=_QUAD_SEGS), line_i.buffer(km * 1000, quad_segs=_QUAD_SEGS)
            )
            self._bands[iso3, km] = tm.inverse(band).intersection(self.peru)
        return self._bands[iso3, km]

    def _river(self, name: str, km: float) -> BaseGeometry:
        tm: Projection = projection(_BORDER_CRS["COL"])
        path = self.sources.path("rivers")
        parts = [
            shape(f["geometry"])
            for f in read_geojson(path)
            if f["properties"].get("name") == name and f["properties"].get("featurecla") == "River"
        ]
        if not parts:
            raise ValueError(f"no Natural Earth river named {name!r}")
        line = shapely.line_merge(shapely.union_all([tm.forward(p) for p in parts]))
        return tm.inverse(line.buffer(km * 1000, quad_segs=_QUAD_SEGS))


def _border_line(path: Path, iso3: str) -> LineString:
    lines = [
        shape(f["geometry"])
        for f in read_geojson(path)
        if {f["properties"].get("adm0_a3_l"), f["properties"].get("adm0_a3_r")} == {"PER", iso3}
    ]
    merged = shapely.line_merge(shapely.union_all(lines)) if lines else None
    if not isinstance(merged, LineString):
        raise SourceError(
            path,
            f"features PER/{iso3}",
            f"no single Peru-{iso3} boundary line found",
            "restore the Natural Earth boundary-lines subset",
        )
    return merged


def _outline_piece(outline: BaseGeometry, line_a: LineString) -> LineString:
    """The piece of the outline's exterior ring between the projections of A's ends."""
    ring = LineString(largest_polygon(outline).exterior.coords)
    start, end = (ring.project(Point(line_a.coords[i])) for i in (0, -1))
    low, high = sorted((start, end))
    inner = substring(ring, low, high)
    outer = shapely.line_merge(MultiLineString([substring(ring, high, ring.length), substring(ring, 0, low)]))
    return min((inner, outer), key=lambda piece: shapely.hausdorff_distance(piece, line_a))
