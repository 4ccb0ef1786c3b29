"""GPX (1.0, 1.1) and KML (2.0 to 2.2, with Google's gx: extension) routes, read with expat
(C) and its namespace processing.

Only elements of the format's own namespace count. In GPX, that is the root's namespace (GPX
1.0, 1.1, or none for files that declare none), and nothing inside ``<extensions>``: an
extension's ``<point>`` or ``<label>`` is never a vertex, whatever its name. In KML, the
KML namespaces and ``gx:``.

A 100,000-point GPX file with <ele> and <time> makes 300,000 element events, so the GPX reader
asks expat for start events only (ends only inside ``<extensions>`` and a name), and collects
text only inside the one element that needs it. A document type declaration is refused where
it starts, before any entity can be declared, so entity expansion and external entities never
happen. Encodings are as the document declares them (UTF-8, UTF-16, ISO-8859-1 and the other
single-byte encodings Python knows).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.reading import Reading

__all__ = [
    "GPX_NAMESPACES",
    "GX_NAMESPACE",
    "KML_NAMESPACES",
    "REFUSED_DTD",
    "XML_SYNTAX",
    "read_gpx",
    "read_kml",
]

GPX_NAMESPACES = ("http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0", "")
KML_NAMESPACES = (
    "http://www.opengis.net/kml/2.3",
    "http://www.opengis.net/kml/2.2",
    "http://earth.google.com/kml/2.2",
    "http://earth.google.com/kml/2.1",
    "http://earth.google.com/kml/2.0",
    "",
)
GX_NAMESPACE = "http://www.google.com/kml/ext/2.2"

#: Refusal codes: XML that is not well formed, a document type declaration.
XML_SYNTAX = "xml_syntax"
REFUSED_DTD = "refused_dtd"
BAD_POSITION = "bad_position"

_FEATURES = frozenset(
    (
        "Document",
        "Folder",
        "Placemark",
        "NetworkLink",
        "GroundOverlay",
        "ScreenOverlay",
        "PhotoOverlay",
        "Tour",
    )
)
_SEPARATOR = " "  # expat's namespace separator: "uri local"; a URI never holds a space


class _Refused(Exception):
    """The document declares a DTD or an entity."""


def _refuse(*_args: object) -> None:
    raise _Refused


def _parser() -> Any:
    parser: Any = expat.ParserCreate(namespace_separator=_SEPARATOR)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    # No buffer_text: buffering makes expat gather every <ele> and <time> text, which nothing
    # reads (a sixth of a 100,000-point GPX's parse).
    return parser


def _run(parser: Any, data: bytes | str, fmt: str) -> None:
    """Parse ``data`` with ``parser``'s handlers, the DTD refused."""
    try:
        parser.Parse(data.encode() if isinstance(data, str) else data, True)
    except _Refused:
        raise InputFormatError(
            _(
                "{format}: refused: the document declares a DTD or entities; route files need neither",
                format=fmt,
            ),
            field="route",
            code=REFUSED_DTD,
        ) from None
    except expat.ExpatError as exc:
        raise InputFormatError(
            _(
                "{format} line {line}, column {column}: {problem}",
                format=fmt,
                line=exc.lineno,
                column=exc.offset + 1,
                problem=expat.errors.messages[exc.code],
            ),
            field="route",
            code=XML_SYNTAX,
        ) from None


