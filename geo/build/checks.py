"""Checks run on every build; a failed check stops the build before anything is written."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.build.districts import MAX_SIMPLIFICATION_ERROR_M
from geo.build.draft import ZoneDraft
from geo.build.geometry import geodesic_area_km2
from geo.errors import PackError

__all__ = ["THRESHOLDS", "run_checks"]

#: Acceptance limits of the derived geometry against independent references.
THRESHOLDS = {
    "vraem_area_difference_pct": 0.5,
    "colombia_border_area_difference_pct": 5.0,
    "district_simplification_error_m": MAX_SIMPLIFICATION_ERROR_M,
    "exception_outside_parent_km2": 0.01,
}


def run_checks(
    zones: list[ZoneDraft],
    coverage: BaseGeometry,
    district_geometries: list[BaseGeometry],
    vraem_check: dict[str, Any] | None,
    border_check: dict[str, Any],
    district_facts: dict[str, Any],
) -> dict[str, Any]:
    """Validate the pack and measure it; raise ``PackError`` listing every failed check."""
    failures: list[str] = []
    ids = [z.id for z in zones]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        failures.append(f"duplicate zone ids: {', '.join(duplicates)}")
    invalid = [z.id for z in zones if z.geometry.is_empty or not z.geometry.is_valid]
    invalid_districts = int((~shapely.is_valid(district_geometries)).sum())
    if invalid:
        failures.append(f"invalid zone geometry: {', '.join(invalid)}")
    if invalid_districts:
        failures.append(f"{invalid_districts} invalid district geometries")
    if not coverage.is_valid:
        failures.append("invalid coverage outline")

    by_id = {z.id: z for z in zones}
    exceptions = {}
    for zone in zones:
        if zone.properties["kind"] != "exception":
            continue
        parent = by_id.get(zone.properties["parent"])
        if parent is None:
            failures.append(f"{zone.id}: parent {zone.properties['parent']!r} is not in the pack")
            continue
        outside = geodesic_area_km2(zone.geometry.difference(parent.geometry))
        exceptions[zone.id] = {"parent": parent.id, "outside_parent_km2": round(outside, 4)}
        if outside > THRESHOLDS["exception_outside_parent_km2"]:
            failures.append(f"{zone.id}: {outside:.3f} km² lies outside its parent {parent.id}")

    limits = (
        ("VRAEM vs PCM outline", vraem_check, "vraem_area_difference_pct"),
        ("Colombian border vs candidate", border_check, "colombia_border_area_difference_pct"),
    )
    for label, check, key in limits:
        if check is not None and abs(check["area_difference_pct"]) > THRESHOLDS[key]:
            failures.append(
                f"{label}: area differs by {check['area_difference_pct']}% (limit {THRESHOLDS[key]}%)"
            )
    if district_facts["max_error_m"] > THRESHOLDS["district_simplification_error_m"]:
        failures.append(
            f"district layer simplification error {district_facts['max_error_m']} m exceeds "
            f"{MAX_SIMPLIFICATION_ERROR_M} m"
        )
    if failures:
        raise PackError("the pack failed its checks: " + "; ".join(failures))
    return {
        "thresholds": THRESHOLDS,
        "all_geometries_valid": True,
        "zone_ids_unique": True,
        "exceptions_inside_parent": exceptions,
        "colombia_border_vs_candidate": border_check,
        "district_layer": district_facts,
        "zones": [_measure(z) for z in zones],
    }


def _measure(zone: ZoneDraft) -> dict[str, Any]:
    geometry = zone.geometry
    return {
        "id": zone.id,
        "level": zone.properties["level"],
        "area_km2": round(geodesic_area_km2(geometry), 1),
        "vertices": int(shapely.get_num_coordinates(geometry)),
        "parts": int(shapely.get_num_geometries(geometry)),
        **{k: v for k, v in zone.facts.items() if k == "districts"},
    }
