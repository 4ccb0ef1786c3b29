"""What every batch engine shares: the options and summary of a run, how a table's rows are
classified and answered, and how bad rows and unreadable inputs are refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.engine.index import ZoneIndex
from geo.errors import InputFormatError
from geo.i18n import _
from geo.pack import LEVEL_LABELS, level_label

__all__ = [
    "CHUNK",
    "FORMATS",
    "LABELS",
    "BatchOptions",
    "BatchSummary",
    "answer_columns",
    "classify_rows",
    "count_lines",
    "describe_row",
    "no_such_input",
    "not_points",
    "numbers",
    "refuse_bad_rows",
    "require_columns",
    "skipped_line",
    "unreadable_input",
]

FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".parquet": "parquet"}


CHUNK = 250_000


#: A decimal number as a coordinate column may hold it (surrounding spaces allowed).
NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"


_SHOWN_BAD_ROWS = 10


@dataclass(frozen=True)
class BatchOptions:
    """Column names, the date to check on, and what to do with bad rows."""

    lat_col: str = "lat"
    lon_col: str = "lon"
    date: str | None = None
    skip_invalid: bool = False
    district: bool = False
    advisory: str | None = None
    #: The alerts being served (``geo.trips.alerts.AlertLayer``); with them, rows get an ``alerts``
    #: column and their levels raised as answers are. None: zones only.
    alerts: Any = None


@dataclass
class BatchSummary:
    """Counts of a finished batch run."""

    rows: int = 0
    checked: int = 0
    skipped: list[str] = field(default_factory=list)
    not_covered: int = 0
    swapped_suspects: int = 0
    by_level: dict[int, int] = field(default_factory=dict)

    @property
    def level4(self) -> int:
        return self.by_level.get(4, 0)

    def lines(self) -> list[str]:
        """The summary as lines a person can read."""
        out = [_("{checked} of {rows} rows checked", checked=f"{self.checked:,}", rows=f"{self.rows:,}")]
        out += count_lines(self.by_level, self.not_covered)
        if self.swapped_suspects:
            out.append(
                "  "
                + _(
                    "{count} uncovered rows would be covered with lat and lon swapped: did you swap "
                    "the columns (--lat-col/--lon-col)?",
                    count=f"{self.swapped_suspects:,}",
                )
            )
        if self.skipped:
            out.append(skipped_line(len(self.skipped), _first(self.skipped)))
        return out


def count_lines(by_level: dict[int, int], not_covered: int) -> list[str]:
    """The rows at each level, highest first, and the rows outside the pack: the lines every
    batch engine prints."""
    out = [
        "  " + _("level {level} ({label}): {count}", level=level, label=level_label(level), count=f"{n:,}")
        for level, n in sorted(by_level.items(), reverse=True)
    ]
    out.append("  " + _("not covered by the pack: {count}", count=f"{not_covered:,}"))
    return out


def skipped_line(count: int, rows: str) -> str:
    """The line saying how many invalid rows were left out, and which."""
    return "  " + _("skipped {count} invalid rows: {rows}", count=f"{count:,}", rows=rows)


def _first(items: list[str]) -> str:
    shown = "; ".join(items[:_SHOWN_BAD_ROWS])
    more = len(items) - _SHOWN_BAD_ROWS
    return shown + (_("; and {count} more", count=f"{more:,}") if more > 0 else "")


#: The label of each level, by level (0: not covered, no label).
LABELS = ("", *(LEVEL_LABELS[level] for level in sorted(LEVEL_LABELS)))


_LABELS = np.array(LABELS, dtype=object)


def classify_rows(
    index: ZoneIndex, lon: np.ndarray, lat: np.ndarray, options: BatchOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Per row: the level (0: not covered), the zone ids and, with ``options.alerts``, the
    alert ids, the level raised by them (``geo.engine.rules.raised_by_alert_levels``). Every batch
    path classifies through here."""
    result = index.classify(lon, lat, date=options.date, advisory=options.advisory)
    level = result.level.astype(np.int8)
    if options.alerts is None:
        return level, result.zone_lists(), None
    from geo import dates
    from geo.engine.rules import raised_by_alert_levels
    from geo.trips.alerts import asked_moment

    when = asked_moment(options.date, index.pack.timezone, dates.utc_now())
    alert_level, alert_ids = options.alerts.per_point(lon, lat, when)
    return raised_by_alert_levels(level, alert_level), result.zone_lists(), alert_ids


