"""Batch checks beyond one machine: the same classification, run by Dask over partitions.

A Parquet file is split into stretches of row groups, and each worker runs the local engine's
streamed Parquet path (``geo.batch.stream``) on its stretch, writing one part of the output
dataset: columns are read as typed, never through text, and rows are named by their number in
the file. CSV (and Parquet directories) go through Dask's dataframe reader in partitions:

Each Dask worker builds the zone index once (``_worker_index`` is cached per process; the
packaged pack ships with the package on every worker, and ``--pack`` must name a path the
workers can read), so the pack travels with the code, never with each task. Partitions are
classified by ``ZoneIndex.classify``, the same code as the local batch. Bad rows are found in
the same pass and reported by partition and row; the output is written into a temporary name
and only renamed into place when the run has succeeded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.batch.rows import (
    BatchOptions,
    BatchSummary,
    answer_columns,
    classify_rows,
    no_such_input,
    numbers,
    refuse_bad_rows,
)
from geo.batch.stream import Part, parquet_parts, run_stream
from geo.engine.coords import invalid_rows
from geo.engine.index import ZoneIndex, default_index, keep_for_process
from geo.errors import InputFormatError
from geo.i18n import _

__all__ = ["DaskOptions", "run_dask_batch"]

_SHOWN = 10


@dataclass(frozen=True)
class DaskOptions:
    """Columns, date, bad-row rule, where the cluster is, and how finely to split the input."""

    lat_col: str = "lat"
    lon_col: str = "lon"
    date: str | None = None
    skip_invalid: bool = False
    scheduler: str | None = None
    workers: int = 2
    partitions: int | None = None
    pack: str | None = None
    #: The alerts being served (``geo.trips.alerts.AlertLayer``), sent with each task; None: zones only.
    alerts: Any = None

    def batch_options(self, *, skip_invalid: bool) -> BatchOptions:
        """The local engine's options for the same question."""
        return BatchOptions(
            lat_col=self.lat_col,
            lon_col=self.lon_col,
            date=self.date,
            skip_invalid=skip_invalid,
            alerts=self.alerts,
        )


@cache
def _worker_index(pack: str | None) -> ZoneIndex:
    """The worker's index, built once; like a served worker, a Dask worker keeps it for its
    life, so it is kept out of full garbage collections (``keep_for_process``)."""
    index = ZoneIndex.from_path(pack) if pack else default_index()
    keep_for_process()
    return index


def _coordinates(frame: pd.DataFrame, options: DaskOptions) -> tuple[np.ndarray, np.ndarray]:
    return numbers(frame[options.lon_col]), numbers(frame[options.lat_col])


def _classify(frame: pd.DataFrame, options: DaskOptions) -> pd.DataFrame:
    """Every row with its answer; rows without valid coordinates are kept, marked ``_valid``
    False, so one pass both classifies and finds the bad rows."""
    lon, lat = _coordinates(frame, options)
    keep = ~invalid_rows(lon, lat)
    level, zones, alerts = classify_rows(
        _worker_index(options.pack),
        np.where(keep, lon, np.nan),
        np.where(keep, lat, np.nan),
        options.batch_options(skip_invalid=False),
    )
    return frame.assign(_valid=keep, **answer_columns(level, zones, alerts))


def _bad_rows(
    frame: pd.DataFrame, options: DaskOptions, partition_info: dict[str, Any] | None = None
) -> pd.DataFrame:
    bad = np.flatnonzero(~frame["_valid"].to_numpy(dtype=bool))
    number = partition_info["number"] if partition_info else -1
    return pd.DataFrame(
        {
            "partition": np.full(len(bad), number),
            "row": bad + 1,
            "lon": frame[options.lon_col].iloc[bad].astype(str).to_numpy(),
            "lat": frame[options.lat_col].iloc[bad].astype(str).to_numpy(),
        }
    )


def _read(source: Path, options: DaskOptions) -> Any:
    import dask.dataframe as dd

    suffix = source.suffix.lower()
    if suffix == ".csv":
        frame = dd.read_csv(str(source), dtype=str, keep_default_na=False, blocksize="64MB")
    elif suffix == ".parquet" or source.is_dir():
        frame = dd.read_parquet(str(source))
    else:
        raise InputFormatError(
            _("input {path}: the Dask engine reads .csv or .parquet", path=source), field="input"
        )
    for column, flag in ((options.lon_col, "--lon-col"), (options.lat_col, "--lat-col")):
        if column not in frame.columns:
            raise InputFormatError(
                _(
                    "input {path}: no column {column}; the columns are {names}; name the right one with "
                    "{flag}",
                    path=source,
                    column=repr(column),
                    names=", ".join(map(str, frame.columns)),
                    flag=flag,
                ),
                field=flag,
            )
    if options.partitions:
        frame = frame.repartition(npartitions=options.partitions)
    return frame


