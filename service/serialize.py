"""Engine answers to JSON: one place decides the shape the API promises."""

from __future__ import annotations

from typing import Any

from geo.pack import Zone, ZonePack
from geo.results import PointResult

__all__ = ["pack_ref", "point_json", "zone_properties"]


def pack_ref(pack: ZonePack) -> dict[str, str]:
    """Which pack answered."""
    return {"id": pack.id, "version": pack.version}


def point_json(result: PointResult, *, with_advice: bool = True) -> dict[str, Any]:
    """A point answer; without advice in batches, where it is given once for all points.

    Built field by field: ``dataclasses.asdict`` deep-copies and costs more than the lookup.
    """
    body: dict[str, Any] = {
        "lon": result.lon,
        "lat": result.lat,
        "date": result.date,
        "covered": result.covered,
        "level": result.level,
        "label": result.label,
        "zones": [{**vars(z), "categories": list(z.categories)} for z in result.zones],
        "nearby": [{**vars(n), "nearest": {"lon": n.nearest[0], "lat": n.nearest[1]}} for n in result.nearby],
        "admin": dict(vars(result.admin)) if result.admin else None,
        "hint": result.hint,
    }
    if with_advice:
        advice = result.advice
        body["advice"] = {
            "baseline": list(advice.baseline),
            "zones": [{"id": zone_id, "advice": text} for zone_id, text in advice.zones],
            "contacts": list(advice.contacts),
        }
    return body


def zone_properties(zone: Zone, status: str, status_text: str) -> dict[str, Any]:
    """A zone's published properties with its status on the asked date."""
    return {**zone.properties, "status": status, "status_text": status_text}
