"""Loading a zone pack from a pack directory, validated.

A pack directory holds ``pack.json`` (metadata and file checksums), ``zones.geojson``,
``coverage.geojson`` and ``districts.geojson``; all GeoJSON is RFC 7946 (x is longitude).
Loading checks every file against the checksum recorded by the build, so a truncated or
edited pack fails loudly instead of answering from partial data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.dates import parse_date, time_zone
from geo.errors import PackError, RiskzonesError
from geo.i18n import DEFAULT, LANGUAGES
from geo.pack.compiled import SOURCES, Compiled, CompiledError, read_compiled
from geo.pack.model import (
    KM2_PER_DEG2,
    LEVEL_LABELS,
    PACK_FILES,
    AdvisoryVersion,
    Baseline,
    BaselineText,
    District,
    Government,
    NightRule,
    Period,
    Source,
    Zone,
    ZonePack,
    ZoneText,
    read_bytes,
    verified_bytes,
    verified_map,
)

__all__ = ["default_pack_dir", "load_default_pack", "load_pack", "neighbour_pack_dirs"]

_LOG = logging.getLogger("riskzones")
T = TypeVar("T")
_KINDS = {"zone", "exception"}
_BASES = {"official-advisory", "government-decree", "monitoring-report", "indicative"}
#: How much of an exception may lie outside its parent (drawing noise), in km².
EXCEPTION_OUTSIDE_KM2 = 0.01


def default_pack_dir() -> Path:
    """The directory of the packaged Peru pack (``geo/data/pe``)."""
    return Path(str(resources.files("geo") / "data" / "pe"))


#: The neighbours' packaged packs, in the order they are served after Peru's.
NEIGHBOUR_PACKS = ("co", "ec", "bo", "br", "cl")


def neighbour_pack_dirs() -> list[Path]:
    """The directories of the packaged neighbour packs (``geo/data/co`` ...), those present."""
    root = default_pack_dir().parent
    return [root / name for name in NEIGHBOUR_PACKS if (root / name / "pack.json").is_file()]


@cache
def load_default_pack() -> ZonePack:
    """Load the packaged Peru pack once per process.

    Examples
    --------
    >>> pack = load_default_pack()
    >>> pack.id, pack.baseline.level
    ('pe', 2)
    >>> pack.zone("us-vraem").level
    4
    """
    return load_pack(default_pack_dir())


def load_pack(path: str | Path) -> ZonePack:
    """Load and validate the pack in directory ``path``.

    Raises ``PackError`` when a file is missing, does not match its recorded checksum,
    or holds an invalid zone.
    """
    root = Path(path)
    meta = _read_json(root / "pack.json")
    files = meta.get("files") or {}
    raws = {}
    for name in PACK_FILES:
        entry = files.get(name)
        if not entry:
            raise PackError(f"{root / 'pack.json'}: no entry for the {name!r} file")
        raws[name] = verified_bytes(root / entry["path"], entry["sha256"])
    compiled = _compiled(root, files)
    if compiled is not None:
        zone_parts = list(zip(compiled.zone_properties, compiled.zone_geometries, strict=True))
        coverage = compiled.coverage
        district_parts = list(zip(compiled.district_properties, compiled.district_geometries, strict=True))
    else:
        docs = {name: _parse_json(root / files[name]["path"], raw) for name, raw in raws.items()}
        zone_parts = [(f.get("properties") or {}, f.get("geometry")) for f in docs["zones"]["features"]]
        coverage = shapely.union_all([shape(f["geometry"]) for f in docs["coverage"]["features"]])
        district_parts = [(f["properties"], shape(f["geometry"])) for f in docs["districts"]["features"]]
    zones = tuple(_zone(props, geometry, root) for props, geometry in zone_parts)
    _check_zones(zones, root, countrywide=bool(meta.get("advisories")))
    districts = tuple(_district(props, geometry) for props, geometry in district_parts)
    base = meta["baseline"]
    timezone = str(meta.get("timezone"))
    try:
        time_zone(timezone)
    except RiskzonesError as error:
        raise PackError(
            f"{root / 'pack.json'}: timezone {timezone!r} is missing or unknown; the pack must name "
            f'the IANA time zone its dates are in, e.g. "timezone": "America/Lima" ({error})'
        ) from None
    governments = _governments(meta.get("advisories") or {}, root)
    _check_sources(zones, governments, root)
    return ZonePack(
        id=meta["id"],
        name=meta["name"],
        version=meta["version"],
        built=meta["built"],
        content_sha256=meta["content_sha256"],
        timezone=timezone,
        baseline=Baseline(
            level=int(base["level"]),
            texts=_per_language(
                base,
                lambda b: BaselineText(b["summary"], tuple(b["advice"]), tuple(b["contacts"])),
            ),
        ),
        sources=tuple(meta["sources"]),
        zones=zones,
        coverage=coverage,
        districts=districts,
        path=root,
        files=dict(files),
        governments=governments,
        changelog=tuple(meta.get("changelog") or ()),
        not_drawn=tuple(meta.get("emergencies_not_drawn") or ()),
        night_travel=_night_rules(meta.get("night_travel") or [], root),
        country=str(meta["country"]) if meta.get("country") else None,
        compiled=compiled,
    )


def _night_rules(rows: list[dict[str, Any]], root: Path) -> tuple[NightRule, ...]:
    try:
        rules = [
            NightRule(
                government=str(r["government"]),
                version=parse_date(r["version"], "UTC", field="night_travel.version"),
                rule=str(r["rule"]),
                scope=str(r["scope"]),
                corridor=str(r["corridor"]),
                quote=str(r["quote"]),
                source_url=str(r["source_url"]),
                waypoints=tuple((float(x), float(y)) for x, y in r["waypoints"])
                if r.get("waypoints")
                else None,
            )
            for r in rows
        ]
    except (KeyError, TypeError, ValueError, RiskzonesError) as exc:
        raise PackError(f"{root / 'pack.json'}: a night_travel rule is malformed: {exc}") from None
    return tuple(sorted(rules, key=lambda r: r.version))


#: Sources of zones that are not a government's advice.
OTHER_SOURCES = ("pe", "research")


def _check_sources(zones: tuple[Zone, ...], governments: dict[str, Any], root: Path) -> None:
    """Every zone names a known source; an exception belongs to its parent's source."""
    by_id = {z.id: z for z in zones}
    for zone in zones:
        if zone.source not in governments and zone.source not in OTHER_SOURCES:
            known = ", ".join([*governments, *OTHER_SOURCES])
            raise PackError(
                f"{root / 'zones.geojson'}: zone {zone.id!r} has unknown source {zone.source!r} ({known})"
            )
        parent = by_id.get(zone.parent or "")
        if zone.kind == "exception" and parent is not None and parent.source != zone.source:
            raise PackError(
                f"{root / 'zones.geojson'}: exception {zone.id!r} ({zone.source}) belongs to a zone of "
                f"another source ({parent.id!r}, {parent.source})"
            )


