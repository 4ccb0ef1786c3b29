"""The VRAEM zone: the union of the decree's districts, checked against PCM's own outline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.build import texts
from geo.build.draft import ZoneDraft, district_union, resolve_codes
from geo.build.geometry import Projection, geodesic_area_km2
from geo.build.sources import Row, read_csv, read_geojson

__all__ = ["COLUMNS", "build_vraem", "compare_outline"]

COLUMNS = ("ubigeo", "department", "province", "district", "scope", "decree", "boundary_ubigeo")
_SOURCES = [
    texts.STATE_DEPARTMENT,
    {
        "title": "PCM GeoPerú viewer: DISTRITOS_AMBITO_VRAEM (79 ubigeos) and VRAEM outline, "
        "luisamos/geoperu-visor@df943df5 (not an official publication channel)",
        "url": "https://github.com/luisamos/geoperu-visor",
        "date": "2025-02-11",
    },
    {
        "title": "D.S. N° 102-2018-PCM, Estrategia VRAEM 2021 (El Peruano)",
        "url": "https://busquedas.elperuano.pe/api/visor_html/1701308-1",
        "date": "2018-10-12",
    },
]


def _flags(row: Row) -> list[str]:
    note = row.values.get("note", "")
    flags = []
    if "UNSURE" in note:
        flags.append("UNSURE")
    if row["scope"] == "unverified":
        flags.append("scope unverified")
    elif "secondary source" in note:
        flags.append("scope from a secondary source")
    if "creating law not verified" in note or "law number not located" in note:
        flags.append("creating law not verified")
    if "annex of DS 040-2016-PCM not read" in note:
        flags.append("membership unverified (decree annex not read)")
    return flags


def build_vraem(path: Path, districts: gpd.GeoDataFrame) -> ZoneDraft:
    """Derive ``pe-vraem`` from ``zones/vraem_districts.csv`` over the district layer."""
    rows = read_csv(path, COLUMNS)
    members, codes = [], []
    for row in rows:
        boundary = resolve_codes(row["boundary_ubigeo"].split("|"), districts, path, row)
        resolve_codes([row["ubigeo"]], districts, path, row)
        codes.extend(boundary)
        members.append(
            {
                "ubigeo": row["ubigeo"],
                "district": row["district"],
                "province": row["province"],
                "department": row["department"],
                "scope": row["scope"],
                "boundary_ubigeo": boundary,
                "flags": _flags(row),
            }
        )
    geometry, facts = district_union(sorted(set(codes)), districts)
    unsure = [m for m in members if "UNSURE" in m["flags"]]
    unverified_scope = sum(1 for m in members if m["scope"] == "unverified")
    notes = [
        "Membership: the 79 districts of PCM GeoPerú's list (the 69 of D.S. 040-2016-PCM plus "
        "10 created inside them since); the decree annex itself was not read, so membership is "
        "unverified against the legal text. D.S. 112-2017-PCM may have changed the list; its "
        "content is unknown.",
        f"Scope (intervención directa / ámbito de influencia) is unverified for "
        f"{unverified_scope} of {len(members)} districts; the other "
        f"{len(members) - unverified_scope} come from a secondary source (MTC bridge "
        "dashboard), not the decree.",
        *(
            f"UNSURE: {m['district']} ({m['ubigeo']}) is drawn with "
            f"{', '.join(m['boundary_ubigeo'])}: Ahuayro (030612), created in 2021 mostly from "
            "Huaccana, is absent from the PCM list but lies 99% inside PCM's outline; it is "
            "included so the zone covers Huaccana's 2016 extent. Confirm with PCM/DEVIDA."
            for m in unsure
        ),
        "The creating laws of 9 of the 10 post-2016 districts were not located; their parents "
        "come from spatial analysis only.",
        "Boundaries come from mapsPERU (about 1 km between vertices, p99 boundary error about "
        "0.6 km): treat points within about 1 km of the edge as near the zone. The Junín-Cusco "
        "limit in the Ene river sector is officially undefined.",
        "Being in the VRAEM is not the same as being under a state of emergency; emergencies "
        "inside the VRAEM are separate, time-limited decrees.",
    ]
    properties: dict[str, Any] = {
        "id": "pe-vraem",
        "name": texts.VRAEM["name"],
        "kind": "zone",
        "parent": None,
        "level": 4,
        "categories": ["terrorism", "crime", "coca"],
        "basis": "official-advisory",
        "summary": texts.VRAEM["summary"],
        "advice": texts.VRAEM["advice"],
        "sources": _SOURCES,
        "valid_from": None,
        "valid_until": None,
        "renewed_since": None,
        "confidence": "district list from PCM GeoPerú; decree annex not read; scope unverified",
        "notes": notes,
        "built_from": (
            f"union of {facts['districts']} mapsPERU district polygons (the 79 VRAEM ubigeos of "
            "zones/vraem_districts.csv, boundary_ubigeo column), sliver holes under 1 km² filled"
        ),
        "members": members,
    }
    return ZoneDraft(properties, geometry, facts)


def compare_outline(zone: BaseGeometry, outline_path: Path) -> dict[str, Any]:
    """Area difference and Hausdorff distance between the zone and PCM's VRAEM outline."""
    outline = shapely.union_all([shape(f["geometry"]) for f in read_geojson(outline_path)])
    ours, theirs = geodesic_area_km2(zone), geodesic_area_km2(outline)
    utm = Projection(32718)
    hausdorff = shapely.hausdorff_distance(utm.forward(zone.boundary), utm.forward(outline.boundary))
    return {
        "zone_km2": round(ours, 1),
        "outline_km2": round(theirs, 1),
        "area_difference_pct": round(100 * (ours - theirs) / theirs, 3),
        "zone_outside_outline_km2": round(geodesic_area_km2(zone.difference(outline)), 1),
        "outline_outside_zone_km2": round(geodesic_area_km2(outline.difference(zone)), 1),
        "hausdorff_m": round(float(hausdorff)),
    }
