"""What changed between two packs: zones added, removed and changed (level, dates, area).

One rule for what counts as a change, used by ``riskzones zones diff`` and by the build's
change log. Areas are geodesic km² on the WGS84 ellipsoid, compared at 0.1 km².
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.pack import ZonePack
from geo.spatial.nearby import GEOD

__all__ = ["COMPARED", "PackDiff", "ZoneChange", "diff_packs", "diff_zones", "zone_facts"]

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
    """Zones added, removed and changed from an old pack to a new one."""

    old_version: str | None
    new_version: str | None
    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[ZoneChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

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


def diff_packs(old: ZonePack, new: ZonePack) -> PackDiff:
    """What changed from pack ``old`` to pack ``new``."""
    return diff_zones(
        (zone_facts(z.properties, z.geometry) for z in old.zones),
        (zone_facts(z.properties, z.geometry) for z in new.zones),
        old_version=old.version,
        new_version=new.version,
    )
