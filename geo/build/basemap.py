"""The map's offline base layer, built from packaged data only: the neighbouring countries
(Natural Earth), Peru's department borders (dissolved from the district layer), the large
rivers (Natural Earth centrelines), the lakes (Natural Earth: Titicaca, Poopó) and the towns
of the gazetteer with their population, so the map gives bearings with no tiles and no third-party request.

Roads are not in it: Natural Earth's road layer (public domain) is the source meant for it,
but no copy of it could be obtained for the definitions yet (see geo/data/README.md).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely

from geo.build.sources import read_geojson

__all__ = ["BASEMAP_TOLERANCE_DEG", "TOWN_MIN_POPULATION", "build_basemap"]

#: Simplification of the base layer (degrees, about 1 km): enough for a country-wide map.
BASEMAP_TOLERANCE_DEG = 0.01
#: Towns of at least this many people are labelled (more as one zooms in: maps/static/riskmap.js).
TOWN_MIN_POPULATION = 5_000
#: Natural Earth's river and lake scale ranks drawn (0 the largest).
RIVER_MAX_SCALERANK = 7
PERU_ISO_N3 = "604"
#: Department parts smaller than this (square degrees, about 12 km²) are not drawn.
MIN_PART_DEG2 = 0.001
#: The region drawn around Peru (west, south, east, north): neighbours are clipped to it.
REGION = (-85.0, -23.0, -63.0, 3.0)


def build_basemap(
    districts: gpd.GeoDataFrame,
    countries_path: Any,
    rivers_path: Any,
    lakes_path: Any,
    places: list[list[Any]],
) -> list[dict[str, Any]]:
    """The base layer's features: ``kind`` country (with ``iso_n3``), department (its border
    as lines, with ``name`` and a ``label`` point), river (with ``name``), lake (a polygon with
    ``name`` and ``label``) and town (a point with ``name`` and ``population``)."""
    features: list[dict[str, Any]] = []
    for feature in read_geojson(countries_path):
        iso = str(feature["properties"]["iso_n3"])
        if iso == PERU_ISO_N3:
            continue  # Peru itself is the coverage outline
        whole = shapely.clip_by_rect(shapely.geometry.shape(feature["geometry"]), *REGION)
        geometry = shapely.simplify(whole, BASEMAP_TOLERANCE_DEG * 2)
        label = geometry.representative_point()
        features.append(
            {
                "properties": {
                    "kind": "country",
                    "iso_n3": iso,
                    "label": [round(label.x, 3), round(label.y, 3)],
                },
                "geometry": geometry,
            }
        )
    departments = districts.dissolve(by="DEPARTAMENTO")
    for name, row in sorted(departments.iterrows(), key=lambda item: str(item[0])):
        # The outer rings of its larger parts: the district layer's sliver gaps and islets would
        # otherwise each become a ring of their own.
        parts = [g for g in getattr(row.geometry, "geoms", [row.geometry]) if g.area > MIN_PART_DEG2]
        border = shapely.simplify(shapely.MultiLineString([g.exterior for g in parts]), BASEMAP_TOLERANCE_DEG)
        label = row.geometry.representative_point()
        features.append(
            {
                "properties": {
                    "kind": "department",
                    "name": str(name),
                    "label": [round(label.x, 3), round(label.y, 3)],
                },
                "geometry": border,
            }
        )
    for feature in read_geojson(rivers_path):
        properties = feature["properties"]
        if int(properties.get("scalerank") or 99) > RIVER_MAX_SCALERANK:
            continue
        geometry = shapely.simplify(shapely.geometry.shape(feature["geometry"]), BASEMAP_TOLERANCE_DEG)
        features.append(
            {
                "properties": {"kind": "river", "name": properties.get("name") or ""},
                "geometry": geometry,
            }
        )
    for feature in read_geojson(lakes_path):
        properties = feature["properties"]
        if int(properties.get("scalerank") or 99) > RIVER_MAX_SCALERANK:
            continue
        geometry = shapely.simplify(shapely.geometry.shape(feature["geometry"]), BASEMAP_TOLERANCE_DEG)
        label = geometry.representative_point()
        features.append(
            {
                "properties": {
                    "kind": "lake",
                    "name": properties.get("name") or "",
                    "label": [round(label.x, 3), round(label.y, 3)],
                },
                "geometry": geometry,
            }
        )
    towns = sorted(
        (p for p in places if (p[7] or 0) >= TOWN_MIN_POPULATION), key=lambda p: (-(p[7] or 0), p[0])
    )
    for name, lon, lat, _ubigeo, _kind, _approximate, _geonameid, population in towns:
        features.append(
            {
                "properties": {"kind": "town", "name": name, "population": population},
                "geometry": shapely.Point(lon, lat),
            }
        )
    return features