def _split(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an expat tag."""
    ns, _sep, local = tag.rpartition(_SEPARATOR)
    return ns, local


def _wrong_root(fmt: str, root: str, wanted: str, namespaces: tuple[str, ...]) -> InputFormatError:
    ns, local = _split(root)
    return InputFormatError(
        _(
            "{format}: the root element is <{local}> in namespace {ns}; a {format} file starts with "
            "<{wanted}> in {namespaces}",
            format=fmt,
            local=local,
            ns=repr(ns) if ns else _("none"),
            wanted=wanted,
            namespaces=", ".join(n or _("no namespace") for n in namespaces),
        ),
        field="route",
        code="unsupported_format",
    )


# GPX ---------------------------------------------------------------------------------------


def read_gpx(data: bytes | str) -> Reading:
    """Each ``trkseg`` and ``rte`` a line, in document order; ``wpt`` waypoints; the first
    ``trk`` or ``rte`` name."""
    lats: list[str] = []
    lons: list[str] = []
    starts: list[int] = []  # where each line begins in lats/lons
    wpt_lats: list[str] = []
    wpt_lons: list[str] = []
    name: list[str] = []
    parser = _parser()
    tags: dict[str, str] = {}  # expat tag -> what it is, for the document's namespace
    state: dict[str, Any] = {"depth": 0}

    def root(tag: str, _attrs: dict[str, str]) -> None:
        ns, local = _split(tag)
        if local != "gpx" or ns not in GPX_NAMESPACES:
            raise _wrong_root("GPX", tag, "gpx", GPX_NAMESPACES)
        prefix = f"{ns}{_SEPARATOR}" if ns else ""
        for local_name, what in (
            ("trkpt", "point"),
            ("rtept", "point"),
            ("trkseg", "line"),
            ("rte", "line"),
            ("wpt", "waypoint"),
            ("extensions", "extensions"),
            ("name", "name"),
            ("trk", "named"),
        ):
            tags[prefix + local_name] = what
        parser.StartElementHandler = start

    def missing(tag: str) -> InputFormatError:
        return InputFormatError(
            _(
                "GPX line {line}: <{tag}> needs lat and lon attributes",
                line=parser.CurrentLineNumber,
                tag=_split(tag)[1],
            ),
            field="route",
            code=BAD_POSITION,
        )

    naming = False  # the element before was a trk or rte: a name here is the route's

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal naming
        what = tags.get(tag)
        if what == "point":  # the common case first: one call per track point
            naming = False
            if starts:
                try:
                    lats.append(attrs["lat"])
                    lons.append(attrs["lon"])
                except KeyError:
                    del lats[len(lons) :]
                    raise missing(tag) from None
            return
        if what is None:
            naming = False
            return
        if what == "name" and naming and not name:
            # The route's name: the first child of the first trk or rte; its text only.
            parser.CharacterDataHandler = name.append
            parser.EndElementHandler = named
        naming = what in ("line", "named")  # a rte's name is its first child, as a trk's
        if what == "line":
            starts.append(len(lats))
        elif what == "waypoint":
            try:
                wpt_lats.append(attrs["lat"])
                wpt_lons.append(attrs["lon"])
            except KeyError:
                del wpt_lats[len(wpt_lons) :]
                raise missing(tag) from None
        elif what == "extensions":
            # Nothing inside counts: only depth is followed until the element ends.
            state["depth"] = 1
            parser.StartElementHandler = inside
            parser.EndElementHandler = leave

    def inside(_tag: str, _attrs: dict[str, str]) -> None:
        state["depth"] += 1

    def leave(_tag: str) -> None:
        state["depth"] -= 1
        if not state["depth"]:
            parser.StartElementHandler = start
            parser.EndElementHandler = None

    def named(_tag: str) -> None:
        parser.CharacterDataHandler = None
        parser.EndElementHandler = None

    parser.StartElementHandler = root
    _run(parser, data, "GPX")
    if not tags:
        raise InputFormatError(_("GPX: the document has no elements"), field="route", code=XML_SYNTAX)
    lon = _numbers(lons, data, "point")
    lat = _numbers(lats, data, "point")
    bounds = [*starts, len(lats)]
    reading = Reading(
        lines=[np.column_stack([lon[a:b], lat[a:b]]) for a, b in itertools.pairwise(bounds)],
        name="".join(name).strip() or None,
    )
    if wpt_lats:
        reading.waypoints = list(
            zip(
                _numbers(wpt_lons, data, "waypoint").tolist(),
                _numbers(wpt_lats, data, "waypoint").tolist(),
                strict=True,
            )
        )
    return reading


def _numbers(values: list[str], data: bytes | str, kind: str) -> np.ndarray:
    """``values`` as floats, converted at once; a value that is not a number is named with the
    line it is on (found by reading the document again, which only a refused file pays)."""
    try:
        return np.array(values, dtype=float)
    except ValueError:
        pass
    for index, value in enumerate(values):
        try:
            float(value)
        except ValueError:
            line = _gpx_line_of(data, kind, index)
            raise InputFormatError(
                _(
                    "GPX line {line}: lat or lon {value} is not a number (decimal degrees, a dot "
                    "for the decimals)",
                    line=line,
                    value=repr(value[:40]),
                ),
                field="route",
                code=BAD_POSITION,
            ) from None
    raise AssertionError("unreachable: numpy refused values float() accepts")  # pragma: no cover


def _gpx_line_of(data: bytes | str, kind: str, wanted: int) -> int:
    """The line of the ``wanted``-th track or route point (``kind`` "point") or waypoint."""
    parser = _parser()
    locals_ = ("trkpt", "rtept") if kind == "point" else ("wpt",)
    seen = {"count": -1, "line": 0}

    class _Found(Exception):
        pass

    def start(tag: str, _attrs: dict[str, str]) -> None:
        if _split(tag)[1] in locals_:
            seen["count"] += 1
            if seen["count"] == wanted:
                seen["line"] = parser.CurrentLineNumber
                raise _Found

    parser.StartElementHandler = start
    with contextlib.suppress(_Found, expat.ExpatError):
        parser.Parse(data.encode() if isinstance(data, str) else data, True)
    return seen["line"]


# KML ---------------------------------------------------------------------------------------


def read_kml(data: bytes | str) -> Reading:
    """Every LineString a line, every ``gx:Track`` (alone or in a ``gx:MultiTrack``) a line,
    every Point a waypoint, every Polygon an area; in Folders and Documents at any depth."""
    parser = _parser()
    reading = Reading()
    texts: list[tuple[str, int, list[str]]] = []  # what, line, text chunks
    handlers: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
    track_tags: set[str] = set()
    track_parents: set[str] = set()
    state: dict[str, Any] = {"geometry": None, "track": False, "polygon": 0, "link": 0, "placemark": 0}

    def collect(what: str) -> None:
        chunks: list[str] = []
        texts.append((what, parser.CurrentLineNumber, chunks))
        parser.CharacterDataHandler = chunks.append

    def begin_geometry(kind: str) -> Callable[[], None]:
        def begin() -> None:
            if not state["polygon"] and state["placemark"]:
                state["geometry"] = kind

        return begin

    def end_geometry() -> None:
        state["geometry"] = None

    def begin_coordinates() -> None:
        if state["geometry"] and not state["polygon"]:
            collect(state["geometry"])

    def end_text() -> None:
        parser.CharacterDataHandler = None

    def begin_polygon() -> None:
        if not state["polygon"] and state["placemark"]:
            reading.areas += 1
        state["polygon"] += 1

    def end_polygon() -> None:
        state["polygon"] -= 1

    def begin_track() -> None:
        texts.append(("track", parser.CurrentLineNumber, []))
        state["track"] = True

    def end_track() -> None:
        state["track"] = False

    def begin_coord() -> None:
        if state["track"]:
            chunks = texts[-1][2]
            chunks.append("|")  # each gx:coord one tuple
            parser.CharacterDataHandler = chunks.append

    def depth(key: str) -> tuple[Callable[[], None], Callable[[], None]]:
        """Handlers that follow how deep the document is inside elements of one kind."""

        def begin() -> None:
            state[key] += 1

        def end() -> None:
            state[key] -= 1

        return begin, end

    def begin_href() -> None:
        if state["link"]:
            collect("href")

    def root(tag: str, _attrs: dict[str, str]) -> None:
        ns, local = _split(tag)
        if local != "kml" or ns not in KML_NAMESPACES:
            raise _wrong_root("KML", tag, "kml", KML_NAMESPACES)
        own = [f"{ns}{_SEPARATOR}" if ns else ""]
        # gx:Track; KML 2.3 made it kml:Track (in KML 2.2's namespace it is not KML, as GDAL reads it).
        tracks = [f"{GX_NAMESPACE}{_SEPARATOR}", *(own if ns == KML_NAMESPACES[0] else [])]
        for prefix in own:
            handlers[prefix + "LineString"] = (begin_geometry("line"), end_geometry)
            handlers[prefix + "Point"] = (begin_geometry("point"), end_geometry)
            handlers[prefix + "coordinates"] = (begin_coordinates, end_text)
            handlers[prefix + "Polygon"] = (begin_polygon, end_polygon)
            handlers[prefix + "LinearRing"] = (begin_polygon, end_polygon)
            handlers[prefix + "NetworkLink"] = depth("link")
            handlers[prefix + "Placemark"] = depth("placemark")
            handlers[prefix + "href"] = (begin_href, end_text)
        track_parents.update(own[0] + parent for parent in ("Placemark", "MultiGeometry"))
        for prefix in tracks:
            track_parents.add(prefix + "MultiTrack")
            track_tags.add(prefix + "Track")
            handlers[prefix + "Track"] = (begin_track, end_track)
            handlers[prefix + "coord"] = (begin_coord, end_text)
        parser.StartElementHandler = start
        parser.EndElementHandler = end

    # <kml> holds one feature (KML 2.2, 7.1); of several beside each other the last is read,
    # as GDAL (libkml) reads them. Geometries count inside a Placemark only (a PhotoOverlay's
    # Point is where a photo was taken). A gx:Track is a geometry where a geometry may stand:
    # in a Placemark, a MultiGeometry or a gx:MultiTrack (in Google My Tracks' non-KML
    # <MultiTrack> it is not).
    stack: list[str] = []

    def start(tag: str, _attrs: dict[str, str]) -> None:
        if not stack and _split(tag)[1] in _FEATURES:
            del texts[:]  # a later feature replaces what an earlier one held
            reading.areas = 0
        found = handlers.get(tag)
        if found is not None and (tag not in track_tags or (stack and stack[-1] in track_parents)):
            found[0]()
        stack.append(tag)

    def end(tag: str) -> None:
        if not stack:
            return  # </kml>
        stack.pop()
        found = handlers.get(tag)
        if found is not None:
            found[1]()

    parser.StartElementHandler = root
    _run(parser, data, "KML")
    if not handlers:
        raise InputFormatError(_("KML: the document has no elements"), field="route", code=XML_SYNTAX)
    for what, line, chunks in texts:
        if what == "href":
            reading.links.append("".join(chunks).strip())
            continue
        try:
            values = _kml_tuples("".join(chunks), " " if what == "track" else ",")
        except (ValueError, IndexError):
            shape = "'lon lat [alt]'" if what == "track" else "'lon,lat[,alt]'"
            raise InputFormatError(
                _(
                    "KML line {line}: coordinates must be {shape} tuples, in numbers",
                    line=line,
                    shape=shape,
                ),
                field="route",
                code=BAD_POSITION,
            ) from None
        if what == "point":
            reading.waypoints.extend(map(tuple, values.tolist()))
        else:
            reading.lines.append(values)
    return reading


def _kml_tuples(text: str, separator: str) -> np.ndarray:
    """(lon, lat) of KML tuples: 'lon,lat[,alt]' separated by white space (``separator`` ","),
    or one gx:coord 'lon lat [alt]' after another, each begun by a '|' (``separator`` " ").
    When every tuple has as many values (the usual case) they are converted in one numpy call."""
    if separator == ",":
        tuples = text.split()
        widths = {t.count(",") + 1 for t in tuples}
        if len(widths) == 1 and (width := widths.pop()) in (2, 3):
            values = np.array(text.replace(",", " ").split(), dtype=float)
            return values.reshape(-1, width)[:, :2].copy()  # an empty value fails the reshape
        split = [t.split(",") for t in tuples]
    else:
        split = [t.split() for t in text.split("|") if t.strip()]
    return np.array([(float(t[0]), float(t[1])) for t in split], dtype=float).reshape(-1, 2)
