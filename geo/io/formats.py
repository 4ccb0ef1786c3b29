"""Route input formats: GeoJSON, GPX, KML, Google encoded polylines and CSV waypoints.

Every parser returns a ``Route`` of (lon, lat) vertex arrays and reports errors with the
position in the input. XML is read with expat, and a document type declaration is refused
outright, so entity expansion and external entities never happen.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.documents import parse_json
from geo.io.xml_routes import read_gpx, read_kml

__all__ = ["FORMATS", "Route", "detect_format", "parse_route"]

FORMATS = ("geojson", "gpx", "kml", "polyline", "csv")


@dataclass(frozen=True)
class Route:
    """A route: one or more parts, each an (n, 2) array of lon, lat (x is longitude)."""

    parts: tuple[np.ndarray, ...]
    name: str | None = None

    @property
    def vertices(self) -> int:
        return int(sum(len(p) for p in self.parts))


def detect_format(data: bytes | str, content_type: str | None = None, filename: str | None = None) -> str:
    """The format from a content type, a file name, or the first bytes."""
    kind = (content_type or "").split(";")[0].strip().lower()
    by_type = {
        "application/gpx+xml": "gpx",
        "application/vnd.google-earth.kml+xml": "kml",
        "text/csv": "csv",
        "application/geo+json": "geojson",
    }
    if kind in by_type:
        return by_type[kind]
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if suffix in ("gpx", "kml", "csv", "geojson"):
        return suffix
    if suffix == "json":
        return "geojson"
    head = (data[:512].decode("utf-8", "replace") if isinstance(data, bytes) else data[:512]).lstrip()
    if head.startswith("<"):
        return "kml" if "<kml" in head else "gpx"
    if head.startswith("{"):
        return "polyline" if '"polyline"' in head[:100] else "geojson"
    return "csv"


def parse_route(data: bytes | str | dict[str, Any], fmt: str) -> Route:
    """Parse ``data`` as ``fmt`` (one of ``FORMATS``) into a checked ``Route``.

    GeoJSON and polyline routes may also be given as an already parsed JSON object.

    Examples
    --------
    >>> line = '{"type": "LineString", "coordinates": [[-74.2, -13.2], [-73.8, -12.5]]}'
    >>> route = parse_route(line, "geojson")
    >>> route.vertices, route.parts[0][1].tolist()
    (2, [-73.8, -12.5])
    >>> parse_route('{"polyline": "_p~iF~ps|U_ulLnnqC"}', "polyline").parts[0].tolist()
    [[-120.2, 38.5], [-120.95, 40.7]]
    """
    parsers = {"geojson": _geojson, "gpx": _gpx, "kml": _kml, "polyline": _polyline, "csv": _csv}
    if fmt not in parsers:
        raise InputFormatError(
            _(
                "unknown route format {format}; use one of {known}",
                format=repr(fmt),
                known=", ".join(FORMATS),
            ),
            field="format",
        )
    if isinstance(data, dict) and fmt not in ("geojson", "polyline"):
        raise InputFormatError(_("a {format} route is text, not a JSON object", format=fmt), field="route")
    route = parsers[fmt](data)  # type: ignore[arg-type]
    parts = tuple(p for p in route.parts if len(p))
    if not parts:
        raise InputFormatError(_("the {format} route has no vertices", format=fmt), field="route")
    for index, part in enumerate(parts):
        _check_range(part, fmt, index)
    return Route(parts, route.name)


def _text(data: bytes | str, fmt: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(
            _("{format}: not UTF-8 text (byte {byte})", format=fmt, byte=exc.start), field="route"
        ) from None


def _check_range(part: np.ndarray, fmt: str, index: int) -> None:
    bad = ~(np.isfinite(part).all(axis=1) & (np.abs(part[:, 0]) <= 180) & (np.abs(part[:, 1]) <= 90))
    if bad.any():
        vertex = int(bad.argmax())
        lon, lat = part[vertex]
        raise InputFormatError(
            _(
                "{format}: part {part}, vertex {vertex}: lon {lon}, lat {lat} is not a position "
                "(lon -180..180, lat -90..90, decimal degrees; GeoJSON and KML put lon first)",
                format=fmt,
                part=index,
                vertex=vertex,
                lon=repr(lon),
                lat=repr(lat),
            ),
            field="route",
        )


# GeoJSON -----------------------------------------------------------------------------------


def _geojson(data: bytes | str | dict[str, Any]) -> Route:
    # Positions are read and checked as whole arrays, never one by one.
    doc = (
        data
        if isinstance(data, dict)
        else parse_json(_text(data, "GeoJSON"), field="route", what=_("the GeoJSON"))
    )
    return Route(tuple(_geojson_parts(doc, "$")), _name(doc))


def _name(doc: Any) -> str | None:
    props = doc.get("properties") if isinstance(doc, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    return str(name) if name is not None else None


def _positions(value: Any, where: str) -> np.ndarray:
    if not isinstance(value, list) or not value:
        raise InputFormatError(
            _("GeoJSON {where}: expected a list of [lon, lat] positions", where=where), field="route"
        )
    problem = _(
        "GeoJSON {where}: every position must be [lon, lat] or [lon, lat, elevation], in numbers", where=where
    )
    try:
        # One C-level conversion of the whole array; every value checked at once.
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputFormatError(problem, field="route") from None
    if array.ndim != 2 or array.shape[1] not in (2, 3) or not np.isfinite(array[:, 2:]).all():
        raise InputFormatError(problem, field="route")
    if any(isinstance(v, bool) for position in value[:1] for v in position):
        raise InputFormatError(problem, field="route")
    return array[:, :2]


def _geojson_parts(doc: Any, where: str) -> list[np.ndarray]:
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "LineString":
        return [_positions(doc.get("coordinates"), f"{where}.coordinates")]
    if kind == "MultiLineString" and isinstance(doc.get("coordinates"), list):
        return [_positions(line, f"{where}.coordinates[{i}]") for i, line in enumerate(doc["coordinates"])]
    if kind == "Feature":
        return _geojson_parts(doc.get("geometry"), f"{where}.geometry")
    if kind == "FeatureCollection" and isinstance(doc.get("features"), list):
        features = doc["features"]
        points = [
            f
            for f in features
            if isinstance(f, dict)
            and isinstance(f.get("geometry"), dict)
            and f["geometry"].get("type") == "Point"
        ]
        if points and len(points) == len(features):
            # Point features in order are waypoints of one route.
            return [_positions([f["geometry"].get("coordinates") for f in points], f"{where}.features")]
        parts = []
        for i, feature in enumerate(features):
            parts.extend(_geojson_parts(feature, f"{where}.features[{i}]"))
        return parts
    raise InputFormatError(
        _(
            "GeoJSON {where}: expected a LineString, MultiLineString, Feature or FeatureCollection "
            "of lines, got {kind}",
            where=where,
            kind=repr(kind),
        ),
        field="route",
    )


# XML: GPX and KML (geo.io.xml_routes) ------------------------------------------------------


def _gpx(data: bytes | str) -> Route:
    return Route(*read_gpx(data))


def _kml(data: bytes | str) -> Route:
    return Route(*read_kml(data))


# Encoded polyline and CSV ------------------------------------------------------------------


#: A character outside the encoding's alphabet (ASCII 63 to 126).
_NOT_POLYLINE = re.compile(r"[^?-~]")


def _polyline(data: bytes | str | dict[str, Any]) -> Route:
    doc = (
        parse_json(_text(data, "polyline"), field="polyline", what=_("the polyline body"))
        if not isinstance(data, dict)
        else data
    )
    encoded = doc.get("polyline") if isinstance(doc, dict) else None
    precision = doc.get("precision", 5) if isinstance(doc, dict) else 5
    if not isinstance(encoded, str) or not encoded:
        raise InputFormatError(
            _(
                'polyline: send a JSON object with "polyline" (the encoded text) and optionally '
                '"precision" (5 or 6)'
            ),
            field="polyline",
        )
    if precision not in (5, 6):
        raise InputFormatError(_("polyline: precision must be 5 or 6"), field="precision")
    stray = _NOT_POLYLINE.search(encoded)
    if stray:
        raise InputFormatError(
            _(
                "polyline: character {position} ({character}) cannot occur in an encoded polyline",
                position=stray.start(),
                character=repr(stray.group()),
            ),
            field="polyline",
        )
    try:
        import polyline as polyline_codec  # only here: not on a cold `riskzones check`

        pairs = polyline_codec.decode(encoded, precision)
    except (IndexError, ValueError):
        raise InputFormatError(
            _("polyline: the encoding is truncated or corrupt"), field="polyline"
        ) from None
    array = np.array(pairs, dtype=float).reshape(-1, 2)[:, ::-1]  # the codec gives (lat, lon)
    return Route((array,))


_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")


def _csv(data: bytes | str) -> Route:
    reader = csv.DictReader(io.StringIO(_text(data, "CSV"), newline=""), strict=True)
    try:
        return _csv_route(reader)
    except csv.Error as exc:
        raise InputFormatError(
            _("CSV line {line}: {problem}", line=reader.line_num, problem=exc), field="route"
        ) from None


def _csv_route(reader: csv.DictReader[str]) -> Route:
    columns = {c.strip().lower(): c for c in reader.fieldnames or []}
    lat_col = next((columns[n] for n in _LAT_NAMES if n in columns), None)
    lon_col = next((columns[n] for n in _LON_NAMES if n in columns), None)
    if lat_col is None or lon_col is None:
        raise InputFormatError(
            _(
                "CSV: no latitude and longitude columns (found {columns}); name them lat and lon",
                columns=", ".join(columns) or _("none"),
            ),
            field="route",
        )
    points = []
    for row in reader:
        try:
            points.append((float(row[lon_col]), float(row[lat_col])))
        except (TypeError, ValueError):
            raise InputFormatError(
                _(
                    "CSV line {line}: lat {lat}, lon {lon} are not numbers",
                    line=reader.line_num,
                    lat=repr(row[lat_col]),
                    lon=repr(row[lon_col]),
                ),
                field="route",
            ) from None
    return Route((np.array(points, dtype=float).reshape(-1, 2),))
