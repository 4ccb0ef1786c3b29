"""GPX and KML routes, read with expat (C), not a Python SAX layer: a 100,000-point GPX file
with <ele> and <time> makes 300,000 element events, so only the start of an element calls back
into Python (end events are not asked for), and text is collected only inside the one element
that needs it. A document type declaration is refused where it starts, before any entity can
be declared, so entity expansion and external entities never happen.

Each reader gives the route's parts, (lon, lat) vertex arrays, and its name;
``geo.io.formats.parse_route`` checks them.
"""

from __future__ import annotations

import itertools
from typing import Any
from xml.parsers import expat

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _

__all__ = ["read_gpx", "read_kml"]

#: A reader's answer: the parts, (lon, lat) vertex arrays, and the route's name.
Parts = tuple[tuple[np.ndarray, ...], str | None]


class _Refused(Exception):
    """The document declares a DTD or an entity."""


def _refuse(*_args: object) -> None:
    raise _Refused


def _run(parser: Any, data: bytes | str, fmt: str, start: Any, end: Any = None) -> None:
    """Parse ``data`` with ``parser`` and the given handlers, the DTD refused."""
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        parser.Parse(data.encode() if isinstance(data, str) else data, True)
    except _Refused:
        raise InputFormatError(
            _(
                "{format}: refused: the document declares a DTD or entities; route files need neither",
                format=fmt,
            ),
            field="route",
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
        ) from None


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def read_gpx(data: bytes | str) -> Parts:
    """Points of each trkseg and rte, in document order, and the first trk or rte name."""
    lats: list[str] = []
    lons: list[str] = []
    starts: list[int] = []  # where each part begins in lats/lons
    name: list[str] = []
    state: dict[str, Any] = {"previous": "", "parser": None}

    def text(content: str) -> None:
        name.append(content)

    kinds: dict[str, str] = {}  # tag -> what it is, decided once per distinct tag

    def kind(tag: str) -> str:
        local = _local(tag)
        found = kinds[tag] = {"trkpt": "point", "rtept": "point", "trkseg": "part", "rte": "part"}.get(
            local, local
        )
        return found

    def start(tag: str, attrs: dict[str, str]) -> None:
        what = kinds.get(tag) or kind(tag)
        if what == "point":
            if starts:
                try:
                    lats.append(attrs["lat"])
                    lons.append(attrs["lon"])
                except KeyError:
                    del lats[len(lons) :]
                    line = state["parser"].CurrentLineNumber
                    raise InputFormatError(
                        _(
                            "GPX line {line}: <{tag}> needs lat and lon attributes",
                            line=line,
                            tag=_local(tag),
                        ),
                        field="route",
                    ) from None
        elif what == "part":
            starts.append(len(lats))
        elif what == "name" and not name and _local(state["previous"]) in ("trk", "rte"):
            # The name is the first child of a trk or rte: collect its text, and only its.
            parser = state["parser"]
            parser.CharacterDataHandler = text
            parser.EndElementHandler = stop
        state["previous"] = tag

    def stop(_tag: str) -> None:
        parser = state["parser"]
        parser.CharacterDataHandler = None
        parser.EndElementHandler = None

    parser = expat.ParserCreate()
    state["parser"] = parser
    _run(parser, data, "GPX", start)
    try:
        lon = np.array(lons, dtype=float)
        lat = np.array(lats, dtype=float)
    except ValueError:
        raise InputFormatError(_("GPX: a lat or lon attribute is not a number"), field="route") from None
    bounds = [*starts, len(lats)]
    parts = [np.column_stack([lon[a:b], lat[a:b]]) for a, b in itertools.pairwise(bounds)]
    if not any(len(p) for p in parts):
        raise InputFormatError(_("GPX: no track points (trkpt) or route points (rtept)"), field="route")
    title = "".join(name).strip()
    return tuple(parts), title or None


def read_kml(data: bytes | str) -> Parts:
    """The coordinates of every LineString."""
    texts: list[tuple[int, list[str]]] = []
    state: dict[str, Any] = {"line": False, "parser": None}

    def text(content: str) -> None:
        texts[-1][1].append(content)

    def start(tag: str, _attrs: dict[str, str]) -> None:
        local = _local(tag)
        parser = state["parser"]
        if local == "LineString":
            state["line"] = True
        elif local == "coordinates" and state["line"]:
            texts.append((parser.CurrentLineNumber, []))
            parser.CharacterDataHandler = text

    def end(tag: str) -> None:
        local = _local(tag)
        if local == "coordinates":
            state["parser"].CharacterDataHandler = None
        elif local == "LineString":
            state["line"] = False

    parser = expat.ParserCreate()
    state["parser"] = parser
    _run(parser, data, "KML", start, end)
    parts = []
    for line, chunks in texts:
        try:
            parts.append(_kml_coordinates("".join(chunks)))
        except (ValueError, IndexError):
            raise InputFormatError(
                _("KML line {line}: coordinates must be 'lon,lat[,alt]' separated by spaces", line=line),
                field="route",
            ) from None
    if not parts:
        raise InputFormatError(_("KML: no LineString coordinates"), field="route")
    return tuple(parts), None


def _kml_coordinates(text: str) -> np.ndarray:
    """(lon, lat) of KML 'lon,lat[,alt]' tuples separated by white space. When every tuple has
    two values, or every one three (the usual case), they are converted in one numpy call."""
    tuples = text.split()
    widths = {t.count(",") + 1 for t in tuples}
    if len(widths) == 1 and (width := widths.pop()) in (2, 3):
        values = np.array(text.replace(",", " ").split(), dtype=float)
        return values.reshape(-1, width)[:, :2].copy()  # an empty value fails the reshape
    split = [t.split(",") for t in tuples]
    return np.array([(float(t[0]), float(t[1])) for t in split], dtype=float).reshape(-1, 2)
