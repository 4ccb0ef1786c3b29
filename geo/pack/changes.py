"""What changed between two packs: zones added, removed and changed (level, dates, area).

One rule for what counts as a change, used by ``riskzones zones diff`` and by the build's
change log. Areas are geodesic km² on the WGS84 ellipsoid, compared at 0.1 km².
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.pack import ZonePack
from geo.spatial.nearby import GEOD

__all__ = [
    "COMPARED",
    "PackDiff",
    "ZoneChange",
    "changed_files",
    "diff_packs",
    "diff_zones",
    "pack_checksums",
    "report",
    "zone_facts",
]

#: The facts of a zone compared between packs, in the order they are reported.
COMPARED = ("name", "kind", "level", "source", "valid_from", "valid_until", "periods", "area_km2")


@dataclass(frozen=True)
class ZoneChange:
    """One zone present in both packs whose facts differ: ``fields`` maps a fact to
    ``(old, new)``."""

    id: str
    fields: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class PackDiff:
    """Zones added, removed and changed from an old pack to a new one, and the pack's files
    whose content differs (a release may change only the gazetteer or the base layer)."""

    old_version: str | None
    new_version: str | None
    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[ZoneChange, ...]
    files: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.files)

    def report(self) -> str:
        """As text: ``riskzones zones diff``, the data changes of geo/data/README.md."""
        return report(self.as_json())

    def as_json(self) -> dict[str, Any]:
        """The one JSON form: ``riskzones zones diff --json`` and the pack's change log."""
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [
                {"id": c.id, "fields": {k: {"old": old, "new": new} for k, (old, new) in c.fields.items()}}
                for c in self.changed
            ],
            "files": list(self.files),
        }


def zone_facts(properties: dict[str, Any], geometry: BaseGeometry) -> dict[str, Any]:
    """The compared facts of one zone (``COMPARED``), with its id."""
    area_m2, _ = GEOD.geometry_area_perimeter(geometry)
    return {
        "id": properties["id"],
        "name": properties.get("name"),
        "kind": properties.get("kind"),
        "level": properties.get("level"),
        "source": properties.get("source", "research"),
        "valid_from": properties.get("valid_from"),
        "valid_until": properties.get("valid_until"),
        "periods": [[p["start"], p["end"], p["decree"]] for p in properties.get("periods") or ()],
        "area_km2": round(abs(area_m2) / 1e6, 1),
    }


def diff_zones(
    old: Iterable[dict[str, Any]],
    new: Iterable[dict[str, Any]],
    *,
    old_version: str | None = None,
    new_version: str | None = None,
) -> PackDiff:
    """The difference between two lists of ``zone_facts``, zones in the new pack's order."""
    before = {f["id"]: f for f in old}
    after = {f["id"]: f for f in new}
    changed = []
    for zone_id, facts in after.items():
        if zone_id in before:
            fields = {k: (before[zone_id][k], facts[k]) for k in COMPARED if before[zone_id][k] != facts[k]}
            if fields:
                changed.append(ZoneChange(zone_id, fields))
    return PackDiff(
        old_version=old_version,
        new_version=new_version,
        added=tuple(f for i, f in after.items() if i not in before),
        removed=tuple(f for i, f in before.items() if i not in after),
        changed=tuple(changed),
    )


def changed_files(before: dict[str, str], after: dict[str, str]) -> tuple[str, ...]:
    """The names of the files (name to sha256) added, removed or changed from ``before`` to
    ``after``, sorted."""
    return tuple(sorted(name for name in {*before, *after} if before.get(name) != after.get(name)))


def pack_checksums(pack: ZonePack) -> dict[str, str]:
    """A pack's files, by name, with their sha256 as its pack.json records them."""
    return {entry["path"]: entry["sha256"] for entry in pack.files.values()}


def diff_packs(old: ZonePack, new: ZonePack) -> PackDiff:
    """What changed from pack ``old`` to pack ``new``: its zones and its files."""
    diff = diff_zones(
        (zone_facts(z.properties, z.geometry) for z in old.zones),
        (zone_facts(z.properties, z.geometry) for z in new.zones),
        old_version=old.version,
        new_version=new.version,
    )
    return replace(diff, files=changed_files(pack_checksums(old), pack_checksums(new)))


def report(diff: dict[str, Any]) -> str:
    """A diff in its JSON form (``PackDiff.as_json``, a changelog entry) as text: one line per
    zone added or removed, one per changed fact."""
    lines = [f"pack {diff.get('old_version')} -> {diff.get('new_version')}"]
    if diff.get("files"):
        lines.append(f"  files changed: {', '.join(diff['files'])}")
    if not (diff["added"] or diff["removed"] or diff["changed"]):
        return "\n".join([*lines, "  no zone added, removed or changed"])

    def zone(facts: dict[str, Any]) -> str:
        return f"{facts['id']} (level {facts['level']}, {facts['source']}, {facts['area_km2']:,} km²)"

    lines += [f"  added    {zone(f)}" for f in diff["added"]]
    lines += [f"  removed  {zone(f)}" for f in diff["removed"]]
    for change in diff["changed"]:
        lines.append(f"  changed  {change['id']}")
        for name, values in change["fields"].items():
            old, new = values["old"], values["new"]
            if name == "periods":
                lines.append(f"             periods: {len(old)} -> {len(new)} ({_periods_added(old, new)})")
            else:
                lines.append(f"             {name}: {old} -> {new}")
    return "\n".join(lines)


def _periods_added(old: list[list[str]], new: list[list[str]]) -> str:
    gained = [p for p in new if p not in old]
    lost = [p for p in old if p not in new]
    parts = [f"+ {p[2]} {p[0]}..{p[1]}" for p in gained] + [f"- {p[2]} {p[0]}..{p[1]}" for p in lost]
    return "; ".join(parts) or "reordered"
