"""The Colombian-border zone of Loreto and its Amazon River exception (COLOMBIA_BORDER.md).

Method, with the current mapsPERU outline in place of the 2007 INEI layer:
1. border line A: the Natural Earth Peru-Colombia boundary line;
2. border line I: the piece of the mapsPERU Peru outline between A's tripoints;
3. band: 20 km around A union 20 km around I (conservative: 20 km from whichever line
   lies further south), in a Transverse Mercator centred on the border;
4. zone: band intersected with mapsPERU Loreto;
5. exception: the Natural Earth Amazon centreline inside the band, buffered by
   ``EXCEPTION_HALF_WIDTH_M`` on each side, intersected with the zone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from geo.build import texts
from geo.build.citations import dedupe
from geo.build.draft import ZoneDraft, district_union
from geo.build.geometry import BORDER_CRS, Projection, geodesic_area_km2, largest_polygon
from geo.build.sources import SourceSet, read_geojson
from geo.errors import SourceError

__all__ = [
    "BUFFER_M",
    "EXCEPTION_HALF_WIDTH_M",
    "LORETO",
    "build_border",
    "compare_candidate",
]

BUFFER_M = 20_000
#: Half-width of the Amazon corridor. The Natural Earth centreline lies on average 1.7 km
#: (up to 5.2 km) from the river border; 3 km holds 86 % of that border (1 km: 35 %,
#: 2 km: 69 %) while leaving out Caballococha town, 4.1-4.5 km from the centreline, which
#: the U.S. exception ("the Amazon River itself") does not cover.
EXCEPTION_HALF_WIDTH_M = 3_000
LORETO = "160000"
_QUAD_SEGS = 32


def _border_line_a(path: Path) -> LineString:
    lines = [
        shape(f["geometry"])
        for f in read_geojson(path)
        if {f["properties"].get("adm0_a3_l"), f["properties"].get("adm0_a3_r")} == {"PER", "COL"}
    ]
    merged = shapely.line_merge(shapely.union_all(lines)) if lines else None
    if not isinstance(merged, LineString):
        raise SourceError(
            path,
            "features with adm0_a3_l/adm0_a3_r = PER/COL",
            "no single Peru-Colombia boundary line found",
            "restore the Natural Earth boundary-lines subset",
        )
    return merged


def _amazon(path: Path) -> BaseGeometry:
    parts = [
        shape(f["geometry"])
        for f in read_geojson(path)
        if f["properties"].get("name") == "Amazonas" and f["properties"].get("featurecla") == "River"
    ]
    if not parts:
        raise SourceError(
            path,
            "features with name = Amazonas, featurecla = River",
            "the Amazon centreline is missing",
            "restore the Natural Earth rivers subset",
        )
    return shapely.line_merge(shapely.union_all(parts))


def _outline_piece(outline: BaseGeometry, line_a: LineString) -> LineString:
    """The piece of the outline's exterior ring between the projections of A's ends."""
    ring = LineString(largest_polygon(outline).exterior.coords)
    start, end = (ring.project(Point(line_a.coords[i])) for i in (0, -1))
    low, high = sorted((start, end))
    inner = substring(ring, low, high)
    outer = shapely.line_merge(MultiLineString([substring(ring, high, ring.length), substring(ring, 0, low)]))
    return min((inner, outer), key=lambda piece: shapely.hausdorff_distance(piece, line_a))


def build_border(
    sources: SourceSet, districts: gpd.GeoDataFrame, peru: BaseGeometry
) -> tuple[ZoneDraft, ZoneDraft]:
    """Derive ``pe-colombia-border`` and ``pe-amazon-river-exception``."""
    tm = Projection(BORDER_CRS)
    line_a = tm.forward(_border_line_a(sources.path("boundary_lines")))
    line_i = _outline_piece(tm.forward(peru), line_a)
    band = shapely.union(
        line_a.buffer(BUFFER_M, quad_segs=_QUAD_SEGS),
        line_i.buffer(BUFFER_M, quad_segs=_QUAD_SEGS),
    )
    loreto_codes = list(districts.loc[districts["COD_DEPARTAMENTO"] == LORETO, "COD_DISTRITO"])
    loreto, loreto_facts = district_union(loreto_codes, districts)
    zone_metric = band.intersection(tm.forward(loreto))
    amazon_in_band = tm.forward(_amazon(sources.path("rivers"))).intersection(band)
    corridor = amazon_in_band.buffer(EXCEPTION_HALF_WIDTH_M, quad_segs=_QUAD_SEGS)
    exception = tm.inverse(corridor.intersection(zone_metric))
    zone = tm.inverse(zone_metric)
    outside_loreto = tm.inverse(band).intersection(peru.difference(loreto))
    facts = {
        "ne_line_km": round(line_a.length / 1000, 1),
        "outline_line_km": round(line_i.length / 1000, 1),
        "ne_vs_outline_hausdorff_m": round(float(shapely.hausdorff_distance(line_a, line_i))),
        "band_in_peru_outside_loreto_km2": round(geodesic_area_km2(outside_loreto), 3),
        "amazon_in_band_km": round(amazon_in_band.length / 1000, 1),
        "loreto_districts": loreto_facts["districts"],
    }
    cited = dedupe(
        [
            texts.STATE_DEPARTMENT,
            *({"title": _title(url), "url": url, "date": None} for url in _candidate_urls(sources)),
        ]
    )
    border = ZoneDraft(
        _properties(
            "pe-colombia-border",
            texts.COLOMBIA_BORDER,
            kind="zone",
            level=4,
            categories=["crime", "terrorism"],
            sources=cited,
            confidence="candidate geometry, not an official boundary; advisory wording from "
            "secondary copies (2019-2025)",
            notes=_BORDER_NOTES,
            built_from="land of Loreto (union of the mapsPERU Loreto districts) within 20 km of "
            "the Natural Earth 10m Peru-Colombia boundary line or of the mapsPERU outline "
            "between the same tripoints, buffered in " + BORDER_CRS,
        ),
        zone,
        facts,
    )
    amazon = ZoneDraft(
        _properties(
            "pe-amazon-river-exception",
            texts.AMAZON_EXCEPTION,
            kind="exception",
            parent="pe-colombia-border",
            # Inside the exception the parent does not raise the level: the baseline applies.
            level=2,
            categories=["crime"],
            sources=cited,
            confidence="candidate geometry; whether the current U.S. text still excepts the "
            "Amazon River is unverified",
            notes=_EXCEPTION_NOTES,
            built_from=f"Natural Earth 10m 'Amazonas' river centreline inside the 20 km band, "
            f"buffered {EXCEPTION_HALF_WIDTH_M // 1000} km each side, intersected with "
            "pe-colombia-border",
        ),
        exception,
        {"half_width_km": EXCEPTION_HALF_WIDTH_M / 1000},
    )
    return border, amazon


def _properties(
    zone_id: str,
    text: dict[str, Any],
    *,
    kind: str,
    level: int,
    categories: list[str],
    sources: list[dict[str, Any]],
    confidence: str,
    notes: list[str],
    built_from: str,
    parent: str | None = None,
) -> dict[str, Any]:
    return {
        "id": zone_id,
        "name": text["name"],
        "kind": kind,
        "parent": parent,
        "level": level,
        "categories": categories,
        "basis": "official-advisory",
        "summary": text["summary"],
        "advice": text["advice"],
        "sources": sources,
        "valid_from": None,
        "valid_until": None,
        "renewed_since": None,
        "confidence": confidence,
        "notes": notes,
        "built_from": built_from,
    }


def _candidate_urls(sources: SourceSet) -> list[str]:
    """The advisory URLs cited by the research candidate (zones/colombia_border.geojson)."""
    urls: list[str] = []
    for feature in read_geojson(sources.path("colombia_border")):
        urls.extend(feature["properties"].get("source_urls", []))
    return urls


def _title(url: str) -> str:
    if "travel.state.gov" in url:
        return str(texts.STATE_DEPARTMENT["title"])
    if "gov.uk" in url:
        return "UK FCDO foreign travel advice, Peru: warnings and insurance"
    return "Report of the advisory wording (" + url.split("/")[2] + ")"


def compare_candidate(zone: BaseGeometry, exception: BaseGeometry, path: Path) -> dict[str, Any]:
    """Area difference between the derived zone and the research candidate geometry."""
    roles = {f["properties"].get("role"): shape(f["geometry"]) for f in read_geojson(path)}
    if "zone" not in roles:
        raise SourceError(path, "features", "no feature with role 'zone'", "restore the file")
    ours, theirs = geodesic_area_km2(zone), geodesic_area_km2(roles["zone"])
    result = {
        "zone_km2": round(ours, 1),
        "candidate_km2": round(theirs, 1),
        "area_difference_pct": round(100 * (ours - theirs) / theirs, 3),
    }
    if "exception" in roles:
        result["exception_km2"] = round(geodesic_area_km2(exception), 1)
        result["candidate_exception_km2"] = round(geodesic_area_km2(roles["exception"]), 1)
    return result


_BORDER_NOTES = [
    "Advisory definition: U.S. Level 4 'the Colombian-Peruvian border area in the Loreto "
    "Region'; U.S. staff may not travel within 20 km of the border with Colombia in Loreto, "
    "including on the Putumayo River, without permission. UK FCDO: all but essential travel "
    "within 20 km south of the Putumayo and the Peru-Colombia border (Loreto).",
    "The wording comes from stored secondary copies (2019-2025); the current primary pages of "
    "the U.S. and UK were not available: unverified.",
    "Conservative union: Natural Earth and the mapsPERU outline disagree by about 2 km on "
    "average and up to about 7 km; the zone reaches 20 km from whichever lies further south.",
    "Clipped to mapsPERU Loreto: a boat fix in mid-Putumayo or mid-Amazon may fall on the "
    "Colombian side of the line and outside the zone.",
    "The river boundary near the tri-border is politically contested (Colombia, August 2025).",
    "Overlaps the state of emergency over Putumayo and Mariscal Ramón Castilla provinces.",
]
_EXCEPTION_NOTES = [
    "The U.S. exception is the Amazon River itself; the UK FCDO exception also includes the "
    "tri-border area from and including Caballococha to Santa Rosa de Yavarí. This corridor "
    "follows the U.S. reading: Caballococha town is not inside it.",
    "Corridor width: 3 km each side of the Natural Earth centreline, which lies on average "
    "1.7 km (up to 5.2 km) from the river border of the detailed outline; 3 km holds about "
    "86 % of that border (1 km: 35 %, 2 km: 69 %). Riverbank land within 3 km is inside the "
    "corridor too; points on the real channel can still fall outside it.",
    "Whether the current U.S. text still says 'except on the Amazon River itself' is "
    "unverified: the May 2025 reports of the reissue do not mention it.",
    "Santa Rosa de Yavarí is not encoded separately: no licensed coordinate was found.",
]
