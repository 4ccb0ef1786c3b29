"""What the trip report says, gathered from an itinerary's answer, and its HTML."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from geo.dates import time_zone
from geo.engine.advisories import GovernmentAnswer
from geo.engine.index import ZoneIndex
from geo.engine.words import CHECKED_WORDS, VERDICT_WORDS
from geo.i18n import _, language
from geo.pack import Zone, level_label
from geo.trips.trip_result import MODE_NAMES, ItineraryResult
from maps.colours import LEVEL_COLOURS, NO_LEVEL_COLOUR, ink
from maps.trip_svg import trip_svg

__all__ = ["REPORT_FORMATS", "REPORT_POLICY", "render_report", "report_context", "trip_report_html"]

#: The report's formats, by the name ``format=`` and ``--report``'s suffix give them.
REPORT_FORMATS = {"html": "text/html", "pdf": "application/pdf"}
TEMPLATES = Path(__file__).parent / "templates"
#: The report page's own security policy: no script, no fetch of any kind, inline styles and
#: the inline SVG map only.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def render_report(
    index: ZoneIndex, result: ItineraryResult, fmt: str, *, advisory: str | None, checked_at: dt.datetime
) -> bytes:
    """The report of ``result`` as ``fmt`` (``html`` or ``pdf``): the one renderer of the API,
    the command line and the map page's Report button."""
    html = trip_report_html(index, result, advisory=advisory, checked_at=checked_at)
    if fmt == "pdf":
        from service.report.pdf import pdf_from_html

        return pdf_from_html(html)
    return html.encode("utf-8")


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def trip_report_html(
    index: ZoneIndex, result: ItineraryResult, *, advisory: str | None, checked_at: dt.datetime
) -> str:
    """The report of ``result`` (checked for ``advisory`` at ``checked_at``) as one HTML page
    with everything inline, in the current language."""
    return (
        _environment().get_template("trip.html").render(**report_context(index, result, advisory, checked_at))
    )


def _chip(level: int | None) -> dict[str, Any]:
    """A level as the report shows it: number, label and colour (text colour for contrast)."""
    return {
        "level": level,
        "label": level_label(level) or _("no level"),
        "colour": LEVEL_COLOURS.get(level or 0, NO_LEVEL_COLOUR),
        "ink": ink(level),
    }


def _governments(answers: tuple[GovernmentAnswer, ...], codes: list[str]) -> list[dict[str, Any]]:
    by_code = {a.government: a for a in answers}
    cells = []
    for code in codes:
        answer = by_code.get(code)
        level = answer.level if answer else None
        cells.append({**_chip(level), "native": answer.native_level if answer else None})
    return cells


