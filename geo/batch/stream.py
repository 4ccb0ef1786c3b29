"""CSV and Parquet batches at I/O speed: read and written by Arrow in blocks, constant memory.

CSV to CSV: every column is read as text and written back unchanged; only the coordinate
columns are turned into numbers (vectorised: a value that is not a decimal number becomes NaN
and its row is reported). Parquet to Parquet: the columns keep their types and are written back
unchanged; coordinates come from the latitude and longitude columns or, where there are none,
from the GeoParquet geometry (points, read by geoarrow-c). The output is GeoParquet with the
same pandas and geo metadata ``geo.batch.local``'s whole-file path writes, so pandas and geopandas
read the same dtypes back. Bad rows are named as ``geo.batch.local`` names them (CSV by line, the
header being line 1; Parquet by row), with their values, in the same words; only bad rows are
looked at one by one.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from geo.batch.rows import (
    LABELS,
    BatchOptions,
    BatchSummary,
    answer_columns,
    classify_rows,
    describe_row,
    not_points,
    numbers,
    refuse_bad_rows,
    require_columns,
    unreadable_input,
)
from geo.engine.coords import invalid_rows
from geo.engine.index import ZoneIndex
from geo.errors import InputFormatError
from geo.io.files import staged

__all__ = ["BLOCK_BYTES", "PARQUET_ROWS", "STREAMED", "Part", "answer_arrays", "parquet_parts", "run_stream"]

#: Bytes of CSV read per block: memory stays bounded by a few blocks, whatever the file size.
BLOCK_BYTES = 4 << 20
#: Rows of Parquet read per block.
PARQUET_ROWS = 1 << 18
#: Formats streamed when a batch reads and writes the same one.
STREAMED = ("csv", "parquet")
_LABELS = pa.array(LABELS, pa.string())
_ANSWER_TYPES = {"covered": pa.bool_(), "level": pa.int8(), "label": pa.string(), "zones": pa.string()}


def answer_arrays(
    index: ZoneIndex, lon: np.ndarray, lat: np.ndarray, options: BatchOptions
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """The answer columns of ``geo.batch.local.answer_columns`` as Arrow arrays (covered, level: null
    where not covered, label, zones; ubigeo with ``options.district``), and the levels."""
    level, zones, alerts = classify_rows(index, lon, lat, options)
    covered = level > 0
    columns: dict[str, pa.Array] = {
        "covered": pa.array(covered),
        "level": pa.array(level, pa.int8(), mask=~covered),
        "label": _LABELS.take(pa.array(level.astype(np.int64))),
        "zones": pa.array(zones, pa.string()),
    }
    if alerts is not None:
        columns["alerts"] = pa.array(alerts, pa.string())
    if options.district:
        columns["ubigeo"] = pa.array(index.district_codes(lon, lat), pa.string())
    return level, columns


@dataclass
class _Block:
    """One block of input rows, its coordinates, and the values a bad row is reported with."""

    rows: pa.RecordBatch
    lon: np.ndarray
    lat: np.ndarray
    shown: Callable[[int], tuple[object, object]]


class _Csv:
    """CSV in blocks, every column as text; rows named by line."""

    def __init__(self, path: Path, options: BatchOptions) -> None:
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                self.names = next(csv.reader(handle), [])
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFormatError(unreadable_input(path, "csv", exc)) from exc
        require_columns(path, self.names, options)
        self.path, self.options = path, options
        try:
            self.reader = pacsv.open_csv(
                path,
                read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(self.names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputFormatError(unreadable_input(path, "csv", exc)) from exc

    def where(self, position: int) -> str:
        return f"line {position + 2}"

    def blocks(self) -> Iterator[_Block]:
        lon_col, lat_col = self.options.lon_col, self.options.lat_col
        while True:
            try:
                batch = self.reader.read_next_batch()
            except StopIteration:
                return
            except pa.ArrowInvalid as exc:
                raise InputFormatError(unreadable_input(self.path, "csv", exc)) from exc

            def shown(k: int, batch: pa.RecordBatch = batch) -> tuple[object, object]:
                return batch.column(lon_col)[k].as_py(), batch.column(lat_col)[k].as_py()

            yield _Block(batch, numbers(batch.column(lon_col)), numbers(batch.column(lat_col)), shown)


@dataclass(frozen=True)
class Part:
    """A stretch of a Parquet file: its row groups, and the file row number of its first row
    (reports name rows of the whole file)."""

    row_groups: tuple[int, ...]
    first_row: int


def parquet_parts(path: Path, count: int) -> list[Part]:
    """``path``'s row groups in at most ``count`` consecutive stretches of similar size."""
    try:
        metadata = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError) as exc:
        raise InputFormatError(unreadable_input(path, "parquet", exc)) from exc
    rows = [metadata.row_group(k).num_rows for k in range(metadata.num_row_groups)]
    bounds = np.linspace(0, len(rows), min(count, len(rows)) + 1).round().astype(int)
    starts = np.concatenate([[0], np.cumsum(rows)])
    return [Part(tuple(range(a, b)), int(starts[a])) for a, b in itertools.pairwise(bounds.tolist()) if b > a]


