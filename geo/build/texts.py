"""Editorial content of the Peru pack: the baseline and each zone's plain-language text.

Everything here paraphrases the research notes in ``../shared/data/zones/*.md`` and the
U.S. Department of State's Peru "Safety and Security" text; the geometry comes from the
sources, never from here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BASELINE", "LOW_PRESENCE", "PACK_NAME", "STATE_DEPARTMENT", "family_text"]

PACK_NAME = "Peru"
STATE_DEPARTMENT = {
    "title": "U.S. Department of State, Peru Travel Advisory and 'Safety and Security' text",
    "url": "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/peru-travel-advisory.html",
    "date": None,
}

BASELINE: dict[str, Any] = {
    "level": 2,
    "summary": (
        "Peru as a whole: exercise increased caution because of crime, civil unrest and, in a "
        "few areas, terrorism and drug trafficking."
    ),
    "advice": [
        "Crime: pickpocketing, bag snatching, armed robbery and 'express kidnapping' in "
        "unlicensed taxis happen in cities and tourist areas, also in daylight. Use registered "
        "taxis or ride apps, keep valuables out of sight, and take care at bus terminals, "
        "airports and ATMs.",
        "Scams: fake police officers, fake tour and transport operators, counterfeit money and "
        "money-exchange tricks are common. Book through established operators and change "
        "money at banks or licensed exchange offices.",
        "Demonstrations and strikes happen often, can turn violent and can close roads, "
        "airports, railways and tourist sites with little notice. Avoid them and follow local "
        "news.",
        "Technology: GPS and navigation apps choose the shortest route with no regard for "
        "safety and can lead into remote or high-risk areas. Check your route against the "
        "risk zones before you go and avoid night road travel outside cities.",
        "Remote areas of the Andes and the Amazon basin have little government presence, with "
        "illegal mining, illegal logging and coca production; travel there with established "
        "operators and tell someone your plans.",
    ],
    "contacts": [
        {"name": "Police (Policía Nacional del Perú)", "number": "105"},
        {"name": "Tourist police (iPerú / Policía de Turismo)", "number": "0800-22221"},
        {"name": "U.S. Embassy Lima", "number": "+51-1-618-2000"},
    ],
}

EMERGENCY_ADVICE = (
    "A state of emergency restricts rights of movement, assembly and personal liberty. Expect "
    "military and police checkpoints, carry your passport, follow curfews and local "
    "authorities' instructions, and reconsider non-essential travel while it is in force."
)
_MINING_ADVICE = (
    "Illegal mining areas have armed gangs, extortion and weak policing. Do not enter mining "
    "camps or dredge sites, travel only by day on main roads or with established operators, "
    "and ask locally about current conditions."
)
_COCA_ADVICE = (
    "Coca-growing area: stay on main roads and in towns, avoid night road travel, do not walk "
    "into fields, photograph crops or approach maceration sites, and expect road blockades "
    "during eradication operations or protests."
)

#: Per-zone text and classification of the low-government-presence zones, keyed by the
#: research ``zone_id``.
LOW_PRESENCE: dict[str, dict[str, Any]] = {
    "EMG-PATAZ": {
        "basis": "government-decree",
        "categories": ["emergency", "illegal_mining", "crime"],
        "confidence": "official list (province-level); district row Cochorco over-covers",
        "renewed_since": 2023,
        "summary": (
            "State of emergency over Pataz province (and the centro poblado Chagualito in "
            "Cochorco) against criminal organisations in illegal gold mining. The Armed Forces "
            "control internal order; a 22:00-05:00 curfew applies in Pataz district."
        ),
        "advice": EMERGENCY_ADVICE
        + " Mine sites have seen lethal attacks by armed gangs; tourist services are few.",
    },
    "EMG-MDD6": {
        "basis": "government-decree",
        "categories": ["emergency", "illegal_mining", "illegal_logging", "crime"],
        "confidence": "official list (same six districts in every decree seen); current "
        "period dates inferred, decree number of the prórroga not found",
        "renewed_since": 2023,
        "summary": (
            "State of emergency in six Madre de Dios districts against illegal mining, illegal "
            "logging and related crime. Puerto Maldonado and much of the river-lodge circuit "
            "lie in Tambopata district; the decrees seen do not restrict tourism."
        ),
        "advice": EMERGENCY_ADVICE
        + " Expect ID checks on the Interoceánica and on rivers; do not enter mining camps.",
    },
    "EMG-BORDER28": {
        "basis": "government-decree",
        "categories": ["emergency", "crime"],
        "confidence": "official list",
        "renewed_since": 2025,
        "summary": (
            "State of emergency in 28 frontier districts of Amazonas, Cajamarca, Madre de "
            "Dios, Piura, Puno and Ucayali against crime and smuggling and for migration "
            "control. It covers busy land crossings (Desaguadero, Yunguyo, Namballe) and "
            "remote Amazon districts reachable only by river or small plane."
        ),
        "advice": EMERGENCY_ADVICE + " At border crossings expect document checks.",
    },
    "EMG-PUTUMAYO-MRC": {
        "basis": "government-decree",
        "categories": ["emergency", "crime", "terrorism"],
        "confidence": "official list; current period dates inferred",
        "renewed_since": 2023,
        "summary": (
            "State of emergency over Putumayo and Mariscal Ramón Castilla provinces (Loreto) "
            "because of armed groups described as FARC dissidents, drug trafficking and "
            "illegal mining; the Armed Forces control internal order. Overlaps the U.S. "
            "Do-Not-Travel Colombian border area."
        ),
        "advice": EMERGENCY_ADVICE,
    },
    "MIN-MDD": {
        "basis": "government-decree",
        "categories": ["illegal_mining", "illegal_logging"],
        "confidence": "official list (named for illegal mining in every 2023-2026 decree)",
        "summary": (
            "Madre de Dios alluvial gold-mining belt. The lodges and reserves near Puerto "
            "Maldonado are mainstream tourism; the risk lies in the mining corridor along the "
            "Interoceánica and the Madre de Dios and Colorado rivers."
        ),
        "advice": _MINING_ADVICE,
    },
    "MIN-PATAZ": {
        "basis": "government-decree",
        "categories": ["illegal_mining", "crime"],
        "confidence": "official list (province)",
        "summary": (
            "Pataz gold-mining province: armed gangs fight over mines; nine workers were "
            "killed in December 2023. The conflict predates and will probably outlast the "
            "emergency decrees."
        ),
        "advice": _MINING_ADVICE,
    },
    "MIN-RINCONADA": {
        "basis": "indicative",
        "categories": ["illegal_mining", "crime"],
        "confidence": "indicative (Peruvian Army CEEEP study 2025; press)",
        "summary": (
            "La Rinconada / Lunar de Oro, an informal gold-mining town above 5,000 m in Ananea "
            "district: organised crime, gold trafficking, human trafficking, weak state control."
        ),
        "advice": "There is no reason to go; it is also an extreme-altitude health risk. " + _MINING_ADVICE,
    },
    "MIN-CENEPA": {
        "basis": "indicative",
        "categories": ["illegal_mining"],
        "confidence": "indicative (investigative press 2023)",
        "summary": (
            "About 70 illegal dredge sites on the Cenepa river in Awajún territory near the "
            "Ecuador border; scarce state presence."
        ),
        "advice": "Indigenous territory: entry normally needs community consent; landmines are "
        "reported in the nearby Cordillera del Cóndor border strip. " + _MINING_ADVICE,
    },
    "MIN-NANAY": {
        "basis": "indicative",
        "categories": ["illegal_mining"],
        "confidence": "indicative (investigative press 2023-2025)",
        "summary": (
            "Dredge mining on the upper Nanay, the river that supplies Iquitos with water; "
            "more than 40 dredges reported and threats against local defenders."
        ),
        "advice": "Avoid independent trips up the Nanay; use established operators. " + _MINING_ADVICE,
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


def family_text(zone_id: str, name: str) -> dict[str, Any]:
    """Text and classification of a low-presence zone; coca zones share one template."""
    if zone_id in LOW_PRESENCE:
        return LOW_PRESENCE[zone_id]
    if not zone_id.startswith("COCA-"):
        raise KeyError(zone_id)
    basis, confidence = _COCA_CONFIDENCE.get(zone_id, ("monitoring-report", "report-derived"))
    return {
        "basis": basis,
        "categories": ["coca"],
        "confidence": confidence + " (DEVIDA 2020 district areas; zones have changed since)",
        "summary": (
            f"{name}: a DEVIDA coca-monitoring zone, where coca is grown for the illicit "
            "market. Traffickers buy leaf and run maceration pits and airstrips; government "
            "presence is thin outside the towns. Not an official Do-Not-Travel area."
        ),
        "advice": _COCA_ADVICE,
    }
