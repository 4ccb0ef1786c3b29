"""Human-readable rendering of engine answers for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from geo.engine.words import CHECKED_WORDS, COUNTRY_WORDS, STATUS_WORDS, VERDICT_WORDS
from geo.i18n import _

if TYPE_CHECKING:
    from geo.engine.advisories import Currency, GovernmentAnswer
    from geo.engine.results import PointResult
    from geo.trips.trip_result import ItineraryResult
    from geo.trips.verdict import RouteResult

__all__ = ["itinerary_report", "point_report", "route_report"]

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
    lines = [_("Each government's advice (the level above follows {advisory}):", advisory=advisory)]
    for answer in answers:
        level = _("level {level}", level=answer.level) if answer.level else _("no level")
        areas = f" ({', '.join(answer.areas)})" if answer.areas else ""
        excepted = _("; excepted here: {zones}", zones=", ".join(answer.excepted)) if answer.excepted else ""
        stale = _(" POSSIBLY OUTDATED") if answer.possibly_outdated else ""
        native = f', "{answer.native_level}"' if answer.native_level else ""
        text = (
            _(
                "text of {version}, newest read {as_of}, last confirmed current on {verified_on}",
                version=answer.version,
                as_of=answer.as_of,
                verified_on=answer.verified_on,
            )
            if answer.version
            else _("no text of this government applies here")
        )
        lines.append(f"  - {answer.government}: {level}{native}{areas}{excepted}; {text}{stale}")
    if disagreement:
        lines.append("  " + _("Governments DISAGREE here: read each one's advice."))
    stale_sources = [c.source for c in currency if c.possibly_outdated]
    if stale_sources:
        outdated = _(
            "Possibly outdated (not confirmed current for over 180 days): {sources}",
            sources=", ".join(stale_sources),
        )
        lines.append("  " + outdated)
    return lines


def point_report(result: PointResult) -> str:
    """A few lines a traveller can read: where, the level, the zones, what is near, advice."""
    lines = [_("lat {lat}, lon {lon}, on {date}", lat=result.lat, lon=result.lon, date=result.date)]
    if result.country:
        lines.append(_("In {country}", country=_(COUNTRY_WORDS.get(result.country, result.country))))
    if result.admin:
        admin = result.admin
        near = _(" (nearest district: the point is in a gap of the boundary data)")
        named = ", ".join(filter(None, (admin.district, admin.province, admin.department)))
        code = _("ubigeo {code}", code=admin.ubigeo) if admin.district else admin.ubigeo  # Peru's districts
        lines.append(f"{named} ({code})" + (near if admin.approximate else ""))
    if not result.covered:
        lines.append(_("NOT COVERED: this point is outside the zone pack; no level can be given."))
        if result.hint:
            lines.append(_("Hint: {hint}", hint=result.hint))
    else:
        lines.append(_("Level {level}: {label}", level=result.level, label=result.label))
    if result.zones:
        lines.append(_("Zones here:"))
        for zone in result.zones:
            effect = _("raises the level") if zone.raises_level else _("does not raise the level")
            if zone.excepted:
                effect = _("excepted here (an exception zone applies)")
            confidence = _("confidence: {confidence}", confidence=zone.confidence)
            lines.append(
                "  - " + _("{zone} [{id}], level {level}", zone=zone.name, id=zone.id, level=zone.level)
            )
            lines.append(f"    {zone.status_text}; {effect}; {confidence}")
            lines.append(f"    {zone.summary}")
    if result.nearby:
        lines.append(_("Nearby zones:"))
        for near_zone in result.nearby:
            status = _(STATUS_WORDS[near_zone.status])
            lines.append(
                "  - "
                + _(
                    "{zone} [{id}], level {level}: {km} km {compass} ({bearing}°), {status}",
                    zone=near_zone.name,
                    id=near_zone.id,
                    level=near_zone.level,
                    km=f"{near_zone.distance_km:.1f}",
                    compass=_compass(near_zone.bearing_deg),
                    bearing=f"{near_zone.bearing_deg:.0f}",
                    status=status,
                )
            )
    lines.extend(governments_report(result.advisories, result.disagreement, result.currency, result.advisory))
    if result.not_drawn:
        lines.append(_("Not drawn, and may apply here (the text names it; no outline could be drawn):"))
        for area in result.not_drawn:
            lines.append(
                "  - "
                + _(
                    "{name} [{id}], {government} level {level}: not drawn, {why}",
                    name=area.name,
                    id=area.id,
                    government=area.government.upper(),
                    level=area.level,
                    why=area.why,
                )
            )
    if result.advice.zones or result.advice.baseline:
        lines.append(_("Advice:"))
        lines.extend(f"  - {text}" for _zone, text in result.advice.zones)
        lines.extend(f"  - {text}" for text in result.advice.baseline)
    contacts = "; ".join(f"{c['name']} {c['number']}" for c in result.advice.contacts)
    lines.append(_("Emergency numbers: {contacts}", contacts=contacts))
    return "\n".join(lines)


def _verdict(verdict: str) -> str:
    return _(VERDICT_WORDS[verdict]).upper()


def route_report(result: RouteResult, name: str, read: dict[str, Any] | None = None) -> str:
    """The verdict, then each zone crossed with where it enters and leaves; ``read`` is what
    was read from the file (``geo.io.formats.input_summary``), its notes shown under the
    first line."""
    level = (
        " " + _("(level {level}: {label})", level=result.max_level, label=result.label)
        if result.max_level
        else ""
    )
    lines = [
        _(
            "{name}: {km} km, {vertices} vertices, on {date}",
            name=name,
            km=f"{result.length_km:.1f}",
            vertices=f"{result.vertices:,}",
            date=result.date,
        ),
        *(f"  ({note})" for note in (read or {}).get("notes", ())),
        _("Verdict: {verdict}", verdict=_verdict(result.verdict)) + level,
    ]
    for zone in result.zones:
        lines.append(
            "  - "
            + _(
                "{zone} [{id}], level {level}, {status}",
                zone=zone.name,
                id=zone.id,
                level=zone.level,
                status=zone.status_text,
            )
        )
        for crossing in zone.crossings:
            lines.append(
                "    "
                + _(
                    "enters at km {enter_km} {enter}, leaves at km {exit_km} {exit}: {km} km inside",
                    enter_km=f"{crossing.enter_km:.1f}",
                    enter=crossing.enter,
                    exit_km=f"{crossing.exit_km:.1f}",
                    exit=crossing.exit,
                    km=f"{crossing.inside_km:.1f}",
                )
            )
        if zone.excepted_km:
            lines.append("    " + _("{km} km of it inside an exception", km=f"{zone.excepted_km:.1f}"))
    if result.near:
        lines.append(_("Closest approaches:"))
        for near in result.near:
            lines.append(
                "  - "
                + _(
                    "{zone} [{id}]: {km} km at km {at}",
                    zone=near.name,
                    id=near.id,
                    km=f"{near.distance_km:.1f}",
                    at=f"{near.route_km:.1f}",
                )
            )
    lines.extend(governments_report(result.advisories, result.disagreement, result.currency, result.advisory))
    lines.append(_("Why:"))
    lines.extend(f"  - {reason}" for reason in result.reasons)
    return "\n".join(lines)


def itinerary_report(result: ItineraryResult) -> str:
    """The overall verdict, then each stop and leg."""
    from geo.trips.trip_result import MODE_NAMES

    review = " " + _("(needs review)") if result.needs_review else ""
    lines = [_("Verdict: {verdict}", verdict=_verdict(result.verdict)) + review]
    for stop in result.stops:
        check = stop.check
        level = _("level {level}", level=check.level) if check.level else _("not covered")
        where = stop.place.where if stop.place else f"{check.lat}, {check.lon}"
        lines.append(
            "  "
            + _(
                "stop {number}: {name} ({where}) on {date}: {level}",
                number=stop.index + 1,
                name=stop.name,
                where=where,
                date=stop.date,
                level=level,
            )
        )
    for leg in result.legs:
        verdict = _(VERDICT_WORDS.get(leg.verdict, leg.verdict.replace("_", " ")))
        lines.append(
            "  "
            + _(
                "leg {number}: {origin} to {destination} by {mode}: {verdict} ({how})",
                number=leg.index + 1,
                origin=leg.origin,
                destination=leg.destination,
                mode=_(MODE_NAMES[leg.mode]),
                verdict=verdict,
                how=_(CHECKED_WORDS[leg.checked]),
            )
        )
    lines.append(_("Why:"))
    lines.extend(f"  - {reason}" for reason in result.reasons)
    for event in result.unplaced:
        if event.candidates:
            could_be = "; ".join(f"{p.name} ({p.where})" for p in event.candidates)
            lines.append(_("  {event}: it could be {places}", event=event.event, places=could_be))
    return "\n".join(lines)
