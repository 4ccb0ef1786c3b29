"""The zone pack's model: zones, their texts and dates, governments and their text versions,
districts, the country-wide baseline, and the loaded pack (``geo.pack.load`` reads it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import mmap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.dates import parse_date
from geo.errors import PackError, UnknownZoneError
from geo.i18n import N_, _, in_language
from geo.pack.compiled import Compiled

__all__ = [
    "KM2_PER_DEG2",
    "LEVEL_LABELS",
    "PACK_FILES",
    "AdvisoryVersion",
    "Baseline",
    "BaselineText",
    "District",
    "Government",
    "NightRule",
    "Period",
    "Source",
    "Zone",
    "ZonePack",
    "ZoneText",
    "level_label",
    "read_bytes",
    "verified_bytes",
    "verified_map",
]


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
    #: How the build placed each date the ledger does not give (empty when both are read).
    placed: tuple[str, ...] = ()


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
    #: The last day the text was seen unchanged (its own date when never checked again).
    verified_on: dt.date


@dataclass(frozen=True)
class Government:
    """A government whose advice the pack carries: its scale and its dated texts."""

    code: str
    #: Its name by language (English always).
    names: Mapping[str, str]
    scale: dict[str, str]
    #: The newest text the pack was built from, and the last day it was seen unchanged.
    as_of: dt.date
    verified_on: dt.date
    versions: tuple[AdvisoryVersion, ...]
    #: The areas it names that the pack cannot draw (``geo.build.advisories.derive_advisories``).
    not_drawn: tuple[dict[str, Any], ...]

    def undrawn_on(self, day: dt.date) -> tuple[dict[str, Any], ...]:
        """The zones it names that are not drawn and in force on ``day``: wherever in the
        country an answer is given, one of them may apply (an exception that is not drawn is
        not listed: its zone is drawn whole)."""
        text = day.isoformat()
        return tuple(
            area
            for area in self.not_drawn
            if area.get("kind") == "zone"
            and str(area.get("valid_from") or "") <= text
            and (not area.get("valid_until") or text <= str(area["valid_until"]))
        )

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
    #: What changed from pack to pack, newest first (``geo.pack.changes.PackDiff.as_json`` entries).
    changelog: tuple[dict[str, Any], ...] = ()
    #: States of emergency known from decrees that the pack cannot draw, and why.
    not_drawn: tuple[dict[str, Any], ...] = ()
    #: Night-travel rules of each government's texts, oldest first.
    night_travel: tuple[NightRule, ...] = ()
    #: The ISO 3166 alpha-3 code of the country the pack covers (None for a pack that does not say).
    country: str | None = None
    #: The compiled form it was loaded from (``geo.pack.compiled``), with the index's grid; None
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
        return verified_bytes(self.path / entry["path"], entry["sha256"])

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


def verified_bytes(path: Path, sha256: str) -> bytes:
    """The bytes of pack file ``path``; ``PackError`` unless they match ``sha256``."""
    raw = read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise PackError(
            f"{path}: checksum {digest[:12]}... does not match the {sha256[:12]}... recorded in "
            "pack.json; the pack is corrupt or was edited by hand. Rebuild it with "
            "`riskzones zones build`."
        )
    return raw


def verified_map(path: Path, sha256: str) -> mmap.mmap:
    """Pack file ``path`` mapped read-only (``verified_bytes`` without reading it into memory);
    ``PackError`` unless it matches ``sha256``. After the checksum its pages are let go: a
    served worker then holds only the pages it reads (a compiled grid's cells it looks up)."""
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:
        raise PackError(f"{path}: cannot read the pack file ({getattr(exc, 'strerror', exc)})") from exc
    digest = hashlib.sha256(mapped).hexdigest()
    if digest != sha256:
        mapped.close()
        raise PackError(
            f"{path}: checksum {digest[:12]}... does not match the {sha256[:12]}... recorded in "
            "pack.json; the pack is corrupt or was edited by hand. Rebuild it with "
            "`riskzones zones build`."
        )
    if hasattr(mapped, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
        mapped.madvise(mmap.MADV_DONTNEED)
    return mapped


def read_bytes(path: Path) -> bytes:
    """The bytes of pack file ``path``; ``PackError`` naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PackError(f"{path}: cannot read the pack file ({exc.strerror})") from exc