def report_context(
    index: ZoneIndex, result: ItineraryResult, advisory: str | None, checked_at: dt.datetime
) -> dict[str, Any]:
    """Everything the template shows, in the current language."""
    pack = index.pack
    government = index.rule.advisory(advisory) or index.rule.default_advisory
    codes = list(pack.governments)
    met: dict[str, Zone] = {}
    by_id = {z.id: z for z in pack.zones}
    rows: list[dict[str, Any]] = []
    for stop in result.stops:
        check = stop.check
        for hit in check.zones:
            met.setdefault(hit.id, by_id[hit.id])
        place = stop.place
        rows.append(
            {
                "kind": "stop",
                "number": stop.index + 1,
                "date": stop.date,
                "name": stop.name,
                "where": place.where if place else f"{check.lat:.4f}, {check.lon:.4f}",
                "chip": _chip(check.level),
                "governments": _governments(check.advisories, codes),
                "zones": [z.name for z in check.zones if z.raises_level],
                "excepted": [z.name for z in check.zones if z.excepted],
                "notes": list(result.stop_reasons[stop.index]),
            }
        )
        if stop.index < len(result.legs):
            leg = result.legs[stop.index]
            route = leg.route
            if route is not None:
                for crossed in route.zones:
                    met.setdefault(crossed.id, by_id[crossed.id])
            rows.append(
                {
                    "kind": "leg",
                    "number": leg.index + 1,
                    "date": leg.date,
                    "name": _(
                        "{origin} to {destination}, {mode}",
                        origin=leg.origin,
                        destination=leg.destination,
                        mode=_(MODE_NAMES[leg.mode]),
                    ),
                    "where": _(CHECKED_WORDS[leg.checked]),
                    "verdict": _(VERDICT_WORDS.get(leg.verdict, leg.verdict)),
                    "chip": _chip(route.max_level if route else None),
                    "governments": _governments(route.advisories, codes) if route else None,
                    "zones": [f"{z.name} ({z.inside_km:.0f} km)" for z in route.zones if z.raises_level]
                    if route
                    else [],
                    "excepted": [],
                    "notes": list(result.leg_reasons[leg.index]),
                }
            )
    first = result.stops[0].check
    zone_advice = [{"name": z.name, "advice": z.text.advice} for z in met.values() if z.text.advice]
    sources: dict[str, dict[str, Any]] = {}
    for zone in met.values():
        for source in zone.sources:
            entry = sources.setdefault(
                source.url, {"title": source.title, "url": source.url, "date": source.date, "zones": []}
            )
            entry["zones"].append(zone.name)
    currency = [
        {
            "source": c.source,
            "as_of": c.as_of,
            "verified_on": c.verified_on,
            "possibly_outdated": c.possibly_outdated,
        }
        for c in first.currency
    ]
    flagged = [
        {"name": z.name, "confidence": z.confidence, "flags": list(z.properties.get("flags") or [])}
        for z in met.values()
        if z.properties.get("flags")
    ]
    local = checked_at.astimezone(time_zone(pack.timezone))
    chosen = pack.governments.get(government) if government else None
    title = _("Trip report")
    return {
        "lang": language(),
        "title": title,
        "t": _labels(),
        "verdict": _(VERDICT_WORDS[result.verdict]),
        "verdict_code": result.verdict,
        "chip": _chip(result.max_level),
        "needs_review": result.needs_review,
        "government": chosen.name if chosen else government,
        "governments": [pack.governments[c].name for c in codes],
        "codes": codes,
        "map": Markup(trip_svg(index, result, government, title=_("Map of the trip"))),
        "rows": rows,
        "reasons": list(result.reasons),
        "baseline_summary": pack.baseline.summary,
        "baseline_advice": list(pack.baseline.advice),
        "zone_advice": zone_advice,
        "contacts": list(first.advice.contacts),
        "sources": sorted(sources.values(), key=lambda s: (s["date"] or "", s["url"]), reverse=True),
        "currency": currency,
        "flagged": flagged,
        "unplaced": [
            {
                "event": u.event,
                "date": u.date or "?",
                "location": u.location,
                "reason": u.reason,
                "candidates": [f"{p.name} ({p.where})" for p in u.candidates],
            }
            for u in result.unplaced
        ],
        "pack_version": pack.version,
        "built": pack.built[:10],
        "checked_on": local.strftime("%Y-%m-%d %H:%M"),
        "timezone": pack.timezone,
        "legend": [_chip(level) for level in (1, 2, 3, 4)],
    }


def _labels() -> dict[str, str]:
    """The report's own words, in the current language."""
    return {
        "overall": _("Overall verdict"),
        "needs_review": _("Needs review: some of this trip could not be checked as given (see below)."),
        "for_government": _("Levels follow the advice of"),
        "map": _("The trip and the zones in force on its dates"),
        "map_note": _(
            "Legs are drawn as straight lines between the stops (dashed: flights); grey is outside "
            "Peru; zones are those in force on the trip's dates for the government above, with "
            "Peru's states of emergency and the mining, logging and coca zones."
        ),
        "legend": _("Levels"),
        "table": _("Stops and legs"),
        "date": _("Date"),
        "stop_or_leg": _("Stop or leg"),
        "where": _("Where / how checked"),
        "level": _("Level"),
        "each_government": _("Each government"),
        "zones": _("Zones"),
        "notes": _("Notes"),
        "stop": _("stop"),
        "leg": _("leg"),
        "excepted": _("excepted"),
        "only_ends": _("flight: only its ends are checked"),
        "why": _("Why"),
        "unplaced": _("Calendar events not checked"),
        "could_be": _("could be"),
        "advice": _("Advice"),
        "zone_advice": _("In the zones of this trip"),
        "emergency": _("Emergency numbers"),
        "sources": _("Sources"),
        "currency": _("How current each government's text is"),
        "as_of": _("text of"),
        "verified_on": _("last confirmed current on"),
        "outdated": _("possibly outdated"),
        "current": _("current"),
        "flags": _("Interpretations and open questions"),
        "about": _("About this report"),
        "data_version": _("Data version"),
        "built": _("built"),
        "checked_on": _("Checked on"),
        "statement": _(
            "This report says which advisory zones of the U.S., UK, Canadian and Australian "
            "governments, Peru's states of emergency and the known areas of illegal mining, "
            "logging and coca growing each stop and leg of the trip touches on its date, with "
            "the level each government gives and the sources it rests on, as riskzones' data "
            "stood when it was checked."
        ),
        "statement_not": _(
            "It does not say that a place is safe. Governments publish their advice as prose; "
            "the zones here are drawn from it and may differ from what a government means. A "
            "leg without a route is checked along a straight line; a flight only at its ends. "
            "Events after the check (demonstrations, road blocks, new decrees) are not in it. "
            "Read each government's own advice before travelling and check again close to the date."
        ),
    }