def answer_columns(level: np.ndarray, zones: np.ndarray, alerts: np.ndarray | None = None) -> dict[str, Any]:
    """The columns every batch output gets, from ``classify_rows``: covered, level (empty where
    not covered, never 0), label, zones, and alerts when they were asked for."""
    levels = pd.array(level, dtype="Int8")
    levels[level == 0] = pd.NA
    columns = {
        "covered": level > 0,
        "level": levels,
        "label": pd.array(_LABELS[level], dtype="string"),
        "zones": pd.array(zones, dtype="string"),
    }
    if alerts is not None:
        columns["alerts"] = pd.array(alerts, dtype="string")
    return columns


def no_such_input(path: object) -> str:
    """The refusal of an input file that is not there (every batch engine says it alike)."""
    return _("input {path}: no such file", path=path)


def unreadable_input(path: object, kind: str, problem: object) -> str:
    """The refusal of an input file its reader cannot read as ``kind``."""
    return _("input {path}: cannot be read as {kind} ({problem})", path=path, kind=kind, problem=problem)


def not_points(path: object, found: str) -> str:
    """The refusal of an input whose geometries are not points."""
    return _("input {path}: geometries must be Points, found {found}", path=path, found=found)


def numbers(column: pa.ChunkedArray | pa.Array | pd.Series) -> np.ndarray:
    """A coordinate column's values as floats: numbers as they are, text only where it is a
    decimal number (``NUMBER``; not "1_000", not "nan"); NaN where missing or not a number.
    One rule for every batch path (whole file, streamed, Dask)."""
    if isinstance(column, pd.Series):
        try:
            column = pa.array(column, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed values: judged as text
            column = pa.array(column.astype(str))
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        floats = pc.fill_null(pc.cast(column, pa.float64()), float("nan"))
        return np.asarray(floats.to_numpy(zero_copy_only=False), dtype=float)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return np.full(len(column), np.nan)
    valid = pc.match_substring_regex(column, NUMBER)
    text = pc.if_else(valid, pc.utf8_trim_whitespace(column), "nan")
    return np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def require_columns(path: Path, names: list[str], options: BatchOptions) -> None:
    """Refuse a table without the coordinate columns, naming its columns and the flag."""
    for column, flag in ((options.lon_col, "--lon-col"), (options.lat_col, "--lat-col")):
        if column not in names:
            raise InputFormatError(
                _(
                    "input {path}: no column {column}; the columns are {names}; name the right one with "
                    "{flag}",
                    path=path,
                    column=repr(column),
                    names=", ".join(names),
                    flag=flag,
                ),
                field=flag,
            )


def describe_row(where: str, lon: object, lat: object) -> str:
    """A bad row as reports name it: where it is, and its values as read (numpy numbers shown
    as plain numbers, as every reader gives them).

    Examples
    --------
    >>> describe_row("row 3", np.float64(95.0), "x")
    "row 3 (lon=95.0, lat='x')"
    """
    lon, lat = (v.item() if isinstance(v, np.generic) else v for v in (lon, lat))
    return f"{where} (lon={lon!r}, lat={lat!r})"


def refuse_bad_rows(source: Path, bad: list[str]) -> None:
    """Stop a run over rows without valid coordinates, naming the first of them."""
    raise InputFormatError(
        _(
            "input {path}: {count} rows have no valid coordinates: {first}. Fix the rows (lat -90..90, "
            "lon -180..180, decimal degrees) or pass --skip-invalid",
            path=source,
            count=f"{len(bad):,}",
            first=_first(bad),
        ),
        field="input",
    )
