"""The words a person reads for the machine-readable values of answers: verdicts, zone
statuses and how an itinerary leg was checked. English, marked for the catalog; the command
line's reports (``service.cli.text``) and the map page's scripts (``maps.page``) both show these.
"""

from __future__ import annotations

from geo.i18n import N_, _

__all__ = ["CHECKED_WORDS", "COUNTRY_WORDS", "MODE_WORDS", "STATUS_WORDS", "VERDICT_WORDS", "words"]

VERDICT_WORDS = {
    "do_not_travel": N_("do not travel"),
    "reconsider": N_("reconsider"),
    "caution": N_("caution"),
    "ok": N_("ok"),
    "not_covered": N_("not covered"),
    "check_actual_route": N_("check actual route"),
    "endpoints_only": N_("endpoints only"),
}
STATUS_WORDS = {
    "in_force": N_("in force"),
    "unconfirmed": N_("unconfirmed"),
    "expired": N_("expired"),
    "not_yet": N_("not yet"),
}
CHECKED_WORDS = {"endpoints": N_("endpoints"), "route": N_("route"), "straight_line": N_("straight line")}
#: How an itinerary's legs travel (``geo.trips.trip_result.MODES``).
MODE_WORDS = {
    "flight": N_("flight"),
    "road": N_("road"),
    "river": N_("river"),
    "rail": N_("rail"),
    "foot": N_("foot"),
}

#: The countries served (ISO 3166 alpha-3, as answers name them).
COUNTRY_WORDS = {
    "PER": N_("Peru"),
    "COL": N_("Colombia"),
    "ECU": N_("Ecuador"),
    "BOL": N_("Bolivia"),
    "BRA": N_("Brazil"),
    "CHL": N_("Chile"),
}


def words() -> dict[str, dict[str, str]]:
    """Every table in the current language, as the map page's scripts receive it."""
    return {
        "verdicts": {k: _(v) for k, v in VERDICT_WORDS.items()},
        "statuses": {k: _(v) for k, v in STATUS_WORDS.items()},
        "checked": {k: _(v) for k, v in CHECKED_WORDS.items()},
        "modes": {k: _(v) for k, v in MODE_WORDS.items()},
        "countries": {k: _(v) for k, v in COUNTRY_WORDS.items()},
    }
