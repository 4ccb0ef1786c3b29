"""Route files: which format a file is, and the one reader of each, for every entry point.

The command line, the API, itinerary legs and the map's device mode (through the rules in
``ROUTE_FILE_RULES``) read a route file the same way: ``read_route`` decides the format by the
content (a suffix, a media type or ``--format`` is only a hint, used when the content cannot
tell), reads it with the format's reader, and ``finish_reading`` applies the rules every
format shares. Every refusal names the place in the file and carries a stable ``code``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.errors import InputFormatError, UnsupportedFormatError
from geo.i18n import _
from geo.io.documents import parse_json
from geo.io.geojson_routes import read_geojson
from geo.io.kmz import Kmz
from geo.io.reading import Reading, finish_reading
from geo.io.text_routes import csv_header_names, looks_like_polyline, polyline_hint, read_csv, read_polyline
from geo.io.xml_routes import GPX_NAMESPACES, GX_NAMESPACE, KML_NAMESPACES, read_gpx, read_kml

__all__ = [
    "FORMATS",
    "ROUTE_FILE_RULES",
    "UNSUPPORTED",
    "Route",
    "format_hint",
    "input_summary",
    "parse_route",
    "read_route",
    "sniff_format",
]

FORMATS = ("geojson", "gpx", "kml", "kmz", "polyline", "csv")
#: The refusal code of a file no reader reads.
UNSUPPORTED = "unsupported_format"

_LABELS = {
    "geojson": "GeoJSON",
    "gpx": "GPX",
    "kml": "KML",
    "kmz": "KMZ",
    "polyline": "polyline",
    "csv": "CSV",
}

#: Media types and file suffixes, as hints.
_BY_TYPE = {
    "application/gpx+xml": "gpx",
    "application/vnd.google-earth.kml+xml": "kml",
    "application/vnd.google-earth.kmz": "kmz",
    "text/csv": "csv",
    "application/geo+json": "geojson",
}
_BY_SUFFIX = {"gpx": "gpx", "kml": "kml", "kmz": "kmz", "csv": "csv", "geojson": "geojson", "json": "geojson"}

#: What the map's device mode needs to read route files as this module does (served in the
#: offline bundle): the namespaces whose elements count.
ROUTE_FILE_RULES = {
    "gpx_namespaces": list(GPX_NAMESPACES),
    "kml_namespaces": list(KML_NAMESPACES),
    "gx_namespace": GX_NAMESPACE,
}


@dataclass(frozen=True)
class Route:
    """A route: one or more parts, each an (n, 2) array of lon, lat (x is longitude), and what
    the file held besides: empty lines skipped, waypoints and areas passed over, and whether
    the route is the line through the file's waypoints (it had no lines)."""

    parts: tuple[np.ndarray, ...]
    name: str | None = None
    format: str | None = None
    empty_parts: int = 0
    waypoints_ignored: int = 0
    areas_ignored: int = 0
    from_waypoints: bool = False

    @property
    def vertices(self) -> int:
        return int(sum(len(p) for p in self.parts))