def _governments(advisories: dict[str, Any], root: Path) -> dict[str, Government]:
    where = root / "pack.json"
    result = {}
    try:
        for code, entry in advisories.items():
            versions = tuple(
                AdvisoryVersion(
                    version=v["version"],
                    in_force_from=parse_date(v["in_force_from"], "UTC", field="in_force_from"),
                    superseded_on=parse_date(v["superseded_on"], "UTC", field="superseded_on")
                    if v.get("superseded_on")
                    else None,
                    level=int(v["level"]),
                    native_level=v["native_level"],
                    quote=v["quote"],
                    url=v["url"],
                    verified_on=parse_date(v.get("verified_on") or v["version"], "UTC", field="verified_on"),
                )
                for v in sorted(entry["versions"], key=lambda v: v["in_force_from"])
            )
            if not versions:
                raise ValueError("no versions")
            result[code] = Government(
                code=code,
                names=_per_language(entry, lambda e: str(e["name"])),
                scale=dict(entry["scale"]),
                as_of=parse_date(entry["as_of"], "UTC", field="as_of"),
                verified_on=parse_date(
                    entry.get("verified_on") or entry["as_of"], "UTC", field="verified_on"
                ),
                versions=versions,
                not_drawn=tuple(entry.get("not_drawn") or ()),
            )
    except (KeyError, TypeError, ValueError, RiskzonesError) as exc:
        raise PackError(f"{where}: advisories are malformed ({exc})") from None
    return result


