"""Human-readable rendering of engine answers for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.advisories import Currency, GovernmentAnswer
    from geo.changes import PackDiff
    from geo.itinerary import ItineraryResult
    from geo.results import PointResult
    from geo.route import RouteResult

__all__ = ["diff_report", "itinerary_report", "point_report", "route_report"]

_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def _compass(bearing: float) -> str:
    return _COMPASS[round(bearing / 45) % 8]


def governments_report(
    answers: Sequence[GovernmentAnswer],
    disagreement: bool,
    currency: Sequence[Currency],
    advisory: str | None,
) -> list[str]:
    """Every government's own level, whether they disagree, and how current each source is."""
    if not answers:
        return []
    lines = [f"Each government's advice (the level above follows {advisory}):"]
    for answer in answers:
        level = f"level {answer.level}" if answer.level else "no level"
        areas = f" ({', '.join(answer.areas)})" if answer.areas else ""
        excepted = f"; excepted here: {', '.join(answer.excepted)}" if answer.excepted else ""
        stale = " POSSIBLY OUTDATED" if answer.possibly_outdated else ""
        lines.append(
            f'  - {answer.government}: {level}, "{answer.native_level}"{areas}{excepted}; text of '
            f"{answer.version}, newest read {answer.as_of}{stale}"
        )
    if disagreement:
        lines.append("  Governments DISAGREE here: read each one's advice.")
    stale_sources = [c.source for c in currency if c.possibly_outdated]
    if stale_sources:
        lines.append(f"  Possibly outdated (newest text over 180 days old): {', '.join(stale_sources)}")
    return lines


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
    lines.extend(governments_report(result.advisories, result.disagreement, result.currency, result.advisory))
    if result.advice.zones or result.advice.baseline:
        lines.append("Advice:")
        lines.extend(f"  - {text}" for _, text in result.advice.zones)
        lines.extend(f"  - {text}" for text in result.advice.baseline)
    contacts = "; ".join(f"{c['name']} {c['number']}" for c in result.advice.contacts)
    lines.append(f"Emergency numbers: {contacts}")
    return "\n".join(lines)


def route_report(result: RouteResult, name: str) -> str:
    """The verdict, then each zone crossed with where it enters and leaves."""
    lines = [
        f"{name}: {result.length_km:.1f} km, {result.vertices:,} vertices, on {result.date}",
        f"Verdict: {result.verdict.replace('_', ' ').upper()}"
        + (f" (level {result.max_level}: {result.label})" if result.max_level else ""),
    ]
    for zone in result.zones:
        lines.append(f"  - {zone.name} [{zone.id}], level {zone.level}, {zone.status_text}")
        for crossing in zone.crossings:
            lines.append(
                f"    enters at km {crossing.enter_km:.1f} {crossing.enter}, leaves at km "
                f"{crossing.exit_km:.1f} {crossing.exit}: {crossing.inside_km:.1f} km inside"
            )
        if zone.excepted_km:
            lines.append(f"    {zone.excepted_km:.1f} km of it inside an exception")
    if result.near:
        lines.append("Closest approaches:")
        for near in result.near:
            lines.append(f"  - {near.name} [{near.id}]: {near.distance_km:.1f} km at km {near.route_km:.1f}")
    lines.extend(governments_report(result.advisories, result.disagreement, result.currency, result.advisory))
    lines.append("Why:")
    lines.extend(f"  - {reason}" for reason in result.reasons)
    return "\n".join(lines)


def itinerary_report(result: ItineraryResult) -> str:
    """The overall verdict, then each stop and leg."""
    lines = [
        f"Verdict: {result.verdict.replace('_', ' ').upper()}"
        + (" (needs review)" if result.needs_review else "")
    ]
    for stop in result.stops:
        check = stop.check
        level = f"level {check.level}" if check.level else "not covered"
        where = (
            f"{stop.place.district}, {stop.place.department}" if stop.place else f"{check.lat}, {check.lon}"
        )
        lines.append(f"  stop {stop.index + 1}: {stop.name} ({where}) on {stop.date}: {level}")
    for leg in result.legs:
        verdict, how = leg.verdict.replace("_", " "), leg.checked.replace("_", " ")
        lines.append(
            f"  leg {leg.index + 1}: {leg.origin} to {leg.destination} by {leg.mode}: {verdict} ({how})"
        )
    lines.append("Why:")
    lines.extend(f"  - {reason}" for reason in result.reasons)
    return "\n".join(lines)


def diff_report(diff: PackDiff) -> str:
    """``riskzones zones diff`` as text: one line per zone added or removed, one per change."""
    lines = [f"pack {diff.old_version} -> {diff.new_version}"]
    if diff.empty:
        return "\n".join([*lines, "  no zone added, removed or changed"])

    def zone(facts: dict[str, Any]) -> str:
        return f"{facts['id']} (level {facts['level']}, {facts['source']}, {facts['area_km2']:,} km²)"

    lines += [f"  added    {zone(f)}" for f in diff.added]
    lines += [f"  removed  {zone(f)}" for f in diff.removed]
    for change in diff.changed:
        lines.append(f"  changed  {change.id}")
        for name, (old, new) in change.fields.items():
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