def format_hint(content_type: str | None = None, filename: str | None = None) -> str | None:
    """The format a media type or a file name suggests, if any."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in _BY_TYPE:
        return _BY_TYPE[kind]
    if filename and "." in filename:
        return _BY_SUFFIX.get(filename.rsplit(".", 1)[-1].lower())
    return None


_ROOT = re.compile(r"<(?![?!])(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _head_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data[:4096]
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    if len(head) > 1 and (head[0] == 0) != (head[1] == 0):  # UTF-16 without a mark
        return head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", "replace")
    return head.decode("utf-8", "replace")


def _unsupported(what: str) -> UnsupportedFormatError:
    return UnsupportedFormatError(
        _(
            "{what} is not a route file this service reads; send GPX, KML, KMZ, GeoJSON, CSV with "
            "lat and lon columns, or {example}",
            what=what,
            example='{"polyline": "..."}',
        ),
        field="route",
        code=UNSUPPORTED,
    )


def sniff_format(data: bytes | str, hint: str | None = None) -> str:
    """The format of ``data``, one of ``FORMATS`` (JSON is ``geojson`` until read), decided by
    its content; ``hint`` (from a suffix, a media type, or the user) decides only when the
    content cannot. A kind of file no reader reads is an ``UnsupportedFormatError``."""
    if isinstance(data, bytes):
        if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return "kmz"
        if data.startswith(b"\x1f\x8b"):
            raise _unsupported(_("a gzip-compressed file (unpack it first)"))
        if data.startswith(b"%PDF"):
            raise _unsupported(_("a PDF document"))
        if data[8:12] == b".FIT":
            raise _unsupported(_("a FIT activity file (export it as GPX)"))
    text = _head_text(data).lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        if re.match(r"<\?xml[^>]*\?>\s*(<!--.*?-->\s*)*<!DOCTYPE", text, re.S) or text.startswith(
            "<!DOCTYPE"
        ):
            return hint if hint in ("gpx", "kml") else "gpx"  # its reader refuses the DTD
        root = _ROOT.search(re.sub(r"<!--.*?-->", "", text, flags=re.S))
        local = root.group(1) if root else ""
        if local in ("gpx", "kml"):
            return local
        if local == "TrainingCenterDatabase":
            raise _unsupported(_("a TCX file (Garmin Training Center; export it as GPX)"))
        raise _unsupported(_("an XML document with root <{root}>", root=local or "?"))
    if text.startswith(("{", "[", '"')) or text.strip() in ("null", "true", "false"):
        return "geojson"  # JSON; its reader says what a GeoJSON document needs
    first = text.split("\n", 1)[0].strip()
    if hint == "csv" or csv_header_names(first):
        return "csv"
    if looks_like_polyline(text) and "\n" not in text.strip():
        raise polyline_hint()
    if not text.strip():
        raise InputFormatError(_("the route is empty; send a route file"), field="route", code="no_route")
    raise _unsupported(_("text starting {start}", start=repr(first[:30])))


def read_route(data: bytes | str | dict[str, Any], hint: str | None = None) -> Route:
    """The route in a file or body: format by content (``hint`` when it cannot tell), read by
    that format's reader, checked. A parsed JSON object is GeoJSON or a polyline by its keys.

    Examples
    --------
    >>> route = read_route('{"type": "LineString", "coordinates": [[-74.2, -13.2], [-73.8, -12.5]]}')
    >>> route.format, route.vertices, route.parts[0][1].tolist()
    ('geojson', 2, [-73.8, -12.5])
    >>> read_route(b'{"polyline": "_p~iF~ps|U_ulLnnqC"}').parts[0].tolist()
    [[-120.2, 38.5], [-120.95, 40.7]]
    """
    if isinstance(data, dict):
        return _finish(*_json_reading(data))
    fmt = sniff_format(data, hint)
    if fmt == "geojson":
        return _finish(*_json_reading(_json(data)))
    return parse_route(data, fmt)


def parse_route(data: bytes | str | dict[str, Any], fmt: str) -> Route:
    """``data`` read as ``fmt`` (one of ``FORMATS``), for a caller that knows the format (a
    stored watch); ``read_route`` when the format is to be found."""
    if fmt not in FORMATS:
        raise InputFormatError(
            _(
                "unknown route format {format}; use one of {known}",
                format=repr(fmt),
                known=", ".join(FORMATS),
            ),
            field="format",
        )
    if isinstance(data, dict):
        if fmt not in ("geojson", "polyline"):
            raise InputFormatError(
                _("a {format} route is text, not a JSON object", format=fmt), field="route"
            )
        return _finish(*_json_reading(data))
    if fmt in ("geojson", "polyline"):
        return _finish(*_json_reading(_json(data)))
    if fmt == "gpx":
        return _finish(read_gpx(data), "gpx")
    if fmt == "kml":
        return _finish(read_kml(data), "kml")
    if fmt == "kmz":
        if isinstance(data, str):
            raise InputFormatError(_("a KMZ route is a ZIP archive, not text"), field="route")
        return _finish(_read_kmz(data), "kmz")
    return _finish(read_csv(_text(data, "CSV")), "csv")


#: Linked documents read from one KMZ, at most (the unpacked-bytes budget holds as well).
_MAX_LINKED = 100


def _read_kmz(data: bytes) -> Reading:
    """The archive's main KML, then the archive's KML documents it links to, breadth first."""
    kmz = Kmz(data)
    reading = read_kml(kmz.read(kmz.document))
    queue = [(kmz.document, href) for href in reading.links]
    done = {kmz.document}
    while queue and len(done) <= _MAX_LINKED:
        source, href = queue.pop(0)
        name = kmz.linked(source, href)
        if name is None or name in done:
            continue
        done.add(name)
        linked = read_kml(kmz.read(name))
        reading.add(linked)
        queue.extend((name, h) for h in linked.links)
    return reading


def _json_reading(doc: Any) -> tuple[Reading, str]:
    if isinstance(doc, dict) and "polyline" in doc and "type" not in doc:
        return read_polyline(doc), "polyline"
    return read_geojson(doc), "geojson"


def _finish(reading: Reading, fmt: str) -> Route:
    finished = finish_reading(reading, _LABELS[fmt])
    for index, part in enumerate(finished.parts):
        _check_range(part, _LABELS[fmt], index)
    return Route(
        finished.parts,
        reading.name,
        fmt,
        finished.empty_parts,
        finished.waypoints_ignored,
        finished.areas_ignored,
        finished.from_waypoints,
    )


def input_summary(route: Route) -> dict[str, Any]:
    """What was read from the file, for the answer: the format, the parts and vertices used,
    and what was left out and why."""
    notes = []
    if route.from_waypoints:
        notes.append(
            _(
                "the file has no track or route line: the route is taken as straight lines through "
                "its {count} waypoints in order; check the road actually travelled",
                count=route.vertices,
            )
        )
    if route.empty_parts:
        notes.append(_("{count} empty line(s) in the file were skipped", count=route.empty_parts))
    if route.waypoints_ignored:
        notes.append(
            _(
                "{count} waypoint(s) in the file were not used: the route is its lines",
                count=route.waypoints_ignored,
            )
        )
    if route.areas_ignored:
        notes.append(
            _("{count} area(s) in the file were not used: an area is not a route", count=route.areas_ignored)
        )
    return {
        "format": route.format,
        "parts": len(route.parts),
        "vertices": route.vertices,
        "empty_parts_skipped": route.empty_parts,
        "waypoints_ignored": route.waypoints_ignored,
        "areas_ignored": route.areas_ignored,
        "from_waypoints": route.from_waypoints,
        "notes": notes,
    }


def _json(data: bytes | str) -> Any:
    """The JSON document of a route body: bytes go to the parser as they are (decoding a
    100,000-position body to text first would copy it twice), a UTF-8 byte order mark left out."""
    if isinstance(data, bytes) and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return parse_json(data, field="route", what=_("the route"))


def _text(data: bytes | str, fmt: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(
            _("{format}: not UTF-8 text (byte {byte})", format=fmt, byte=exc.start),
            field="route",
            code="bad_type",
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
                lon=repr(float(lon)),
                lat=repr(float(lat)),
            ),
            field="route",
            code="bad_position",
        )
