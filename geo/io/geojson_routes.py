"""GeoJSON routes (RFC 7946), read strictly: a ``type`` must be one of the standard's, a
coordinate must be a JSON number.

Lines (LineString, MultiLineString) make the route; points (Point, MultiPoint) are waypoints;
areas (Polygon, MultiPolygon) are passed over; a GeometryCollection and a FeatureCollection
are read member by member, and a Feature without a geometry holds nothing. Positions are
converted and checked as whole arrays: one C-level conversion per line, a Python walk only
for a line that fails it, to name the position at fault.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.reading import Reading

__all__ = ["BAD_POSITION", "BAD_TYPE", "read_geojson"]

#: Refusal codes: a wrong ``type`` or member, a position that is not numbers.
BAD_TYPE = "bad_type"
BAD_POSITION = "bad_position"

_LINES = ("LineString", "MultiLineString")
_POINTS = ("Point", "MultiPoint")
_AREAS = ("Polygon", "MultiPolygon")
_GEOMETRIES = (*_LINES, *_POINTS, *_AREAS, "GeometryCollection")
_TYPES = (*_GEOMETRIES, "Feature", "FeatureCollection")

#: GeometryCollections inside GeometryCollections: RFC 7946 discourages nesting at all.
_MAX_NESTING = 16


def read_geojson(doc: Any) -> Reading:
    """What a parsed GeoJSON document holds, or an ``InputFormatError`` naming the member at
    fault (``$.features[2].geometry.coordinates[7][1]``) and what it should be."""
    reading = Reading(name=_name(doc))
    _read(doc, "$", _TYPES, reading, 0)
    if reading.name is None:
        reading.name = _first_line_name(doc)
    return reading


def _fault(where: str, problem: str, code: str = BAD_TYPE) -> InputFormatError:
    return InputFormatError(
        _("GeoJSON {where}: {problem}", where=where, problem=problem), field="route", code=code
    )


def _json_kind(value: Any) -> str:
    """The JSON name of a value's type, as a person reading the document sees it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text {value}", value=repr(value[:40]))
    if isinstance(value, list):
        return _("a list")
    return _("an object")


