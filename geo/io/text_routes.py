"""Routes written as text: Google encoded polylines (in a JSON object) and CSV waypoints."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import numpy as np

from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.reading import Reading

__all__ = ["POLYLINE_TEXT", "csv_header_names", "looks_like_polyline", "read_csv", "read_polyline"]

#: The refusal code of a bare encoded polyline sent as text.
POLYLINE_TEXT = "polyline_text"

#: A character outside the encoding's alphabet (ASCII 63 to 126).
_NOT_POLYLINE = re.compile(r"[^?-~]")

_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")


def looks_like_polyline(text: str) -> bool:
    """One word of the polyline alphabet, long enough to hold a position."""
    word = text.strip()
    return len(word) >= 4 and not _NOT_POLYLINE.search(word)


def polyline_hint() -> InputFormatError:
    """The refusal of a bare encoded polyline, saying how to send one."""
    return InputFormatError(
        _(
            "this looks like an encoded polyline sent as bare text; send it as JSON, {example} "
            "(precision 6 for OSRM and Valhalla polyline6), so that its precision is said, not guessed",
            example='{"polyline": "<the text>", "precision": 5}',
        ),
        field="polyline",
        code=POLYLINE_TEXT,
    )


def read_polyline(doc: dict[str, Any]) -> Reading:
    """The line of ``{"polyline": ..., "precision": 5 or 6}``."""
    encoded = doc.get("polyline")
    precision = doc.get("precision", 5)
    if not isinstance(encoded, str) or not encoded:
        raise InputFormatError(
            _(
                'polyline: send a JSON object with "polyline" (the encoded text) and optionally '
                '"precision" (5 or 6)'
            ),
            field="polyline",
            code="bad_type",
        )
    if precision not in (5, 6) or isinstance(precision, bool):
        raise InputFormatError(_("polyline: precision must be 5 or 6"), field="precision", code="bad_type")
    stray = _NOT_POLYLINE.search(encoded)
    if stray:
        raise InputFormatError(
            _(
                "polyline: character {position} ({character}) cannot occur in an encoded polyline",
                position=stray.start(),
                character=repr(stray.group()),
            ),
            field="polyline",
            code="bad_position",
        )
    try:
        import polyline as polyline_codec  # only here: not on a cold `riskzones check`

        pairs = polyline_codec.decode(encoded, precision)
    except (IndexError, ValueError):
        raise InputFormatError(
            _("polyline: the encoding is truncated or corrupt"), field="polyline", code="bad_position"
        ) from None
    array = np.array(pairs, dtype=float).reshape(-1, 2)[:, ::-1]  # the codec gives (lat, lon)
    return Reading(lines=[array])


def csv_header_names(first_line: str) -> list[str] | None:
    """The column names of a CSV header line when it names a latitude and a longitude."""
    try:
        names = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return None
    folded = {n.strip().lower() for n in names}
    if folded & set(_LAT_NAMES) and folded & set(_LON_NAMES):
        return names
    return None


def read_csv(text: str) -> Reading:
    """Waypoints in row order: the route through them (a CSV holds no lines)."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        return Reading(waypoints=_csv_points(reader))
    except csv.Error as exc:
        raise InputFormatError(
            _("CSV line {line}: {problem}", line=reader.line_num, problem=exc), field="route", code="bad_type"
        ) from None


def _csv_points(reader: csv.DictReader[str]) -> list[tuple[float, float]]:
    written = reader.fieldnames or []
    columns = {c.strip().lower(): c for c in written}
    lat_col = next((columns[n] for n in _LAT_NAMES if n in columns), None)
    lon_col = next((columns[n] for n in _LON_NAMES if n in columns), None)
    if lat_col is None or lon_col is None:
        raise InputFormatError(
            _(
                "CSV: no latitude and longitude columns (found {columns}); name them lat and lon",
                columns=", ".join(repr(c) for c in written) or _("none"),
            ),
            field="route",
            code="bad_type",
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
                code="bad_position",
            ) from None
    return points
