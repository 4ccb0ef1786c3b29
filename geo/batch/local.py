"""Batch checks of point tables: CSV, GeoJSON or (Geo)Parquet in, the same format out.

Rows with bad coordinates are reported by row number and either stop the run or, with
``skip_invalid``, are left out and counted; never dropped silently. The output file appears
only when the whole run succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.batch.rows import (
    CHUNK,
    FORMATS,
    BatchOptions,
    BatchSummary,
    answer_columns,
    classify_rows,
    describe_row,
    no_such_input,
    not_points,
    numbers,
    refuse_bad_rows,
    require_columns,
    unreadable_input,
)
from geo.engine.coords import invalid_rows
from geo.engine.index import ZoneIndex
from geo.errors import InputFormatError
from geo.i18n import _
from geo.io.files import staged

__all__ = ["read_points", "run_batch", "write_points"]


def _format(path: Path, role: str) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputFormatError(
            _(
                "{role} {path}: unknown format {suffix}; use one of {known}",
                role=role,
                path=path,
                suffix=repr(path.suffix),
                known=", ".join(sorted(FORMATS)),
            ),
            field=role,
        )
    return kind


def read_points(path: Path, options: BatchOptions) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The table, and its longitudes and latitudes as floats (NaN where not numbers)."""
    kind = _format(path, "input")
    if not path.is_file():
        raise InputFormatError(no_such_input(path), field="input")
    try:
        if kind == "csv":
            frame: pd.DataFrame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif kind == "geojson":
            frame = gpd.read_file(path)
        else:
            frame = _read_parquet(path)
    except (OSError, ValueError, ImportError) as exc:
        raise InputFormatError(unreadable_input(path, kind, exc)) from exc
    if isinstance(frame, gpd.GeoDataFrame) and options.lon_col not in frame.columns:
        return frame, *_point_xy(frame, path)
    require_columns(path, [str(c) for c in frame.columns], options)
    return frame, numbers(frame[options.lon_col]), numbers(frame[options.lat_col])


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return gpd.read_parquet(path)
    except ValueError:  # plain Parquet without GeoParquet metadata
        return pd.read_parquet(path)


def _point_xy(frame: gpd.GeoDataFrame, path: Path) -> tuple[np.ndarray, np.ndarray]:
    geometry = frame.geometry
    kinds = set(geometry.geom_type.dropna())
    if not kinds <= {"Point"}:
        raise InputFormatError(not_points(path, ", ".join(sorted(kinds))))
    return geometry.x.to_numpy(float), geometry.y.to_numpy(float)


def _bad_rows(
    frame: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, kind: str, opts: BatchOptions
) -> list[str]:
    bad = np.flatnonzero(invalid_rows(lon, lat))
    described = []
    # CSV rows are named by their line (the header is line 1); others by feature number.
    for position in bad:
        where = f"line {position + 2}" if kind == "csv" else f"row {position + 1}"
        if opts.lon_col in frame.columns:
            row = frame.iloc[position]
            described.append(describe_row(where, row[opts.lon_col], row[opts.lat_col]))
        else:
            described.append(describe_row(where, lon[position], lat[position]))
    return described


def run_batch(
    index: ZoneIndex,
    source: Path,
    target: Path,
    options: BatchOptions = BatchOptions(),
    progress: Callable[[int], Any] | None = None,
) -> BatchSummary:
    """Check every row of ``source`` and write the rows with the answers to ``target``.

    CSV to CSV and Parquet to Parquet stream through Arrow in blocks (``geo.batch.stream``);
    other formats and mixed pairs are read whole with (geo)pandas.
    """
    out_kind = _format(target, "output")
    in_kind = _format(source, "input")
    if in_kind == out_kind and in_kind in ("csv", "parquet"):  # geo.batch.stream.STREAMED
        if not source.is_file():
            raise InputFormatError(no_such_input(source), field="input")
        from geo.batch.stream import run_stream

        return run_stream(index, source, target, in_kind, options, progress)
    frame, lon, lat = read_points(source, options)
    summary = BatchSummary(rows=len(frame))
    bad = _bad_rows(frame, lon, lat, in_kind, options)
    if bad and not options.skip_invalid:
        refuse_bad_rows(source, bad)
    keep = ~invalid_rows(lon, lat)
    summary.skipped = bad
    frame, lon, lat = frame[keep].reset_index(drop=True), lon[keep], lat[keep]
    level = np.zeros(len(frame), dtype=np.int8)
    zones = np.empty(len(frame), dtype=object)
    alerts = np.empty(len(frame), dtype=object) if options.alerts is not None else None
    for start in range(0, len(frame), CHUNK):
        part = slice(start, start + CHUNK)
        level[part], zones[part], found = classify_rows(index, lon[part], lat[part], options)
        if alerts is not None:
            alerts[part] = found
        if progress:
            progress(len(level[part]))
    out = frame.assign(**answer_columns(level, zones, alerts))
    if options.district:
        out["ubigeo"] = index.district_codes(lon, lat)
    summary.checked = len(frame)
    values, counts = np.unique(level[level > 0], return_counts=True)
    summary.by_level = {int(v): int(c) for v, c in zip(values, counts, strict=True)}
    summary.not_covered = int((level == 0).sum())
    if summary.not_covered:
        uncovered = level == 0
        swapped = index.classify(lat[uncovered], lon[uncovered]).covered
        summary.swapped_suspects = int(swapped.sum())
    write_points(out, lon, lat, target, out_kind)
    return summary


def write_points(frame: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, target: Path, kind: str) -> None:
    """Write atomically: a temporary file beside the target, renamed when complete."""
    with staged(target) as temporary:
        if kind == "csv":
            frame.to_csv(temporary, index=False)
        else:
            geometry = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else gpd.points_from_xy(lon, lat)
            table = gpd.GeoDataFrame(
                frame.drop(columns="geometry", errors="ignore"), geometry=geometry, crs="EPSG:4326"
            )
            if kind == "geojson":
                table.to_file(temporary, driver="GeoJSON", layer=target.stem)
            else:
                table.to_parquet(temporary)
