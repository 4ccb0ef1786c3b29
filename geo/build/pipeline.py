"""The pack build: read the definitions (``geo/definitions``), derive every zone, check, write."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from geo.build import texts
from geo.build.advisories import GOVERNMENTS, build_advisories
from geo.build.basemap import build_basemap
from geo.build.border import compare_candidate
from geo.build.checks import run_checks
from geo.build.districts import coverage, district_layer
from geo.build.emergencies import CHAINS, build_emergencies
from geo.build.gazetteer import AIRPORT_COLUMNS, build_airports, build_gazetteer, gazetteer_json
from geo.build.geometry import snap_to_grid
from geo.build.lowpresence import build_low_presence
from geo.build.night import build_night_travel
from geo.build.readme import render_readme
from geo.build.region import derive_neighbours, prepare_neighbours, write_neighbours
from geo.build.sources import DEFAULT_DEFINITIONS, SourceSet, read_csv, read_districts
from geo.build.vraem import compare_outline
from geo.build.writer import feature_collection, write_pack, write_text_atomic
from geo.errors import PackError
from geo.i18n import LANGUAGES
from geo.pack import load_pack
from geo.pack.changes import changed_files, diff_zones, pack_checksums, zone_facts
from geo.pack.compiled import SOURCES as COMPILED_SOURCES
from geo.pack.compiled import compile_pack

__all__ = ["DEFAULT_OUTLINE", "DEFAULT_SOURCES", "BuildResult", "build_pack", "default_output_root"]

DEFAULT_SOURCES = DEFAULT_DEFINITIONS
#: PCM's VRAEM outline (no stated licence, so not in the repository): the build compares the
#: legal VRAEM with it when it is there, and reports the comparison without writing it.
DEFAULT_OUTLINE = Path("../shared/data/sources/geoperu-vraem/vraem_outline.geojson")
PACK_ID = "pe"
GOVERNMENT_CODES = list(GOVERNMENTS)

#: The inputs, their origin and licence, as their PROVENANCE.md files state them.
_INPUTS: dict[str, dict[str, str]] = {
    "districts": {
        "title": "mapsPERU map_DIST, 1,891 current districts (INEI ubigeo), converted to "
        "GeoPackage; musajajorge/mapsPERU@dbb02cf3 (v2.0.0, 2025-11-19)",
        "licence": "GPL-3",
        "used_for": "VRAEM and low-presence zones, Loreto, coverage outline, district layer",
    },
    "boundary_lines": {
        "title": "Natural Earth 10m admin-0 land boundary lines v4.0.0 (Peru region subset), "
        "martynafford/natural-earth-geojson@0b9a6ceb",
        "licence": "public domain (Natural Earth); CC0 1.0 (repository)",
        "used_for": "the Peru-Colombia and Peru-Ecuador border lines of the advisory bands",
    },
    "rivers": {
        "title": "Natural Earth 10m rivers and lake centerlines v4.0.0 (Peru region subset), "
        "martynafford/natural-earth-geojson@0b9a6ceb",
        "licence": "public domain (Natural Earth); CC0 1.0 (repository)",
        "used_for": "the Amazon centreline of the Amazon River exceptions; the rivers of the map's "
        "base layer",
    },
    "lakes": {
        "title": "Natural Earth 10m lakes v4.0.0 (Peru region subset), "
        "martynafford/natural-earth-geojson@0b9a6ceb",
        "licence": "public domain (Natural Earth); CC0 1.0 (repository)",
        "used_for": "the lakes of the map's base layer",
    },
    "countries": {
        "title": "Natural Earth 10m admin-0 countries v4.1.0, Peru and its neighbours, from the npm "
        "package world-atlas 2.0.2 (topojson/world-atlas@a912c0a2)",
        "licence": "public domain (Natural Earth); ISC (world-atlas)",
        "used_for": "the neighbouring countries of the map's base layer",
    },
    "advisories": {
        "title": "U.S., UK, Canadian and Australian Peru advice as dated area rules, one file per "
        "government, compiled from archived copies of the governments' pages",
        "licence": "facts compiled from public sources; quotes: U.S. public domain, UK OGL v3.0, "
        "Canada OGL-Canada, Australia terms not verified",
        "used_for": "every government's zones, exceptions and country levels",
    },
    "advisory_districts": {
        "title": "districts of every advisory area drawn from districts",
        "licence": "facts compiled from public sources",
        "used_for": "membership of the advisory areas drawn from districts",
    },
    "advisory_verified": {
        "title": "the last day each government's text was seen unchanged, with the archive it was seen in",
        "licence": "facts compiled from public sources",
        "used_for": "how current each government's text is (verified_on)",
    },
    "colombia_border": {
        "title": "Colombian-border candidate geometry (the zone and the Amazon exception of an "
        "independent construction)",
        "licence": "partly derived from INEI-2007 data (MPL-2.0, juaneladio/peru-geojson); used "
        "only as a check, not shipped",
        "used_for": "check of us-colombia-border",
    },
    "airports": {
        "title": "Peru's airports with IATA codes: codes, names and positions from the PyPI package "
        "airportsdata 20260905 (OurAirports and mwgg/Airports data)",
        "licence": "MIT (geo/definitions/places/airports.LICENSE)",
        "used_for": "airports in the gazetteer; the flights of calendars (LIM to CUZ)",
    },
    "low_presence": {
        "title": "Low-government-presence zones (mining, logging, coca): one row per zone",
        "licence": "facts compiled from public sources",
        "used_for": "dates, sources and notes of the mining, logging and coca zones",
    },
    "low_presence_districts": {
        "title": "the 2007 INEI districts of each low-government-presence zone, with the current "
        "districts covering them",
        "licence": "facts compiled from public sources",
        "used_for": "membership of the mining, logging and coca zones",
    },
    "decrees": {
        "title": "Ledger of Peru's security states of emergency from 2025 (one file per decree "
        "chain, one row per decree), compiled from press reports of El Peruano notices and "
        "foreign travel pages",
        "licence": "facts compiled from public sources",
        "used_for": "the states of emergency: districts, periods, decrees and sources",
    },
    "night_travel": {
        "title": "Night-travel rules of the U.S., UK, Canadian and Australian advice (16 rows), "
        "research compilation from archived copies of the governments' pages",
        "licence": "facts compiled from public sources; quotes as advisory_areas",
        "used_for": "the night-travel caution of itinerary road legs, with its allowed corridors",
    },
}


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and what it measured."""

    pack_dir: Path
    pack: dict[str, Any]