def _kind(doc: Any, where: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(doc, dict):
        raise _fault(where, _("expected a GeoJSON object, got {kind}", kind=_json_kind(doc)))
    kind = doc.get("type")
    if kind in allowed:
        return str(kind)
    if "type" not in doc:
        problem = _('no "type" member; a GeoJSON object says what it is, e.g. "type": "Feature"')
    elif not isinstance(kind, str):
        problem = _('"type" must be text, got {kind}', kind=_json_kind(kind))
    else:
        close = difflib.get_close_matches(kind, allowed, n=1, cutoff=0.6) or [
            t for t in allowed if t.lower() == kind.lower()
        ]
        if kind in _TYPES:
            problem = _(
                "a {kind} cannot stand here; expected {allowed}", kind=kind, allowed=", ".join(allowed)
            )
        elif close:
            problem = _(
                '"type" is {kind}, which is not a GeoJSON type; did you mean {close}?',
                kind=repr(kind),
                close=repr(close[0]),
            )
        else:
            problem = _(
                '"type" is {kind}, which is not a GeoJSON type; expected {allowed}',
                kind=repr(kind),
                allowed=", ".join(allowed),
            )
    raise _fault(where + (".type" if isinstance(doc, dict) and "type" in doc else ""), problem)


def _read(doc: Any, where: str, allowed: tuple[str, ...], reading: Reading, depth: int) -> None:
    kind = _kind(doc, where, allowed)
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise _fault(
                f"{where}.features", _("expected a list of features, got {kind}", kind=_json_kind(features))
            )
        for i, feature in enumerate(features):
            _read(feature, f"{where}.features[{i}]", ("Feature",), reading, depth)
        return
    if kind == "Feature":
        if "geometry" not in doc:
            raise _fault(where, _('a Feature needs a "geometry" member (null when it has none)'))
        if doc["geometry"] is not None:
            _read(doc["geometry"], f"{where}.geometry", _GEOMETRIES, reading, depth)
        return
    if kind == "GeometryCollection":
        members = doc.get("geometries")
        if not isinstance(members, list):
            raise _fault(
                f"{where}.geometries",
                _("expected a list of geometries, got {kind}", kind=_json_kind(members)),
            )
        if depth >= _MAX_NESTING:
            raise _fault(where, _("GeometryCollections are nested too deeply"))
        for i, member in enumerate(members):
            _read(member, f"{where}.geometries[{i}]", _GEOMETRIES, reading, depth + 1)
        return
    coordinates = doc.get("coordinates")
    at = f"{where}.coordinates"
    if not isinstance(coordinates, list):
        raise _fault(at, _("expected a list, got {kind}", kind=_json_kind(coordinates)))
    if kind == "LineString":
        reading.lines.append(_line(coordinates, at))
    elif kind == "MultiLineString":
        reading.lines.extend(_line(line, f"{at}[{i}]") for i, line in enumerate(coordinates))
    elif kind == "Point":
        if coordinates:  # an empty Point is allowed by RFC 7946 and holds nothing
            reading.waypoints.append(tuple(_line([coordinates], at)[0]))
    elif kind == "MultiPoint":
        reading.waypoints.extend(tuple(p) for p in _line(coordinates, at))
    else:
        reading.areas += 1


def _line(value: Any, where: str) -> np.ndarray:
    """An (n, 2) array of lon, lat from a list of positions; extra values (elevation) dropped."""
    if not isinstance(value, list):
        raise _fault(where, _("expected a list of [lon, lat] positions, got {kind}", kind=_json_kind(value)))
    if not value:
        return np.empty((0, 2))
    try:
        # One C-level conversion of the whole line: numbers give a float (or int) array.
        array = np.asarray(value)
    except ValueError:  # positions of different lengths, or not lists
        return _walk(value, where)
    if array.ndim != 2 or array.dtype.kind not in "fiu" or array.shape[1] < 2:
        return _walk(value, where)
    array = array.astype(float, copy=False)
    # numpy reads true and false as 1 and 0 beside numbers: only positions holding a 0 or a 1
    # can hide one, so only they are looked at.
    for i in np.flatnonzero(((array == 0) | (array == 1)).any(axis=1)):
        _position(value[i], f"{where}[{i}]")
    return array[:, :2]


def _walk(value: list[Any], where: str) -> np.ndarray:
    """The slow path: each position checked in turn, the first fault named."""
    return np.array([_position(p, f"{where}[{i}]") for i, p in enumerate(value)], dtype=float).reshape(-1, 2)


def _position(position: Any, where: str) -> tuple[float, float]:
    if not isinstance(position, list):
        raise _fault(
            where, _("expected a position [lon, lat], got {kind}", kind=_json_kind(position)), BAD_POSITION
        )
    if len(position) < 2:
        raise _fault(
            where,
            _("a position needs at least lon and lat, got {count} value(s)", count=len(position)),
            BAD_POSITION,
        )
    for j, number in enumerate(position):
        if isinstance(number, str):
            raise _fault(
                f"{where}[{j}]",
                _(
                    "{value} is text; a coordinate is a number, written without quotes",
                    value=repr(number[:40]),
                ),
                BAD_POSITION,
            )
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise _fault(
                f"{where}[{j}]",
                _("a coordinate is a number, got {kind}", kind=_json_kind(number)),
                BAD_POSITION,
            )
    return float(position[0]), float(position[1])


def _name(doc: Any) -> str | None:
    props = doc.get("properties") if isinstance(doc, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    return str(name) if name is not None else None


def _first_line_name(doc: Any) -> str | None:
    """The name of a collection's first line feature (togeojson names features, not the file)."""
    features = doc.get("features") if isinstance(doc, dict) else None
    for feature in features if isinstance(features, list) else []:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") in _LINES:
            return _name(feature)
    return None
