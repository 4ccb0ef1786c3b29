"""The zone pack: zones, coverage, districts and metadata, loaded from a pack directory.

A pack directory holds ``pack.json`` (metadata and file checksums), ``zones.geojson``,
``coverage.geojson`` and ``districts.geojson``; all GeoJSON is RFC 7946 (x is longitude).
Loading checks every file against the checksum recorded by the build, so a truncated or
edited pack fails loudly instead of answering from partial data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.compiled import SOURCES, Compiled, CompiledError, read_compiled
from geo.dates import parse_date, time_zone
from geo.errors import PackError, RiskzonesError, UnknownZoneError
from geo.i18n import DEFAULT, LANGUAGES, N_, _, in_language

__all__ = [
    "KM2_PER_DEG2",
    "LEVEL_LABELS",
    "PACK_FILES",
    "Baseline",
    "BaselineText",
    "District",
    "NightRule",
    "Period",
    "Source",
    "Zone",
    "ZonePack",
    "ZoneText",
    "default_pack_dir",
    "level_label",
    "load_default_pack",
    "load_pack",
]

_LOG = logging.getLogger("riskzones")
T = TypeVar("T")

#: State Department advisory levels (English; ``level_label`` gives them in the current language).
LEVEL_LABELS = {
    1: N_("Exercise normal precautions"),
    2: N_("Exercise increased caution"),
    3: N_("Reconsider travel"),
    4: N_("Do not travel"),
}


def level_label(level: int | None) -> str | None:
    """The label of ``level`` in the current language (None for no level)."""
    return _(LEVEL_LABELS[level]) if level else None


PACK_FILES = ("zones", "coverage", "districts")
_KINDS = {"zone", "exception"}
_BASES = {"official-advisory", "government-decree", "monitoring-report", "indicative"}
#: How much of an exception may lie outside its parent (drawing noise), in km².
EXCEPTION_OUTSIDE_KM2 = 0.01
KM2_PER_DEG2 = 111.32 * 110.574


@dataclass(frozen=True)
class Source:
    """A cited source: what it is, where it is, and its date when known (ISO string or None)."""

    title: str
    url: str
    date: str | None = None


@dataclass(frozen=True)
class ZoneText:
    """What a person reads about a zone, in one language."""

    name: str
    summary: str
    advice: str


@dataclass(frozen=True)
class Zone:
    """One advisory zone; ``geometry`` is a shapely (Multi)Polygon in lon/lat.

    ``name``, ``summary`` and ``advice`` are in the language of the current request or run
    (``geo.i18n``): the pack carries them per language, English always.
    """

    id: str
    texts: Mapping[str, ZoneText]
    kind: str
    parent: str | None
    level: int
    categories: tuple[str, ...]
    basis: str
    sources: tuple[Source, ...]
    valid_from: dt.date | None
    valid_until: dt.date | None
    renewed_since: int | None
    confidence: str
    notes: tuple[str, ...]
    built_from: str
    geometry: BaseGeometry
    properties: dict[str, Any]
    #: Whose zone: a government code of the pack's ``advisories`` (``us``, ``uk``, ``ca``,
    #: ``au``), ``pe`` for Peru's decrees, ``research`` for monitoring-based zones.
    source: str = "research"
    #: The dated periods in force (a state of emergency's declaration and extensions), in
    #: order; empty when the zone has one period from ``valid_from`` to ``valid_until``.
    periods: tuple[Period, ...] = ()
    #: False when some decree of the zone has no known dates: a gap between periods may then
    #: be covered by it.
    periods_complete: bool = True

    @property
    def text(self) -> ZoneText:
        """The zone's name, summary and advice in the current language."""
        return in_language(self.texts)

    @property
    def name(self) -> str:
        return self.text.name

    @property
    def summary(self) -> str:
        return self.text.summary

    @property
    def advice(self) -> str:
        return self.text.advice


@dataclass(frozen=True)
class NightRule:
    """One night-travel rule of a government's text; ``waypoints`` (lon, lat) mark an allowed
    corridor (towns in order along it), None where the rule names no corridor line."""

    government: str
    version: dt.date
    rule: str
    scope: str
    corridor: str
    quote: str
    source_url: str
    waypoints: tuple[tuple[float, float], ...] | None


@dataclass(frozen=True)
class Period:
    """One period a zone is in force, both days included, the decree that set it, and whether
    that decree declared it anew (``declaration``) or extended it (``extension``)."""

    start: dt.date
    end: dt.date
    decree: str
    kind: str = "declaration"


@dataclass(frozen=True)
class District:
    """One district of the pack's district layer (ubigeo is the INEI code)."""

    ubigeo: str
    district: str
    province: str
    department: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class BaselineText:
    """The country-wide summary, advice and emergency contacts, in one language."""

    summary: str
    advice: tuple[str, ...]
    contacts: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Baseline:
    """The country-wide level and advice that apply where no zone does; its texts in the
    language of the current request or run."""

    level: int
    texts: Mapping[str, BaselineText]

    @property
    def summary(self) -> str:
        return in_language(self.texts).summary

    @property
    def advice(self) -> tuple[str, ...]:
        return in_language(self.texts).advice

    @property
    def contacts(self) -> tuple[dict[str, str], ...]:
        return in_language(self.texts).contacts


@dataclass(frozen=True)
class AdvisoryVersion:
    """One dated text of a government's advice: its country-wide level and wording."""

    version: str
    in_force_from: dt.date
    superseded_on: dt.date | None
    level: int
    native_level: str
    quote: str
    url: str


