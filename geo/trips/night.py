"""Night travel on road legs: a departure or arrival between sunset and sunrise at that place
and date, and the U.S. night-travel rules that then apply.

Sunset and sunrise come from astral (the sun's position for the place, the date and the
pack's time zone). Whether a leg lies on a corridor where night travel is allowed is judged
from its two end points only: both within ``CORRIDOR_KM`` of the line through the towns that
name the corridor (or, for "within cities", both within ``CITY_KM`` of one city of at least
``CITY_POPULATION``). Answers say this is approximate: the road between them is not known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from astral import Observer
from astral.sun import sun

from geo.i18n import _
from geo.pack import NightRule, ZonePack
from geo.spatial.nearby import GEOD

__all__ = [
    "CITY_KM",
    "CITY_POPULATION",
    "CORRIDOR_KM",
    "NIGHT_GOVERNMENT",
    "NightTravel",
    "is_night",
    "night_travel",
    "rules_on",
]

#: Whose night-travel rules a leg is given (the page this product started from).
NIGHT_GOVERNMENT = "us"
CORRIDOR_KM = 25.0
CITY_KM = 15.0
CITY_POPULATION = 100_000


@dataclass(frozen=True)
class NightTravel:
    """A road leg that departs or arrives at night, and the rules that then apply."""

    at_night: tuple[str, ...]  # "depart", "arrive"
    depart: str | None
    arrive: str | None
    sunset: str
    sunrise: str
    rules: tuple[NightRule, ...]
    allowed_on: tuple[str, ...]
    approximate: bool
    summary: str


def is_night(lon: float, lat: float, moment: dt.datetime) -> tuple[bool, dt.datetime, dt.datetime]:
    """Whether ``moment`` (aware) is between sunset and sunrise at the place, with that local
    day's sunrise and sunset."""
    local = moment.astimezone(moment.tzinfo)
    times = sun(Observer(latitude=lat, longitude=lon), date=local.date(), tzinfo=local.tzinfo or dt.UTC)
    return not (times["sunrise"] <= local < times["sunset"]), times["sunrise"], times["sunset"]


def rules_on(pack: ZonePack, day: dt.date, government: str = NIGHT_GOVERNMENT) -> tuple[NightRule, ...]:
    """The government's night-travel rules in force on ``day``: per scope, its newest text."""
    newest: dict[str, dt.date] = {}
    for rule in pack.night_travel:
        if rule.government == government and rule.version <= day:
            newest[rule.scope] = max(newest.get(rule.scope, rule.version), rule.version)
    return tuple(
        r for r in pack.night_travel if r.government == government and newest.get(r.scope) == r.version
    )


def night_travel(
    pack: ZonePack,
    origin: tuple[float, float],
    destination: tuple[float, float],
    depart: dt.datetime | None,
    arrive: dt.datetime | None,
    cities: Sequence[tuple[float, float]],
) -> NightTravel | None:
    """The night-travel answer of a road leg from ``origin`` to ``destination`` (lon, lat),
    or None when neither its departure nor its arrival is at night."""
    found = []
    sunrise = sunset = None
    if depart is not None:
        night, sunrise, sunset = is_night(*origin, depart)
        if night:
            found.append("depart")
    if arrive is not None:
        night, rise, setting = is_night(*destination, arrive)
        sunrise, sunset = sunrise or rise, sunset or setting
        if night:
            found.append("arrive")
    if not found or sunrise is None or sunset is None:
        return None
    day = (depart or arrive or sunrise).date()
    rules = rules_on(pack, day)
    allowed = tuple(
        r.corridor for r in rules if r.rule == "allowed" and _on_corridor(r, origin, destination, cities)
    )
    when = {("depart",): _("depart"), ("arrive",): _("arrive"), ("depart", "arrive"): _("depart and arrive")}
    summary = _(
        "travels at night ({when} between sunset and sunrise): U.S. government staff may not drive "
        "at night outside cities except on named corridors",
        when=when[tuple(found)],
    )
    if allowed:
        summary += _(
            "; both ends lie on {corridors} (judged from the end points, approximate)",
            corridors=", ".join(allowed),
        )
    return NightTravel(
        at_night=tuple(found),
        depart=depart.isoformat() if depart else None,
        arrive=arrive.isoformat() if arrive else None,
        sunset=sunset.isoformat(timespec="minutes"),
        sunrise=sunrise.isoformat(timespec="minutes"),
        rules=rules,
        allowed_on=allowed,
        approximate=True,
        summary=summary,
    )


def _on_corridor(
    rule: NightRule,
    origin: tuple[float, float],
    destination: tuple[float, float],
    cities: Sequence[tuple[float, float]],
) -> bool:
    """Whether both end points lie near the rule's corridor (see the module's docs)."""
    if rule.waypoints is None:
        if rule.corridor != "within cities":
            return False
        return any(_km(origin, c) <= CITY_KM and _km(destination, c) <= CITY_KM for c in cities)
    line = shapely.LineString(rule.waypoints)
    return all(_km_to_line(point, line) <= CORRIDOR_KM for point in (origin, destination))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic km, as every distance of the project (``geo.spatial.nearby.GEOD``)."""
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2]) / 1000


def _km_to_line(point: tuple[float, float], line: shapely.LineString) -> float:
    """Geodesic km to the line's point nearest in lon/lat (enough at a corridor's scale)."""
    nearest = line.interpolate(line.project(shapely.Point(point)))
    return _km(point, (nearest.x, nearest.y))
