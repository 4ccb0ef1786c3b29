"""Reading itinerary documents: JSON, YAML or CSV, the one reader of the API and the command
line (``geo.trips.itinerary.check_itinerary`` validates what they hold)."""

from __future__ import annotations

import csv
import io
from typing import Any

from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.documents import parse_json, parse_yaml

__all__ = ["DOCUMENT_KINDS", "itinerary_kind", "parse_itinerary_csv", "read_itinerary"]

#: Itinerary document kinds ``read_itinerary`` takes (iCalendar: ``geo.trips.calendar``).
DOCUMENT_KINDS = ("json", "yaml", "csv")
_BY_TYPE = {
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/csv": "csv",
    "text/calendar": "ics",
}
_BY_SUFFIX = {".json": "json", ".csv": "csv", ".ics": "ics", ".ical": "ics", ".ifb": "ics"}


def itinerary_kind(*, content_type: str | None = None, filename: str | None = None) -> str:
    """The document kind of an itinerary sent with ``content_type`` (the API) or read from
    ``filename`` (the command line): json, yaml, csv or ics. JSON is the API's default, YAML
    the command line's (``.yaml``, ``.yml`` or anything else).

    Examples
    --------
    >>> itinerary_kind(content_type="text/calendar"), itinerary_kind(filename="trip.ICS")
    ('ics', 'ics')
    >>> itinerary_kind(content_type="application/json"), itinerary_kind(filename="trip.yml")
    ('json', 'yaml')
    """
    if filename is not None:
        suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
        return _BY_SUFFIX.get(suffix, "yaml")
    return _BY_TYPE.get((content_type or "").split(";")[0].strip().lower(), "json")


def read_itinerary(raw: bytes, kind: str) -> Any:
    """The itinerary document in ``raw``, read as ``kind`` (json, yaml or csv); the one reader
    of the API and the command line. ``check_itinerary`` validates what it holds."""
    if kind == "csv":
        try:
            return parse_itinerary_csv(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputFormatError(_("the CSV itinerary is not UTF-8 text"), field="body") from None
    if kind == "yaml":
        return parse_yaml(raw, what=_("the itinerary"))
    if kind == "json":
        return parse_json(raw, what=_("the itinerary"))
    raise InputFormatError(
        _("itinerary kind {kind} is unknown; use json, yaml or csv", kind=repr(kind)), field="body"
    )


def parse_itinerary_csv(text: str) -> dict[str, Any]:
    """Stops from CSV rows (place or lat/lon, date, and the mode of the leg to the next stop)."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        return _itinerary_rows(reader)
    except csv.Error as exc:
        raise InputFormatError(
            _("CSV itinerary line {line}: {problem}", line=reader.line_num, problem=exc), field="stops"
        ) from None


def _itinerary_rows(reader: csv.DictReader[str]) -> dict[str, Any]:
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    if not ({"place"} <= columns or {"lat", "lon"} <= columns):
        raise InputFormatError(_("CSV itinerary: needs a place column or lat and lon columns"), field="stops")
    stops, legs = [], []
    for row in reader:
        values = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        stop: dict[str, Any] = {"date": values.get("date") or None}
        if values.get("lat") or values.get("lon"):
            try:
                stop.update(
                    lat=float(values["lat"]),
                    lon=float(values["lon"]),
                    name=values.get("place") or None,
                )
            except (KeyError, ValueError):
                raise InputFormatError(
                    _("CSV line {line}: lat and lon must be numbers", line=reader.line_num), field="stops"
                ) from None
        else:
            stop["place"] = values.get("place", "")
        stops.append(stop)
        legs.append({"mode": values.get("mode") or "road"})
    return {"stops": stops, "legs": legs[:-1]}
