"""Night-travel rules of ``advisories/night_travel.csv``, with their corridors as waypoints.

The governments name corridors ("between Lima and Huacho", "the Lima-Arequipa-Cusco
corridor"), not geometry. Each named corridor becomes the line through the towns that mark
it (``CORRIDOR_TOWNS``, looked up in the gazetteer this build writes). The line only lets a
leg's end points be judged near the corridor or not, which answers say is approximate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.build.sources import one_of, read_csv
from geo.errors import SourceError

__all__ = ["COLUMNS", "CORRIDOR_TOWNS", "RULES", "build_night_travel"]

COLUMNS = ("government", "version", "rule", "scope", "corridor", "quote", "source_url", "archive")
RULES = ("prohibited", "allowed", "avoid", "caution")

#: Towns (name, INEI department code) marking each corridor an ``allowed`` rule names, in
#: order along the road. "within cities" has none: it is judged by the nearest city.
CORRIDOR_TOWNS: dict[str, tuple[tuple[str, str], ...]] = {
    "Lima-Huacho": (("Lima", "15"), ("Huacho", "15")),
    "Lima-Paracas": (("Lima", "15"), ("Paracas", "11")),
    "Pan-American Highway (commercial bus)": (
        ("Tumbes", "24"),
        ("Piura", "20"),
        ("Chiclayo", "14"),
        ("Trujillo", "13"),
        ("Chimbote", "02"),
        ("Huacho", "15"),
        ("Lima", "15"),
        ("Ica", "11"),
        ("Nazca", "11"),
        ("Camaná", "04"),
        ("Moquegua", "18"),
        ("Tacna", "23"),
    ),
    "Huaraz (commercial bus)": (("Pativilca", "15"), ("Huaraz", "02")),
    "Lima-Arequipa-Cusco (commercial bus)": (
        ("Lima", "15"),
        ("Ica", "11"),
        ("Nazca", "11"),
        ("Camaná", "04"),
        ("Arequipa", "04"),
        ("Juliaca", "21"),
        ("Sicuani", "08"),
        ("Cusco", "08"),
    ),
}
#: Corridors judged without a line.
WITHOUT_LINE = ("within cities",)


def build_night_travel(path: Path, places: list[list[Any]]) -> list[dict[str, Any]]:
    """Every rule of the CSV, in its order; ``allowed`` corridors carry their waypoints."""
    rules = []
    for row in read_csv(path, COLUMNS):
        one_of(path, row, "rule", RULES)
        waypoints = None
        if row["rule"] == "allowed" and row["corridor"] not in WITHOUT_LINE:
            towns = CORRIDOR_TOWNS.get(row["corridor"])
            if towns is None:
                raise SourceError(
                    path,
                    f"line {row.line}",
                    f"allowed corridor {row['corridor']!r} has no towns",
                    "add it to CORRIDOR_TOWNS in geo/build/night.py",
                )
            waypoints = [_town(path, row.line, name, department, places) for name, department in towns]
        rules.append(
            {
                "government": row["government"],
                "version": row["version"],
                "rule": row["rule"],
                "scope": row["scope"],
                "corridor": row["corridor"],
                "quote": row["quote"],
                "source_url": row["source_url"],
                "waypoints": waypoints,
            }
        )
    return rules


def _town(path: Path, line: int, name: str, department: str, places: list[list[Any]]) -> list[float]:
    """The most populous gazetteer place of that name in that department, as [lon, lat]."""
    found = [p for p in places if p[0] == name and str(p[3]).startswith(department)]
    if not found:
        raise SourceError(
            path,
            f"line {line}",
            f"corridor town {name!r} ({department}) is not in the gazetteer",
            "fix CORRIDOR_TOWNS",
        )
    best = max(found, key=lambda p: p[7] or 0)
    return [float(best[1]), float(best[2])]