def default_output_root() -> Path:
    """``geo/data`` of this checkout (the build writes the packaged pack in place)."""
    return Path(str(resources.files("geo") / "data"))


def build_pack(
    sources_dir: Path = DEFAULT_SOURCES,
    out_root: Path | None = None,
    *,
    reference: Path | None = None,
    outline: Path | None = DEFAULT_OUTLINE,
    log: Callable[[str], None] = print,
) -> BuildResult:
    """Build the Peru pack from the definitions in ``sources_dir`` into ``out_root/pe`` and
    ``out_root/README.md``.

    Every definition is read and every check passes before anything is written; on any error
    the existing pack is left untouched. ``reference`` is a pack whose ``built`` time is kept
    when the content is the same (default: the pack being replaced). ``outline`` is PCM's VRAEM
    outline: when the file exists the legal VRAEM is checked against it (nothing of it is
    written, so the pack is the same with or without it).
    """
    root = out_root or default_output_root()
    sources = SourceSet(Path(sources_dir))
    log(f"reading definitions from {sources.root}")
    districts = read_districts(sources.path("districts"))
    log(f"  {len(districts)} districts")
    log("deriving zones")
    low_presence = build_low_presence(
        sources.path("low_presence"), sources.path("low_presence_districts"), districts
    )
    emergencies = build_emergencies(sources.files("decrees", [c.id for c in CHAINS]), districts)
    peru, coverage_facts = coverage(districts)
    advisories = build_advisories(sources, districts, peru)
    zones = [*advisories.zones, *emergencies.zones, *low_presence]
    by_id = {z.id: z for z in zones}
    for zone in zones:
        zone.geometry = snap_to_grid(zone.geometry)
    peru = snap_to_grid(peru)
    for code in LANGUAGES[1:]:
        untranslated = [z.id for z in zones if code not in z.properties["translations"]]
        if untranslated:
            named = ", ".join(untranslated)
            log(
                f"  {len(untranslated)} zones read in English only in {code!r} "
                f"(a text has no translation): {named}"
            )
    log("deriving the district layer and the gazetteer")
    district_records, district_facts = district_layer(districts)
    places, gazetteer_facts = build_gazetteer(districts)
    airports = build_airports(read_csv(sources.path("airports"), AIRPORT_COLUMNS), districts)
    gazetteer_facts["airports"] = len(airports)
    night_travel = build_night_travel(sources.path("night_travel"), places)
    log("deriving the neighbours' zones")
    neighbours = prepare_neighbours(sources, derive_neighbours(sources, log))
    log("checking")
    vraem_check = None
    if outline is not None and outline.is_file():
        vraem_check = compare_outline(by_id["us-vraem-2023"].geometry, outline)
    else:
        log(f"  no VRAEM outline at {outline}: the VRAEM check is skipped (pass --outline)")
    checks = run_checks(
        zones,
        peru,
        [d["geometry"] for d in district_records],
        vraem_check,
        compare_candidate(
            by_id["us-colombia-border"].geometry,
            by_id["us-amazon-river-exception"].geometry,
            sources.path("colombia_border"),
        ),
        district_facts,
    )
    checks["coverage"] = coverage_facts
    checks["gazetteer"] = gazetteer_facts
    checks["advisories"] = advisories.facts
    files = {
        "zones.geojson": feature_collection(
            {"properties": z.properties, "geometry": z.geometry} for z in zones
        ),
        "coverage.geojson": feature_collection(
            [{"properties": {"id": PACK_ID, "name": texts.PACK_NAME}, "geometry": peru}]
        ),
        "districts.geojson": feature_collection(district_records),
        "gazetteer.json": gazetteer_json(places, airports),
        "basemap.geojson": feature_collection(
            build_basemap(
                districts, sources.path("countries"), sources.path("rivers"), sources.path("lakes"), places
            )
        ),
    }
    # The compiled form a fresh process reads in milliseconds, derived from the GeoJSON above.
    log("compiling the index")
    checksums = {key: hashlib.sha256(files[f"{key}.geojson"]).hexdigest() for key in COMPILED_SOURCES}
    files["compiled.bin"] = compile_pack(files, checksums)
    metadata = {
        "id": PACK_ID,
        "name": texts.PACK_NAME,
        "country": "PER",
        # The date of the newest dated source any zone cites (the data version is the writer's).
        "sources_as_of": _version(zones),
        # Dates in the pack are Peruvian calendar dates: "today" is the date in Lima.
        "timezone": "America/Lima",
        "baseline": texts.baseline(),
        # Each government's country level per version, its scale and its newest text read.
        "advisories": advisories.governments,
        # Night-travel rules; allowed corridors as lines through the towns that name them.
        "night_travel": night_travel,
        # States of emergency the ledger cannot draw (strips, corridors, lists not read).
        "emergencies_not_drawn": emergencies.not_drawn,
        "sources": [
            {
                "id": key,
                **meta,
                "path": f"geo/definitions/{_path(sources, key)}",
                "sha256": _sha256(sources, key),
            }
            for key, meta in _INPUTS.items()
        ],
        "checks": checks,
    }
    pack_dir = root / PACK_ID
    change = _change(reference or pack_dir, zones, files)
    pack = write_pack(pack_dir, files, metadata, reference, change)
    write_text_atomic(root / "README.md", render_readme(pack))
    _log_checks(checks, vraem_check, log)
    log(f"wrote {pack_dir} (version {pack['version']}, content {pack['content_sha256'][:12]})")
    write_neighbours(neighbours, root, reference_root=reference.parent if reference else None, log=log)
    return BuildResult(pack_dir, pack)