def _parse_json(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise PackError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise PackError(f"{path}: expected a JSON object")
    return doc


def _read_json(path: Path) -> dict[str, Any]:
    return _parse_json(path, read_bytes(path))


def _per_language(entry: dict[str, Any], make: Callable[[dict[str, Any]], T]) -> dict[str, T]:
    """``make`` of an entry of the pack (a zone's properties, the baseline, a government) in
    each language it carries: English from the entry itself, another language from its
    ``translations`` over it (a text it leaves out stays English)."""
    texts = {DEFAULT: make(entry)}
    for code, translated in (entry.get("translations") or {}).items():
        if code in LANGUAGES and code != DEFAULT:
            texts[code] = make({**entry, **translated})
    return texts


def _zone(properties: dict[str, Any], geometry: Any, root: Path) -> Zone:
    """A zone from its properties and its geometry (a shapely geometry, or GeoJSON)."""
    props = dict(properties)
    try:
        if not isinstance(geometry, BaseGeometry):
            geometry = shape(geometry)
        return Zone(
            id=props["id"],
            texts=_per_language(props, lambda p: ZoneText(p["name"], p["summary"], p["advice"])),
            kind=props["kind"],
            parent=props.get("parent"),
            level=int(props["level"]),
            categories=tuple(props["categories"]),
            basis=props["basis"],
            sources=tuple(Source(s["title"], s["url"], s.get("date")) for s in props["sources"]),
            valid_from=_zone_date(props, "valid_from"),
            valid_until=_zone_date(props, "valid_until"),
            renewed_since=props.get("renewed_since"),
            confidence=props["confidence"],
            notes=tuple(props.get("notes") or ()),
            built_from=props["built_from"],
            geometry=geometry,
            properties=props,
            source=str(props.get("source") or "research"),
            periods=tuple(
                Period(
                    _zone_date(p, "start") or _missing("start"),
                    _zone_date(p, "end") or _missing("end"),
                    str(p["decree"]),
                    str(p.get("kind") or "declaration"),
                    tuple(str(how) for how in p.get("placed") or ()),
                )
                for p in props.get("periods") or ()
            ),
            periods_complete=bool(props.get("periods_complete", True)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PackError(f"{root / 'zones.geojson'}: zone {props.get('id')!r} is malformed: {exc}") from exc


def _zone_date(props: dict[str, Any], field: str) -> dt.date | None:
    value = props.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field} {value!r} is not a YYYY-MM-DD text")
    # The time zone is irrelevant: a text is never read as "today".
    return parse_date(value, "UTC", field=field)


def _missing(field: str) -> dt.date:
    raise ValueError(f"a period has no {field}")


def _check_zones(zones: tuple[Zone, ...], root: Path, *, countrywide: bool) -> None:
    """Zones that are well formed; none only in a pack whose governments give country-wide
    levels (Chile's: no government names a region there)."""
    where = root / "zones.geojson"
    ids = [z.id for z in zones]
    if not zones and not countrywide:
        raise PackError(f"{where}: the pack has no zones and no government's country-wide level")
    if len(set(ids)) != len(ids):
        raise PackError(f"{where}: duplicate zone ids")
    for zone in zones:
        if zone.kind not in _KINDS or zone.basis not in _BASES or zone.level not in LEVEL_LABELS:
            raise PackError(f"{where}: zone {zone.id!r} has an unknown kind, basis or level")
        if zone.geometry.is_empty or not zone.geometry.is_valid:
            raise PackError(f"{where}: zone {zone.id!r} has an empty or invalid geometry")
        if zone.valid_from and zone.valid_until and zone.valid_until < zone.valid_from:
            raise PackError(f"{where}: zone {zone.id!r} has valid_until before valid_from")
        for before, period in zip((None, *zone.periods), zone.periods, strict=False):
            if period.end < period.start or (before is not None and period.start < before.start):
                raise PackError(
                    f"{where}: zone {zone.id!r} has a period ending before it starts or out of "
                    f"order ({period.decree}, {period.start} to {period.end})"
                )
        if zone.kind == "exception":
            _check_exception(zone, zones, where)


def _check_exception(zone: Zone, zones: tuple[Zone, ...], where: Path) -> None:
    """An exception lifts its parent's level only inside the parent: it may not reach beyond it."""
    parents = [z for z in zones if z.id == zone.parent and z.kind == "zone"]
    if not parents:
        raise PackError(f"{where}: exception {zone.id!r} names no zone of this pack as parent")
    outside = zone.geometry.difference(parents[0].geometry).area * KM2_PER_DEG2
    if outside > EXCEPTION_OUTSIDE_KM2:
        raise PackError(
            f"{where}: exception {zone.id!r} reaches {outside:.2f} km² beyond its parent "
            f"{zone.parent!r} (at most {EXCEPTION_OUTSIDE_KM2} km² allowed); clip it to the parent"
        )


def _district(props: dict[str, Any], geometry: BaseGeometry) -> District:
    return District(
        ubigeo=props["ubigeo"],
        district=props["district"],
        province=props["province"],
        department=props["department"],
        geometry=geometry,
    )


def _compiled(root: Path, files: dict[str, Any]) -> Compiled | None:
    """The pack's compiled form when it has one that matches its GeoJSON; None otherwise (the
    GeoJSON is read instead, and the log says why). A compiled file is never trusted on its
    own: its checksum and the checksums of the GeoJSON it was derived from are checked."""
    entry = files.get("compiled")
    if not entry:
        return None
    path = root / entry["path"]
    try:
        raw = verified_map(path, entry["sha256"])
        return read_compiled(raw, {name: files[name]["sha256"] for name in SOURCES})
    except (PackError, CompiledError) as error:
        _LOG.warning("%s: not used, the pack is read from its GeoJSON instead: %s", path, error)
        return None
