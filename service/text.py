"""Human-readable rendering of engine answers for the command line."""

from __future__ import annotations

from geo.results import PointResult

__all__ = ["point_report"]

_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def _compass(bearing: float) -> str:
    return _COMPASS[round(bearing / 45) % 8]


def point_report(result: PointResult) -> str:
    """A few lines a traveller can read: where, the level, the zones, what is near, advice."""
    lines = [f"lat {result.lat}, lon {result.lon}, on {result.date}"]
    if result.admin:
        admin = result.admin
        near = " (nearest district: the point is in a gap of the boundary data)"
        lines.append(
            f"{admin.district}, {admin.province}, {admin.department} (ubigeo {admin.ubigeo})"
            + (near if admin.approximate else "")
        )
    if not result.covered:
        lines.append("NOT COVERED: this point is outside the zone pack; no level can be given.")
        if result.hint:
            lines.append(f"Hint: {result.hint}")
    else:
        lines.append(f"Level {result.level}: {result.label}")
    if result.zones:
        lines.append("Zones here:")
        for zone in result.zones:
            effect = "raises the level" if zone.raises_level else "does not raise the level"
            if zone.excepted:
                effect = "excepted here (an exception zone applies)"
            lines.append(f"  - {zone.name} [{zone.id}], level {zone.level}")
            lines.append(f"    {zone.status_text}; {effect}; confidence: {zone.confidence}")
            lines.append(f"    {zone.summary}")
    if result.nearby:
        lines.append("Nearby zones:")
        for near_zone in result.nearby:
            lines.append(
                f"  - {near_zone.name} [{near_zone.id}], level {near_zone.level}: "
                f"{near_zone.distance_km:.1f} km {_compass(near_zone.bearing_deg)} "
                f"({near_zone.bearing_deg:.0f}°), {near_zone.status.replace('_', ' ')}"
            )
    if result.advice.zones or result.advice.baseline:
        lines.append("Advice:")
        lines.extend(f"  - {text}" for _, text in result.advice.zones)
        lines.extend(f"  - {text}" for text in result.advice.baseline)
    contacts = "; ".join(f"{c['name']} {c['number']}" for c in result.advice.contacts)
    lines.append(f"Emergency numbers: {contacts}")
    return "\n".join(lines)