class _Parquet:
    """(Geo)Parquet in blocks of rows, columns as typed; rows named by number."""

    def __init__(self, path: Path, options: BatchOptions, part: Part | None = None) -> None:
        self.part = part
        try:
            self.file = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise InputFormatError(unreadable_input(path, "parquet", exc)) from exc
        self.path, self.options = path, options
        schema = self.file.schema_arrow
        metadata = schema.metadata or {}
        pandas = json.loads(metadata.get(b"pandas", b"{}"))
        index_columns = {c for c in pandas.get("index_columns", []) if isinstance(c, str)}
        self.names = [n for n in schema.names if n not in index_columns]  # the index is not data
        self.geo = json.loads(metadata[b"geo"]) if b"geo" in metadata else None
        self.geometry = self.geo["primary_column"] if self.geo else None
        self.from_geometry = options.lon_col not in self.names and self.geometry in self.names
        if not self.from_geometry:
            require_columns(path, self.names, options)

    def where(self, position: int) -> str:
        return f"row {position + 1 + (self.part.first_row if self.part else 0)}"

    def blocks(self) -> Iterator[_Block]:
        try:
            groups = list(self.part.row_groups) if self.part else None
            for batch in self.file.iter_batches(
                batch_size=PARQUET_ROWS, columns=self.names, row_groups=groups
            ):
                yield self._block(batch)
        except (pa.ArrowException, OSError) as exc:
            raise InputFormatError(unreadable_input(self.path, "parquet", exc)) from exc

    def _block(self, batch: pa.RecordBatch) -> _Block:
        if self.from_geometry:
            lon, lat = _point_coordinates(batch.column(self.geometry), self.path)
            return _Block(batch, lon, lat, lambda k: (lon[k], lat[k]))
        lon_values, lat_values = batch.column(self.options.lon_col), batch.column(self.options.lat_col)

        def shown(k: int) -> tuple[object, object]:
            # As pandas reads them: a missing value is NaN.
            lon, lat = lon_values[k].as_py(), lat_values[k].as_py()
            return (float("nan") if lon is None else lon), (float("nan") if lat is None else lat)

        return _Block(batch, numbers(lon_values), numbers(lat_values), shown)


def _point_coordinates(column: pa.Array, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of a WKB or GeoArrow point column (NaN where missing or empty),
    decoded by geoarrow-c: shapely's per-geometry objects cost 0.5 s per million points."""
    import geoarrow.pyarrow as ga

    geometry = column if isinstance(column.type, pa.ExtensionType) else ga.wkb().wrap_array(column)
    try:
        x, y = ga.point_coords(ga.as_geoarrow(geometry, ga.point()))
    except Exception as exc:  # geoarrow-c refuses anything but points, with its own error type
        import geopandas as gpd

        kinds = set(gpd.GeoSeries.from_wkb(ga.as_wkb(geometry).storage.to_pylist()).geom_type.dropna())
        found = ", ".join(sorted(kinds - {"Point"})) or str(exc)
        raise InputFormatError(not_points(path, found)) from exc
    return (
        np.asarray(pc.fill_null(x, float("nan")).to_numpy(zero_copy_only=False), dtype=float),
        np.asarray(pc.fill_null(y, float("nan")).to_numpy(zero_copy_only=False), dtype=float),
    )


class _CsvSink:
    """CSV out, block by block; ``covered`` written as pandas writes booleans."""

    def __init__(self, path: Path, source: _Csv, options: BatchOptions) -> None:
        self.path = path
        self.writer: pacsv.CSVWriter | None = None
        extra = {**_ANSWER_TYPES, "covered": pa.string()}
        if options.alerts is not None:
            extra["alerts"] = pa.string()
        extra = extra | ({"ubigeo": pa.string()} if options.district else {})
        self.empty = pa.schema([pa.field(n, pa.string()) for n in source.names] + list(extra.items()))

    def write(
        self, rows: pa.RecordBatch, lon: np.ndarray, lat: np.ndarray, answers: dict[str, pa.Array]
    ) -> None:
        answers = {**answers, "covered": pc.if_else(answers["covered"], "True", "False")}
        out = pa.RecordBatch.from_arrays(
            [*rows.columns, *answers.values()], names=[*rows.schema.names, *answers]
        )
        if self.writer is None:
            self.writer = pacsv.CSVWriter(str(self.path), out.schema)
        self.writer.write_batch(out)

    def close(self) -> None:
        if self.writer is None:  # no row to write (none, or every one skipped): the header alone
            self.writer = pacsv.CSVWriter(str(self.path), self.empty)
        self.writer.close()


class _ParquetSink:
    """GeoParquet out, block by block: the input's columns, the answers, then the geometry
    (the input's, or points from the coordinates as WKB), with the metadata geopandas writes."""

    def __init__(self, path: Path, source: _Parquet, options: BatchOptions) -> None:
        import geoarrow.pyarrow as ga

        self.ga = ga
        input_schema = source.file.schema_arrow
        geometry = source.geometry if source.geometry in source.names else None
        self.geometry = geometry
        columns = [n for n in source.names if n != geometry]
        template = _metadata_template(input_schema, columns, geometry, options)
        fields = [input_schema.field(n) for n in columns]
        fields += [
            template.field(n) for n in template.names if n not in columns and n != (geometry or "geometry")
        ]
        fields.append(input_schema.field(geometry) if geometry else template.field("geometry"))
        metadata = dict(template.metadata)
        if geometry:
            metadata[b"geo"] = input_schema.metadata[b"geo"]  # its CRS, encoding and types hold
        self.columns = columns
        self.schema = pa.schema(fields, metadata=metadata)
        self.writer = pq.ParquetWriter(str(path), self.schema)

    def write(
        self, rows: pa.RecordBatch, lon: np.ndarray, lat: np.ndarray, answers: dict[str, pa.Array]
    ) -> None:
        if self.geometry:
            geometry = rows.column(self.geometry)
        else:
            ga = self.ga
            geometry = ga.as_wkb(ga.point().from_geobuffers(None, lon, lat)).storage
        arrays = [rows.column(n) for n in self.columns] + list(answers.values()) + [geometry]
        arrays = [a.cast(f.type) if a.type != f.type else a for a, f in zip(arrays, self.schema, strict=True)]
        self.writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self.schema))

    def close(self) -> None:
        self.writer.close()


