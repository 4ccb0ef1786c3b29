"""Editorial content of the Peru pack: the baseline and each zone's plain-language text.

Everything here paraphrases the research notes in ``../shared/data/zones/*.md`` and the
U.S. Department of State's Peru "Safety and Security" text; the geometry comes from the
sources, never from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from geo.i18n import DEFAULT, LANGUAGES, N_, _, language, read_catalog, speaking

__all__ = [
    "EMERGENCY_ADVICE",
    "GLOSSARY",
    "LOW_PRESENCE",
    "PACK_NAME",
    "STATE_DEPARTMENT",
    "Untranslated",
    "baseline",
    "family_text",
    "localized",
    "say",
    "source_text",
    "zone_text",
]

#: The sources' own texts (zone names as the research wrote them, decrees' lists of places)
#: in each other language, one gettext catalog per language: ``GLOSSARY / code / "sources.po"``.
#: The build's own wording is marked ``_``/``N_`` here and lives in the app's catalog.
GLOSSARY = Path(__file__).resolve().parent / "locale"
_LOG = logging.getLogger("riskzones.build")

PACK_NAME = "Peru"
STATE_DEPARTMENT = {
    "title": "U.S. Department of State, Peru Travel Advisory and 'Safety and Security' text",
    "url": "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/peru-travel-advisory.html",
    "date": None,
}

_BASELINE: dict[str, Any] = {
    "level": 2,
    "summary": N_(
        "Peru as a whole: exercise increased caution because of crime, civil unrest and, in a "
        "few areas, terrorism and drug trafficking."
    ),
    "advice": [
        N_(
            "Crime: pickpocketing, bag snatching, armed robbery and 'express kidnapping' in "
            "unlicensed taxis happen in cities and tourist areas, also in daylight. Use registered "
            "taxis or ride apps, keep valuables out of sight, and take care at bus terminals, "
            "airports and ATMs."
        ),
        N_(
            "Scams: fake police officers, fake tour and transport operators, counterfeit money and "
            "money-exchange tricks are common. Book through established operators and change "
            "money at banks or licensed exchange offices."
        ),
        N_(
            "Demonstrations and strikes happen often, can turn violent and can close roads, "
            "airports, railways and tourist sites with little notice. Avoid them and follow local "
            "news."
        ),
        N_(
            "Technology: GPS and navigation apps choose the shortest route with no regard for "
            "safety and can lead into remote or high-risk areas. Check your route against the "
            "risk zones before you go and avoid night road travel outside cities."
        ),
        N_(
            "Remote areas of the Andes and the Amazon basin have little government presence, with "
            "illegal mining, illegal logging and coca production; travel there with established "
            "operators and tell someone your plans."
        ),
    ],
    "contacts": [
        {"name": N_("Police (Policía Nacional del Perú)"), "number": "105"},
        {"name": N_("Tourist police (iPerú / Policía de Turismo)"), "number": "0800-22221"},
        {"name": N_("U.S. Embassy Lima"), "number": "+51-1-618-2000"},
    ],
}

EMERGENCY_ADVICE = N_(
    "A state of emergency restricts rights of movement, assembly and personal liberty. Expect "
    "military and police checkpoints, carry your passport, follow curfews and local "
    "authorities' instructions, and reconsider non-essential travel while it is in force."
)
_MINING_ADVICE = N_(
    "Illegal mining areas have armed gangs, extortion and weak policing. Do not enter mining "
    "camps or dredge sites, travel only by day on main roads or with established operators, "
    "and ask locally about current conditions."
)
_COCA_ADVICE = N_(
    "Coca-growing area: stay on main roads and in towns, avoid night road travel, do not walk "
    "into fields, photograph crops or approach maceration sites, and expect road blockades "
    "during eradication operations or protests."
)

#: Per-zone text and classification of the low-government-presence zones, keyed by the
#: research ``zone_id``; ``advice`` is the parts of the text, each translated on its own.
LOW_PRESENCE: dict[str, dict[str, Any]] = {
    "EMG-PATAZ": {
        "basis": "government-decree",
        "categories": ["emergency", "illegal_mining", "crime"],
        "confidence": "official list (province-level); district row Cochorco over-covers",
        "renewed_since": 2023,
        "summary": N_(
            "State of emergency over Pataz province (and the centro poblado Chagualito in "
            "Cochorco) against criminal organisations in illegal gold mining. The Armed Forces "
            "control internal order; a 22:00-05:00 curfew applies in Pataz district."
        ),
        "advice": (
            EMERGENCY_ADVICE,
            N_("Mine sites have seen lethal attacks by armed gangs; tourist services are few."),
        ),
    },
    "EMG-MDD6": {
        "basis": "government-decree",
        "categories": ["emergency", "illegal_mining", "illegal_logging", "crime"],
        "confidence": "official list (same six districts in every decree seen); current "
        "period dates inferred, decree number of the prórroga not found",
        "renewed_since": 2023,
        "summary": N_(
            "State of emergency in six Madre de Dios districts against illegal mining, illegal "
            "logging and related crime. Puerto Maldonado and much of the river-lodge circuit "
            "lie in Tambopata district; the decrees seen do not restrict tourism."
        ),
        "advice": (
            EMERGENCY_ADVICE,
            N_("Expect ID checks on the Interoceánica and on rivers; do not enter mining camps."),
        ),
    },
    "EMG-BORDER28": {
        "basis": "government-decree",
        "categories": ["emergency", "crime"],
        "confidence": "official list",
        "renewed_since": 2025,
        "summary": N_(
            "State of emergency in 28 frontier districts of Amazonas, Cajamarca, Madre de "
            "Dios, Piura, Puno and Ucayali against crime and smuggling and for migration "
            "control. It covers busy land crossings (Desaguadero, Yunguyo, Namballe) and "
            "remote Amazon districts reachable only by river or small plane."
        ),
        "advice": (EMERGENCY_ADVICE, N_("At border crossings expect document checks.")),
    },
    "EMG-PUTUMAYO-MRC": {
        "basis": "government-decree",
        "categories": ["emergency", "crime", "terrorism"],
        "confidence": "official list; current period dates inferred",
        "renewed_since": 2023,
        "summary": N_(
            "State of emergency over Putumayo and Mariscal Ramón Castilla provinces (Loreto) "
            "because of armed groups described as FARC dissidents, drug trafficking and "
            "illegal mining; the Armed Forces control internal order. Overlaps the U.S. "
            "Do-Not-Travel Colombian border area."
        ),
        "advice": (EMERGENCY_ADVICE,),
    },
    "MIN-MDD": {
        "basis": "government-decree",
        "categories": ["illegal_mining", "illegal_logging"],
        "confidence": "official list (named for illegal mining in every 2023-2026 decree)",
        "summary": N_(
            "Madre de Dios alluvial gold-mining belt. The lodges and reserves near Puerto "
            "Maldonado are mainstream tourism; the risk lies in the mining corridor along the "
            "Interoceánica and the Madre de Dios and Colorado rivers."
        ),
        "advice": (_MINING_ADVICE,),
    },
    "MIN-PATAZ": {
        "basis": "government-decree",
        "categories": ["illegal_mining", "crime"],
        "confidence": "official list (province)",
        "summary": N_(
            "Pataz gold-mining province: armed gangs fight over mines; nine workers were "
            "killed in December 2023. The conflict predates and will probably outlast the "
            "emergency decrees."
        ),
        "advice": (_MINING_ADVICE,),
    },
    "MIN-RINCONADA": {
        "basis": "indicative",
        "categories": ["illegal_mining", "crime"],
        "confidence": "indicative (Peruvian Army CEEEP study 2025; press)",
        "summary": N_(
            "La Rinconada / Lunar de Oro, an informal gold-mining town above 5,000 m in Ananea "
            "district: organised crime, gold trafficking, human trafficking, weak state control."
        ),
        "advice": (
            N_("There is no reason to go; it is also an extreme-altitude health risk."),
            _MINING_ADVICE,
        ),
    },
    "MIN-CENEPA": {
        "basis": "indicative",
        "categories": ["illegal_mining"],
        "confidence": "indicative (investigative press 2023)",
        "summary": N_(
            "About 70 illegal dredge sites on the Cenepa river in Awajún territory near the "
            "Ecuador border; scarce state presence."
        ),
        "advice": (
            N_(
                "Indigenous territory: entry normally needs community consent; landmines are "
                "reported in the nearby Cordillera del Cóndor border strip."
            ),
            _MINING_ADVICE,
        ),
    },
    "MIN-NANAY": {
        "basis": "indicative",
        "categories": ["illegal_mining"],
        "confidence": "indicative (investigative press 2023-2025)",
        "summary": N_(
            "Dredge mining on the upper Nanay, the river that supplies Iquitos with water; "
            "more than 40 dredges reported and threats against local defenders."
        ),
        "advice": (N_("Avoid independent trips up the Nanay; use established operators."), _MINING_ADVICE),
    },
}

_COCA_CONFIDENCE = {
    "COCA-CAMANTI": ("monitoring-report", "report-cited"),
    "COCA-AMAZONAS": ("monitoring-report", "report-cited"),
    "COCA-MDD": ("indicative", "indicative"),
    "COCA-TAHUAMANU": ("indicative", "indicative"),
    "COCA-MARANON": ("monitoring-report", "report-derived, partial"),
    "COCA-BAJO-HUALLAGA": ("indicative", "indicative, partial"),
}


def family_text(zone_id: str) -> dict[str, Any]:
    """Text and classification of a low-presence zone; coca zones share one template (its
    summary names the zone: ``{name}``)."""
    if zone_id in LOW_PRESENCE:
        return LOW_PRESENCE[zone_id]
    if not zone_id.startswith("COCA-"):
        raise KeyError(zone_id)
    basis, confidence = _COCA_CONFIDENCE.get(zone_id, ("monitoring-report", "report-derived"))
    return {
        "basis": basis,
        "categories": ["coca"],
        "confidence": confidence + " (DEVIDA 2020 district areas; zones have changed since)",
        "summary": N_(
            "{name}: a DEVIDA coca-monitoring zone, where coca is grown for the illicit "
            "market. Traffickers buy leaf and run maceration pits and airstrips; government "
            "presence is thin outside the towns. Not an official Do-Not-Travel area."
        ),
        "advice": (_COCA_ADVICE,),
    }


def zone_text(family: dict[str, Any], name: str) -> dict[str, str]:
    """A low-presence zone's summary and advice in the current language; ``name`` is its name
    in that language."""
    return {"summary": _(family["summary"], name=name), "advice": say(family["advice"])}


def say(parts: tuple[str, ...]) -> str:
    """A text made of marked parts, each in the current language."""
    return " ".join(_(part) for part in parts)


def baseline() -> dict[str, Any]:
    """The pack's country-wide level, summary, advice and contacts, in every language."""
    return {
        "level": _BASELINE["level"],
        **localized(
            lambda: {
                "summary": _(_BASELINE["summary"]),
                "advice": [_(text) for text in _BASELINE["advice"]],
                "contacts": [{**c, "name": _(c["name"])} for c in _BASELINE["contacts"]],
            }
        ),
    }


class Untranslated(LookupError):
    """A text of the sources has no translation in the current language's glossary."""


@cache
def _glossary(code: str) -> dict[str, str]:
    path = GLOSSARY / code / "LC_MESSAGES" / "sources.po"
    return read_catalog(path) if path.exists() else {}


def source_text(text: str) -> str:
    """A text of the sources (a zone's name as the research wrote it, a decree's places) in the
    current language, from the glossary; ``Untranslated`` when it has none."""
    code = language()
    if code == DEFAULT:
        return text
    found = _glossary(code).get(text)
    if found is None:
        raise Untranslated(text)
    return found


def localized(make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The texts ``make`` writes, in English, with ``translations`` into every other language
    whose every text has one (a language missing any is left out: the pack then reads in
    English there, and the build and the tests say so)."""
    with speaking(DEFAULT):
        english = make()
    translations = {}
    for code in LANGUAGES:
        if code == DEFAULT:
            continue
        try:
            with speaking(code):
                translations[code] = make()
        except Untranslated as missing:
            _LOG.warning("no %s translation of %r in %s", code, missing.args[0], GLOSSARY / code)
    return {**english, "translations": translations}