@dataclass(frozen=True)
class Government:
    """A government whose advice the pack carries: its scale and its dated texts."""

    code: str
    #: Its name by language (English always).
    names: Mapping[str, str]
    scale: dict[str, str]
    as_of: dt.date
    versions: tuple[AdvisoryVersion, ...]
    not_drawn: tuple[dict[str, str], ...]

    @property
    def name(self) -> str:
        """Its name in the language of the current request or run."""
        return in_language(self.names)

    def version_on(self, day: dt.date) -> AdvisoryVersion:
        """The text in force on ``day`` (the earliest known one before any was in force)."""
        current = self.versions[0]
        for version in self.versions:
            if version.in_force_from <= day:
                current = version
        return current


@dataclass(frozen=True)
class ZonePack:
    """A loaded, validated zone pack."""

    id: str
    name: str
    version: str
    built: str
    content_sha256: str
    timezone: str
    baseline: Baseline
    sources: tuple[dict[str, Any], ...]
    zones: tuple[Zone, ...]
    coverage: BaseGeometry
    districts: tuple[District, ...]
    path: Path
    files: dict[str, dict[str, str]]
    #: The governments whose advice the pack carries, by code (empty in a single-source pack).
    governments: dict[str, Government] = field(default_factory=dict)
    #: What changed from pack to pack, newest first (``geo.changes.PackDiff.as_json`` entries).
    changelog: tuple[dict[str, Any], ...] = ()
    #: States of emergency known from decrees that the pack cannot draw, and why.
    not_drawn: tuple[dict[str, Any], ...] = ()
    #: Night-travel rules of each government's texts, oldest first.
    night_travel: tuple[NightRule, ...] = ()
    #: The compiled form it was loaded from (``geo.compiled``), with the index's grid; None
    #: when it was read from its GeoJSON.
    compiled: Compiled | None = field(default=None, repr=False, compare=False)

    def date(self, value: object, *, field: str = "date") -> dt.date:
        """``value`` (``YYYY-MM-DD``, a date, or None for today in the pack's time zone) as a date."""
        return parse_date(value, self.timezone, field=field)

    def read_file(self, name: str) -> bytes:
        """The bytes of an optional pack file (e.g. ``gazetteer``), checked against its checksum."""
        entry = self.files.get(name)
        if not entry:
            raise PackError(f"{self.path / 'pack.json'}: the pack has no {name!r} file")
        return _verified(self.path / entry["path"], entry["sha256"])

    def position(self, zone_id: str) -> int:
        """The position of zone ``zone_id`` in ``zones`` (``UnknownZoneError`` when absent)."""
        for position, zone in enumerate(self.zones):
            if zone.id == zone_id:
                return position
        self.zone(zone_id)  # raises, naming the known ids
        raise AssertionError

    def zone(self, zone_id: str) -> Zone:
        """Return the zone with this id.

        Raises ``UnknownZoneError`` naming the known ids when there is none.
        """
        for zone in self.zones:
            if zone.id == zone_id:
                return zone
        known = ", ".join(z.id for z in self.zones)
        raise UnknownZoneError(f"no zone {zone_id!r} in pack {self.id!r}; known ids: {known}")

    def summary(self) -> dict[str, Any]:
        """A short JSON-ready description of the pack (id, version, zone counts by level)."""
        by_level: dict[str, int] = {}
        for zone in self.zones:
            by_level[str(zone.level)] = by_level.get(str(zone.level), 0) + 1
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "built": self.built,
            "content_sha256": self.content_sha256,
            "timezone": self.timezone,
            "zones": len(self.zones),
            "zones_by_level": dict(sorted(by_level.items())),
            "districts": len(self.districts),
            "baseline_level": self.baseline.level,
        }


def default_pack_dir() -> Path:
    """The directory of the packaged Peru pack (``geo/data/pe``)."""
    return Path(str(resources.files("geo") / "data" / "pe"))


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
        raws[name] = _verified(root / entry["path"], entry["sha256"])
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
    _check_zones(zones, root)
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
                versions=versions,
                not_drawn=tuple(entry.get("not_drawn") or ()),
            )
    except (KeyError, TypeError, ValueError, RiskzonesError) as exc:
        raise PackError(f"{where}: advisories are malformed ({exc})") from None
    return result


def _verified(path: Path, sha256: str) -> bytes:
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise PackError(
            f"{path}: checksum {digest[:12]}... does not match the {sha256[:12]}... recorded in "
            "pack.json; the pack is corrupt or was edited by hand. Rebuild it with "
            "`riskzones zones build`."
        )
    return raw


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PackError(f"{path}: cannot read the pack file ({exc.strerror})") from exc


def _parse_json(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise PackError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise PackError(f"{path}: expected a JSON object")
    return doc


def _read_json(path: Path) -> dict[str, Any]:
    return _parse_json(path, _read_bytes(path))


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


def _check_zones(zones: tuple[Zone, ...], root: Path) -> None:
    where = root / "zones.geojson"
    ids = [z.id for z in zones]
    if not zones:
        raise PackError(f"{where}: the pack has no zones")
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
        raw = _verified(path, entry["sha256"])
        return read_compiled(raw, {name: files[name]["sha256"] for name in SOURCES})
    except (PackError, CompiledError) as error:
        _LOG.warning("%s: not used, the pack is read from its GeoJSON instead: %s", path, error)
        return None
