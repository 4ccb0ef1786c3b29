"""CSV to CSV batches at I/O speed: read and written by Arrow in blocks, constant memory.

Every column is read as text and written back unchanged; only the coordinate columns are
turned into numbers (vectorised: a value that is not a decimal number becomes NaN and its row
is reported, as in ``geo.batch``). Bad rows are named by line (the header is line 1) with
their values, in the same words as ``geo.batch``; only bad rows are looked at one by one.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo.batch import LABELS, BatchOptions, BatchSummary, describe_row, refuse_bad_rows, require_columns
from geo.coords import invalid_rows
from geo.errors import InputFormatError
from geo.index import ZoneIndex

__all__ = ["BLOCK_BYTES", "NUMBER", "answer_arrays", "numbers", "run_csv"]

#: Bytes of CSV read per block: memory stays bounded by a few blocks, whatever the file size.
BLOCK_BYTES = 4 << 20
#: A decimal number as a coordinate column may hold it (surrounding spaces allowed).
NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"
_LABELS = pa.array(LABELS, pa.string())


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFormatError(f"input {path}: cannot be read as csv ({exc})") from exc


def numbers(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The column's values as floats; NaN where a value is missing or not a decimal number."""
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        floats = pc.fill_null(pc.cast(column, pa.float64()), float("nan"))
        return np.asarray(floats.to_numpy(zero_copy_only=False), dtype=float)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return np.full(len(column), np.nan)
    valid = pc.match_substring_regex(column, NUMBER)
    text = pc.if_else(valid, pc.utf8_trim_whitespace(column), "nan")
    return np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def answer_arrays(
    index: ZoneIndex, lon: np.ndarray, lat: np.ndarray, options: BatchOptions
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """The answer columns of ``geo.batch.answer_columns`` as Arrow arrays (covered, level: null
    where not covered, label, zones; ubigeo with ``options.district``), and the levels."""
    result = index.classify(lon, lat, date=options.date, advisory=options.advisory)
    level = result.level.astype(np.int8)
    covered = level > 0
    columns: dict[str, pa.Array] = {
        "covered": pa.array(covered),
        "level": pa.array(level, pa.int8(), mask=~covered),
        "label": _LABELS.take(pa.array(level.astype(np.int64))),
        "zones": pa.array(result.zone_lists(), pa.string()),
    }
    if options.district:
        columns["ubigeo"] = pa.array(index.district_codes(lon, lat), pa.string())
    return level, columns


def run_csv(
    index: ZoneIndex,
    source: Path,
    target: Path,
    options: BatchOptions,
    progress: Callable[[int], Any] | None = None,
) -> BatchSummary:
    """Check every row of CSV ``source`` into CSV ``target`` (``geo.batch.run_batch``'s path
    for CSV to CSV)."""
    summary = BatchSummary()
    names = _header(source)
    require_columns(source, names, options)
    try:
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputFormatError(f"input {source}: cannot be read as csv ({exc})") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    writer: pacsv.CSVWriter | None = None
    seen = 0
    by_level = np.zeros(5, dtype=np.int64)
    try:
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as exc:
                raise InputFormatError(f"input {source}: cannot be read as csv ({exc})") from exc
            lon = numbers(batch.column(options.lon_col))
            lat = numbers(batch.column(options.lat_col))
            invalid = invalid_rows(lon, lat)
            for position in np.flatnonzero(invalid).tolist():
                summary.skipped.append(
                    describe_row(
                        f"line {seen + position + 2}",
                        batch.column(options.lon_col)[position].as_py(),
                        batch.column(options.lat_col)[position].as_py(),
                    )
                )
            seen += batch.num_rows
            if summary.skipped and not options.skip_invalid:
                continue  # keep counting bad rows; nothing more is written
            keep = ~invalid
            lon, lat = lon[keep], lat[keep]
            rows = batch.filter(pa.array(keep)) if invalid.any() else batch
            level, columns = answer_arrays(index, lon, lat, options)
            columns["covered"] = pc.if_else(columns["covered"], "True", "False")  # as pandas writes it
            by_level += np.bincount(level, minlength=5)[:5]
            covered = level > 0
            out = pa.RecordBatch.from_arrays(
                [*rows.columns, *columns.values()], names=[*rows.schema.names, *columns]
            )
            if writer is None:
                writer = pacsv.CSVWriter(str(temporary), out.schema)
            writer.write_batch(out)
            if (~covered).any():
                summary.swapped_suspects += int(index.classify(lat[~covered], lon[~covered]).covered.sum())
            if progress:
                progress(len(level))
        summary.rows = seen
        if summary.skipped and not options.skip_invalid:
            refuse_bad_rows(source, summary.skipped)
        if writer is None:  # no row to write (none, or every one skipped): the header alone
            extra = {"covered": pa.string(), "level": pa.int8(), "label": pa.string(), "zones": pa.string()}
            if options.district:
                extra["ubigeo"] = pa.string()
            fields = [pa.field(n, pa.string()) for n in names] + [pa.field(n, t) for n, t in extra.items()]
            writer = pacsv.CSVWriter(str(temporary), pa.schema(fields))
        writer.close()
        writer = None
        os.replace(temporary, target)
    finally:
        if writer is not None:
            writer.close()
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    summary.checked = int(by_level.sum())
    summary.by_level = {level: int(by_level[level]) for level in range(1, 5) if by_level[level]}
    summary.not_covered = int(by_level[0])
    return summary