def run_dask_batch(
    source: Path,
    target: Path,
    options: DaskOptions = DaskOptions(),
    progress: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """Classify ``source`` (.csv or Parquet) into ``target``, a partitioned Parquet dataset."""
    if target.suffix.lower() != ".parquet":
        raise InputFormatError(
            _(
                "output {path}: the Dask engine writes a partitioned Parquet dataset; name it .parquet",
                path=target,
            ),
            field="output",
        )
    if not source.exists():
        raise InputFormatError(no_such_input(source), field="input")
    whole_file = source.is_file() and source.suffix.lower() == ".parquet"
    with _client(options) as client:
        run = _parquet_file if whole_file else _dataframe
        return run(client, source, target, options, progress)


def _dataframe(
    client: Any, source: Path, target: Path, options: DaskOptions, progress: Callable[[Any], Any] | None
) -> dict[str, Any]:
    """CSV (or a Parquet directory) through Dask's dataframe reader, in partitions."""
    staging = target.with_name(f".{target.name}.part")
    try:
        frame = _read(source, options)
        classified = frame.map_partitions(_classify, options, meta=_meta(frame, options))
        bad = classified.map_partitions(
            _bad_rows, options, meta={"partition": "i8", "row": "i8", "lon": "O", "lat": "O"}
        )
        valid = classified[classified["_valid"]].drop(columns="_valid")
        write = valid.to_parquet(str(staging), write_index=False, compute=False)
        counts = valid.map_partitions(_level_counts, meta={"level": "Int8", "rows": "i8"})
        written, bad_rows, level_counts = client.compute([write, bad, counts])
        if progress:
            progress([written, bad_rows, level_counts])
        bad_rows = bad_rows.result()
        level_counts = level_counts.result()
        written.result()
        if len(bad_rows) and not options.skip_invalid:
            raise InputFormatError(
                _(
                    "input {path}: {count} rows have no valid coordinates: {first}. Fix the rows (lat "
                    "-90..90, "
                    "lon -180..180, decimal degrees) or pass --skip-invalid",
                    path=source,
                    count=f"{len(bad_rows):,}",
                    first=_describe(bad_rows),
                ),
                field="input",
            )
        _replace(staging, target)
        totals = level_counts.groupby("level", dropna=False)["rows"].sum()
        by_level = {int(k): int(v) for k, v in totals.items() if not pd.isna(k)}
        not_covered = int(sum(v for k, v in totals.items() if pd.isna(k)))
        return {
            "rows": sum(by_level.values()) + not_covered + len(bad_rows),
            "by_level": dict(sorted(by_level.items(), reverse=True)),
            "not_covered": not_covered,
            "partitions": int(frame.npartitions),
            "skipped": len(bad_rows),
            "skipped_rows": _describe(bad_rows),
            "workers": len(client.scheduler_info()["workers"]),
        }
    finally:
        with contextlib.suppress(FileNotFoundError):
            if staging.is_dir():
                shutil.rmtree(staging)
            else:
                staging.unlink()


@contextlib.contextmanager
def _client(options: DaskOptions) -> Iterator[Any]:
    """A client of the scheduler named, or of a local cluster started and stopped here."""
    from dask.distributed import Client, LocalCluster

    if options.scheduler:
        with Client(options.scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=options.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _stretch(source: str, target: str, part: Part, options: DaskOptions) -> BatchSummary:
    """One worker's share: the streamed Parquet path on ``part`` of ``source`` into ``target``
    (bad rows are left out and listed; the run decides whether they stop it)."""
    batch_options = options.batch_options(skip_invalid=True)
    return run_stream(
        _worker_index(options.pack), Path(source), Path(target), "parquet", batch_options, part=part
    )


def _parquet_file(
    client: Any, source: Path, target: Path, options: DaskOptions, progress: Callable[[Any], Any] | None
) -> dict[str, Any]:
    workers = len(client.scheduler_info()["workers"]) or 1
    parts = parquet_parts(source, options.partitions or 4 * workers)
    staging = target.with_name(f".{target.name}.part")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        futures = [
            client.submit(
                _stretch, str(source), str(staging / f"part.{k}.parquet"), part, options, pure=False
            )
            for k, part in enumerate(parts)
        ]
        if progress:
            progress(futures)
        summaries: list[BatchSummary] = client.gather(futures)
        skipped = [row for s in summaries for row in s.skipped]
        if skipped and not options.skip_invalid:
            refuse_bad_rows(source, skipped)
        _replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    by_level: dict[int, int] = {}
    for summary in summaries:
        for level, count in summary.by_level.items():
            by_level[level] = by_level.get(level, 0) + count
    return {
        "rows": sum(s.rows for s in summaries),
        "by_level": dict(sorted(by_level.items(), reverse=True)),
        "not_covered": sum(s.not_covered for s in summaries),
        "partitions": len(parts),
        "skipped": len(skipped),
        "skipped_rows": "; ".join(skipped[:_SHOWN])
        + (f"; and {len(skipped) - _SHOWN:,} more" if len(skipped) > _SHOWN else ""),
        "workers": workers,
    }


def _level_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows per level in one partition (summed locally: no shuffle for a handful of numbers)."""
    counts = frame["level"].value_counts(dropna=False)
    return pd.DataFrame({"level": counts.index.astype("Int8"), "rows": counts.to_numpy(dtype="i8")})


def _meta(frame: Any, options: DaskOptions) -> pd.DataFrame:
    meta = frame._meta.copy()
    meta["_valid"] = pd.Series(dtype=bool)
    meta["covered"] = pd.Series(dtype=bool)
    meta["level"] = pd.Series(dtype="Int8")
    meta["label"] = pd.Series(dtype="string")
    meta["zones"] = pd.Series(dtype="string")
    if options.alerts is not None:
        meta["alerts"] = pd.Series(dtype="string")
    return meta


def _describe(bad: pd.DataFrame) -> str:
    rows = [
        f"partition {p}, row {r} (lon={lon!r}, lat={lat!r})"
        for p, r, lon, lat in bad.head(_SHOWN).itertuples(index=False)
    ]
    more = len(bad) - _SHOWN
    return "; ".join(rows) + (f"; and {more:,} more" if more > 0 else "")


def _replace(staging: Path, target: Path) -> None:
    if target.is_dir():
        shutil.rmtree(target)
    os.replace(staging, target)