def _change(previous: Path, zones: list[Any], files: dict[str, bytes]) -> dict[str, Any] | None:
    """What changed since the pack being replaced: the zones, and the pack's files whose
    content differs (a release that changes only the gazetteer is still logged). None when
    there is no readable pack to compare with."""
    try:
        old = load_pack(previous)
    except PackError:
        return None
    diff = diff_zones(
        (zone_facts(z.properties, z.geometry) for z in old.zones),
        (zone_facts(z.properties, z.geometry) for z in zones),
        old_version=old.version,
        new_version=None,
    )
    after = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    return replace(diff, files=changed_files(pack_checksums(old), after)).as_json()


def _path(sources: SourceSet, key: str) -> str:
    if key in ("advisories", "decrees"):
        return f"{key}/*.csv"
    return sources.path(key).relative_to(sources.root).as_posix()


def _sha256(sources: SourceSet, key: str) -> str:
    """The file's sha256; of a folder of CSVs, that of their names and checksums, one per line."""
    if key not in ("advisories", "decrees"):
        return sources.sha256(key)
    names = GOVERNMENT_CODES if key == "advisories" else [c.id for c in CHAINS]
    lines = "".join(
        f"{p.name} {hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in sources.files(key, names)
    )
    return hashlib.sha256(lines.encode()).hexdigest()


def _version(zones: list[Any]) -> str:
    """The date of the newest dated source cited by any zone."""
    dates = [s["date"] for z in zones for s in z.properties["sources"] if s.get("date")]
    return max(dates)


def _log_checks(checks: dict[str, Any], vraem: dict[str, Any] | None, log: Callable[[str], None]) -> None:
    border = checks["colombia_border_vs_candidate"]
    districts = checks["district_layer"]
    log("checks: all geometries valid; zone ids unique")
    for zone_id, result in checks["exceptions_inside_parent"].items():
        log(f"  {zone_id} inside {result['parent']}: {result['outside_parent_km2']} km² outside")
    if vraem is not None:
        log(
            f"  us-vraem-2023 (legal VRAEM) vs PCM GeoPerú outline: {vraem['zone_km2']} vs "
            f"{vraem['outline_km2']} km² "
            f"({vraem['area_difference_pct']:+}%), Hausdorff {vraem['hausdorff_m']} m"
        )
    log(
        f"  us-colombia-border vs research candidate: {border['zone_km2']} vs "
        f"{border['candidate_km2']} km² ({border['area_difference_pct']:+}%)"
    )
    log(
        f"  district layer: max simplification error {districts['max_error_m']} m "
        f"({districts['vertices_layer']} of {districts['vertices_source']} vertices kept)"
    )
    for zone in checks["zones"]:
        log(
            f"  {zone['id']:<28} level {zone['level']}  {zone['area_km2']:>10.1f} km²  "
            f"{zone['vertices']:>6} vertices"
        )
