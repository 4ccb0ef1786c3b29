"""What a browser needs to check a point with no server: the offline bundle.

The map's device mode (``maps/static/offline.js``) answers a point from this bundle alone:
the zones with their geometry, the pack's coverage and the place names, and the level rule's
inputs made here, by the engine's own functions, so the browser never decides them itself:

- each zone's status on any day, as a timeline ``[[first day, status], ...]`` computed with
  ``geo.pack.status.status_on`` at every day it can change (tested day by day against it);
- each government's country-wide level on any day, as a timeline from ``LevelRule.baseline_on``;
- for each zone, the governments whose answers count it (``LevelRule.counted``).

What the browser still does is what ``LevelRule.decide`` does with them: drop the zones not
counted, or a government's text not in force; except a zone where one of its exceptions is in
force; raise the level to the highest zone in force. Its answers are compared with the API's
on random points in a browser test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import mapping

from geo.engine.advisories import OUTDATED_AFTER_DAYS
from geo.engine.index import ZoneIndex
from geo.pack import LEVEL_LABELS, Zone, ZonePack
from geo.pack.status import BEGINNING, change_days, status_on
from geo.trips.gazetteer import Gazetteer
from geo.trips.route import SLIVER_KM
from geo.trips.verdict import VERDICTS

__all__ = ["BEGINNING", "bundle", "status_timeline"]

#: The first day of every timeline: before any date a pack carries.


def _timeline(days: set[dt.date], value: Any) -> list[list[Any]]:
    """``[[first day, value on it], ...]`` at ``days``, runs of one value joined."""
    timeline: list[list[Any]] = []
    for day in sorted(days):
        answer = value(day)
        if not timeline or timeline[-1][1] != answer:
            timeline.append([day.isoformat(), answer])
    return timeline


def status_timeline(zone: Zone) -> list[list[str]]:
    """The zone's status on every day, as ``[[first day, status], ...]``: the status on a day
    is that of the last entry starting on or before it."""
    return _timeline(change_days(zone), lambda day: status_on(zone, day))


#: How far (degrees, about 1 km) a neighbour's outline is simplified in the bundle: it only
#: says where the device must leave the answer to the server.
ELSEWHERE_SIMPLIFY_DEG = 0.01


def bundle(
    index: ZoneIndex,
    gazetteer: Gazetteer,
    elsewhere: Sequence[ZonePack] = (),
    served: Gazetteer | None = None,
) -> dict[str, Any]:
    """The offline bundle of ``index``'s pack (see the module docstring), as JSON values.

    ``elsewhere`` are the other countries' packs the server answers in: the bundle carries only
    their outlines, so that the device says a point there needs the server instead of "not
    covered". ``served`` is the gazetteer the server resolves names with (default
    ``gazetteer``): a place is marked as a name's answer only where the server picks it too
    ("La Paz" alone is Bolivia's)."""
    pack, rule = index.pack, index.rule
    codes = list(pack.governments)
    baselines = {
        code: _timeline(
            {BEGINNING, *(v.in_force_from for v in government.versions)},
            lambda day, code=code: index.on(day).baseline(code),
        )
        for code, government in pack.governments.items()
    }
    features = []
    for position, zone in enumerate(pack.zones):
        counted = [code for code in codes if position in rule.counted(code)]
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(zone.geometry),
                "properties": {
                    "id": zone.id,
                    "names": {code: text.name for code, text in zone.texts.items()},
                    "kind": zone.kind,
                    "parent": zone.parent,
                    "level": zone.level,
                    "source": zone.source,
                    "is_advice": zone.source in pack.governments,
                    "counted_for": counted if codes else [None],
                    "statuses": status_timeline(zone),
                },
            }
        )
    answers = (served or gazetteer).named_answers()
    return {
        "pack": {"id": pack.id, "version": pack.version, "built": pack.built, "timezone": pack.timezone},
        "labels": {str(level): label for level, label in LEVEL_LABELS.items()},
        "verdicts": {str(level): verdict for level, verdict in VERDICTS.items()},
        # A stretch of a zone this short beside a stretch where it is excepted is the rounding
        # of their shared edge, not a way out of the exception (geo.trips.route).
        "sliver_km": SLIVER_KM,
        "default_advisory": rule.default_advisory,
        "baseline": {"level": rule.baseline, "governments": baselines},
        "governments": {code: dict(government.names) for code, government in pack.governments.items()},
        # How current each government's newest text is: possibly outdated from ``outdated_from``
        # (the first day more than OUTDATED_AFTER_DAYS after it was last confirmed current).
        "currency": {
            code: {
                "as_of": government.as_of.isoformat(),
                "verified_on": government.verified_on.isoformat(),
                "outdated_from": (
                    government.verified_on + dt.timedelta(days=OUTDATED_AFTER_DAYS + 1)
                ).isoformat(),
            }
            for code, government in pack.governments.items()
        },
        "coverage": mapping(pack.coverage),
        "elsewhere": [
            {
                "country": other.country,
                "coverage": mapping(
                    shapely.simplify(other.coverage, ELSEWHERE_SIMPLIFY_DEG, preserve_topology=True)
                ),
            }
            for other in elsewhere
        ],
        "zones": {"type": "FeatureCollection", "features": features},
        # Name, position, district, department, province, and 1 when a query of the name alone
        # resolves to this place on the server (Gazetteer.resolve), so the device answers as
        # the server would and leaves ambiguous names to it.
        "places": [
            [
                p.name,
                round(p.lon, 5),
                round(p.lat, 5),
                p.district,
                p.department,
                p.province,
                int(p in answers),
            ]
            for p in gazetteer.places
        ],
        "airports": {
            code: [round(p.lon, 5), round(p.lat, 5)] for code, p in sorted(gazetteer.airports.items())
        },
    }