def _metadata_template(
    schema: pa.Schema, columns: list[str], geometry: str | None, options: BatchOptions
) -> pa.Schema:
    """The schema (with pandas and geo metadata) geopandas writes for the output's columns: a
    table of no rows written by ``geo.batch.local``'s whole-file path, read back."""
    import geopandas as gpd
    import pandas as pd

    frame = schema.empty_table().to_pandas().reset_index(drop=True)[columns]
    alerts = np.zeros(0, object) if options.alerts is not None else None
    frame = frame.assign(**answer_columns(np.zeros(0, np.int8), np.zeros(0, object), alerts))
    if options.district:
        frame["ubigeo"] = pd.Series([], dtype="str")
    table = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    if geometry and geometry != "geometry":  # the input's geometry column keeps its name
        table = table.rename_geometry(geometry)
    buffer = io.BytesIO()
    table.to_parquet(buffer)
    buffer.seek(0)
    template = pq.read_schema(buffer)
    return template


def run_stream(
    index: ZoneIndex,
    source: Path,
    target: Path,
    kind: str,
    options: BatchOptions,
    progress: Callable[[int], Any] | None = None,
    part: Part | None = None,
) -> BatchSummary:
    """Check every row of ``source`` into ``target``, both of format ``kind`` (one of
    ``STREAMED``): ``geo.batch.local.run_batch``'s path when a batch reads and writes CSV, or Parquet.
    With ``part``, only that stretch of a Parquet file (a Dask task's share)."""
    summary = BatchSummary()
    reader: _Csv | _Parquet = _Csv(source, options) if kind == "csv" else _Parquet(source, options, part)
    sink: _CsvSink | _ParquetSink | None = None
    seen = 0
    by_level = np.zeros(5, dtype=np.int64)
    with staged(target) as temporary:
        try:
            sink = (
                _CsvSink(temporary, reader, options)
                if isinstance(reader, _Csv)
                else _ParquetSink(temporary, reader, options)
            )
            for block in reader.blocks():
                invalid = invalid_rows(block.lon, block.lat)
                for position in np.flatnonzero(invalid).tolist():
                    summary.skipped.append(
                        describe_row(reader.where(seen + position), *block.shown(position))
                    )
                seen += block.rows.num_rows
                if summary.skipped and not options.skip_invalid:
                    continue  # keep counting bad rows; nothing more is written
                keep = ~invalid
                lon, lat = block.lon[keep], block.lat[keep]
                rows = block.rows.filter(pa.array(keep)) if invalid.any() else block.rows
                level, answers = answer_arrays(index, lon, lat, options)
                sink.write(rows, lon, lat, answers)
                by_level += np.bincount(level, minlength=5)[:5]
                uncovered = level == 0
                if uncovered.any():
                    summary.swapped_suspects += int(
                        index.classify(lat[uncovered], lon[uncovered]).covered.sum()
                    )
                if progress:
                    progress(len(level))
            summary.rows = seen
            if summary.skipped and not options.skip_invalid:
                refuse_bad_rows(source, summary.skipped)
            sink.close()
            sink = None
        finally:
            if sink is not None:
                with contextlib.suppress(Exception):
                    sink.close()
    summary.checked = int(by_level.sum())
    summary.by_level = {level: int(by_level[level]) for level in range(1, 5) if by_level[level]}
    summary.not_covered = int(by_level[0])
    return summary
