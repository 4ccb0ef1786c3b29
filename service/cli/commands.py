"""The ``riskzones`` command line: what each command does (its parser is ``service.cli.parser``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import geo.dates
from geo.dates import today
from geo.engine.index import ZoneIndex, default_index, keep_for_process
from geo.engine.region import Region, default_region, region_from_paths
from geo.errors import RiskzonesError
from geo.i18n import _, speaking
from geo.io.files import staged
from geo.io.formats import format_hint, input_summary, read_route
from geo.trips.gazetteer import AmbiguousPlaceError, Gazetteer
from service.cli.parser import (
    EXIT_BAD_INPUT,
    EXIT_CHANGED,
    EXIT_LEVEL4,
    EXIT_OK,
    asked_language,
    build_parser,
)
from service.cli.text import itinerary_report, point_report, route_report
from service.http.serialize import itinerary_answer, point_answer, route_answer

__all__ = ["main"]


def _index(args: argparse.Namespace) -> ZoneIndex:
    index = ZoneIndex.from_path(args.pack) if args.pack else default_index()
    keep_for_process()
    return index


def _region(args: argparse.Namespace) -> Region:
    """The packs a command answers in: ``--pack`` alone, or the packaged Peru and neighbours."""
    region = region_from_paths([args.pack]) if args.pack else default_region()
    keep_for_process()
    return region


def _check(args: argparse.Namespace) -> int:
    region = _region(args)
    result = region.check_point(
        lon=args.lon, lat=args.lat, date=args.date, radius_km=args.radius_km, advisory=args.advisory
    )
    pack = region.answering(result).pack
    print(_json(point_answer(result, pack)) if args.json else point_report(result))
    return EXIT_LEVEL4 if result.level == 4 else EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from geo.batch.local import run_batch  # pandas: only for batches
    from geo.batch.rows import BatchOptions
    from service.cli.stored import served_alerts

    if args.engine == "dask":
        return _batch_dask(args)
    index = _index(args)
    options = BatchOptions(
        lat_col=args.lat_col,
        lon_col=args.lon_col,
        date=args.date,
        skip_invalid=args.skip_invalid,
        district=args.district,
        advisory=index.rule.advisory(args.advisory),
        alerts=None if args.no_alerts else served_alerts(args.alerts_from),
    )
    with tqdm(unit=" points", unit_scale=True, file=sys.stderr, disable=None) as bar:
        summary = run_batch(index, args.input, args.output, options, progress=bar.update)
    if args.json:
        print(json.dumps({**asdict(summary), "level4": summary.level4}))
    else:
        print("\n".join([_("wrote {path}", path=args.output), *summary.lines()]))
    return EXIT_LEVEL4 if summary.level4 else EXIT_OK


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RiskzonesError(_("{path}: cannot read ({reason})", path=path, reason=exc.strerror)) from None


def _route(args: argparse.Namespace) -> int:
    data = _read(args.file)
    from geo.trips.region_routes import RegionRoutes  # pyproj's transformers: only for routes

    try:
        route = read_route(data, args.format or format_hint(filename=str(args.file)))
    except RiskzonesError as error:
        raise type(error)(f"{args.file}: {error}", field=error.field, code=error.code) from None
    region = _region(args)
    index = region.home
    result = RegionRoutes(region).check(
        route, date=args.date, corridor_km=args.corridor_km, advisory=args.advisory
    )
    if args.json:
        print(_json(route_answer(result, route, index.pack)))
    else:
        print(route_report(result, route.name or str(args.file), input_summary(route)))
    return EXIT_LEVEL4 if result.max_level == 4 else EXIT_OK


def _itinerary(args: argparse.Namespace) -> int:
    data = _read(args.file)
    from geo.io.itineraries import itinerary_kind
    from geo.trips.calendar import itinerary_input
    from geo.trips.itinerary import check_itinerary
    from geo.trips.region_routes import RegionRoutes
    from service.openapi.schemas import validate  # the API's request model; imported when used

    region = _region(args)
    index = region.home
    gazetteer = Gazetteer.of_packs([i.pack for i in region.indexes])
    try:
        trip = itinerary_input(data, itinerary_kind(filename=args.file.name), gazetteer, index.pack.timezone)
        validate("ItineraryRequest", trip.document)
    except RiskzonesError as error:
        raise type(error)(f"{args.file}: {error}", field=error.field) from None
    fmt = _report_format(args.report) if args.report else None
    result = check_itinerary(
        index,
        RegionRoutes(region),
        gazetteer,
        trip.document,
        advisory=args.advisory,
        unplaced=trip.unplaced,
        region=region,
    )
    if fmt is not None:
        from service.report import render_report

        body = render_report(index, result, fmt, advisory=args.advisory, checked_at=geo.dates.utc_now())
        with staged(args.report) as staging:
            staging.write_bytes(body)
        print(_("wrote {path} ({size} kB)", path=args.report, size=f"{len(body) / 1e3:.0f}"), file=sys.stderr)
    if args.json:
        print(_json(itinerary_answer(result, index.pack)))
    else:
        print(itinerary_report(result))
    return EXIT_LEVEL4 if result.max_level == 4 else EXIT_OK


def _json(document: object) -> str:
    """JSON as the API sends it (the same serialisers), indented for a terminal."""
    return json.dumps(document, ensure_ascii=False, indent=1)


def _map(args: argparse.Namespace) -> int:
    import xstatic.pkg.leaflet as leaflet

    from maps import risk_map, static_page

    region = _region(args)
    fmap = risk_map(region.home, date=args.date, asset_base="rz:assets", neighbours=region.indexes[1:])
    base = Path(leaflet.BASE_DIR)
    html = static_page(
        fmap,
        {
            "rz:assets/leaflet/leaflet.js": base / "leaflet.js",
            "rz:assets/leaflet/leaflet.css": base / "leaflet.css",
        },
    )
    if args.output.suffix.lower() not in (".html", ".htm"):
        raise RiskzonesError(_("{path}: the map is HTML; name the file .html", path=args.output))
    _write_atomic(args.output, html)
    print(_("wrote {path} ({size} MB)", path=args.output, size=f"{len(html.encode()) / 1e6:.1f}"))
    return EXIT_OK


def _report_format(path: Path) -> str:
    """html or pdf, by the report file's suffix."""
    suffix = path.suffix.lower().lstrip(".")
    fmt = "html" if suffix == "htm" else suffix
    if fmt not in ("html", "pdf"):
        raise RiskzonesError(_("{path}: the report is PDF or HTML; name the file .pdf or .html", path=path))
    return fmt


def _write_atomic(path: Path, text: str) -> None:
    with staged(path) as staging:
        staging.write_text(text, encoding="utf-8")


def _batch_dask(args: argparse.Namespace) -> int:
    from geo.batch.cluster import DaskOptions, run_dask_batch
    from service.cli.stored import served_alerts

    if args.district:
        raise RiskzonesError(_("--district is not available with --engine dask yet; use --engine local"))
    options = DaskOptions(
        lat_col=args.lat_col,
        lon_col=args.lon_col,
        date=args.date,
        skip_invalid=args.skip_invalid,
        scheduler=args.scheduler,
        workers=args.workers,
        partitions=args.partitions,
        pack=str(args.pack) if args.pack else None,
        alerts=None if args.no_alerts else served_alerts(args.alerts_from),
    )

    def show(futures: object) -> None:
        if sys.stderr.isatty():
            from dask.distributed import progress

            progress(futures)

    from geo.batch.rows import count_lines, skipped_line  # pandas: only for batches

    summary = run_dask_batch(args.input, args.output, options, progress=show)
    if args.json:
        print(json.dumps(summary))
    else:
        lines = [
            _(
                "wrote {path} ({partitions} partitions, {workers} Dask workers)",
                path=args.output,
                partitions=summary["partitions"],
                workers=summary["workers"],
            )
        ]
        lines += count_lines({int(k): v for k, v in summary["by_level"].items()}, summary["not_covered"])
        if summary["skipped"]:
            lines.append(skipped_line(summary["skipped"], summary["skipped_rows"]))
        print("\n".join(lines))
    return EXIT_LEVEL4 if summary["by_level"].get(4) else EXIT_OK


def _zones(args: argparse.Namespace) -> int:
    if args.zones_command == "export":
        return _zones_export(args)
    return _zones_diff(args) if args.zones_command == "diff" else _zones_build(args)


def _zones_export(args: argparse.Namespace) -> int:
    from geo.exports.gis import export_zones  # pandas and GDAL: only for exports
    from geo.pack import load_pack

    pack = load_pack(args.pack) if args.pack else default_index().pack
    done = export_zones(pack, args.output, source=args.source, date=args.date, in_force=args.in_force)
    print(
        _(
            "wrote {path}: {count} zones as {format}, statuses on {date}",
            path=done.path,
            count=done.zones,
            format=done.format,
            date=done.date,
        )
    )
    return EXIT_OK


def _zones_diff(args: argparse.Namespace) -> int:
    from geo.build.impact import answer_changes
    from geo.pack import load_pack
    from geo.pack.changes import diff_packs

    old, new = load_pack(args.old), load_pack(args.new)
    diff = diff_packs(old, new)
    answers = answer_changes(old, new, diff)
    if args.json:
        print(json.dumps({**diff.as_json(), **answers.as_json()}, ensure_ascii=False, indent=1))
    else:
        print(diff.report() + ("" if diff.empty else "\n" + answers.report()))
    return EXIT_OK if diff.empty else EXIT_CHANGED


def _zones_build(args: argparse.Namespace) -> int:
    from geo.build import build_pack
    from geo.build.sources import DEFAULT_DEFINITIONS

    sources = args.sources or DEFAULT_DEFINITIONS
    if not sources.is_dir():
        raise RiskzonesError(
            _(
                "--sources {path}: not a directory; pass the definitions directory (the one holding "
                "advisories/, decrees/, zones/ and boundaries/)",
                path=sources,
            )
        )
    build_pack(sources, args.out, outline=args.outline, log=lambda line: print(line, flush=True))
    return EXIT_OK


def _sources(args: argparse.Namespace) -> int:
    from geo.build import watch
    from geo.build.sources import DEFAULT_DEFINITIONS

    definitions = args.sources or DEFAULT_DEFINITIONS
    watch.check_definitions_dir(definitions)
    if args.mirror and not args.fetch:
        raise RiskzonesError(_("--mirror reads recorded pages for --fetch; add --fetch or drop --mirror"))
    if args.archive is not None:
        if not (args.archive / ".git").exists():
            raise RiskzonesError(
                _(
                    "--archive {path}: not a git clone; clone the archive the definitions cite",
                    path=args.archive,
                )
            )
        read = watch.archive_reader(args.archive)
    else:
        read = watch.url_reader(today("America/Lima"), args.mirror)
    checks = watch.check_sources(definitions, read, decrees=args.fetch)
    moved = watch.write_verified(definitions, checks) if args.write else []
    if args.json:
        print(json.dumps([_text_json(c) for c in checks], ensure_ascii=False, indent=1))
    else:
        print(_sources_report(checks, moved, definitions))
    return watch.exit_code(checks)


def _text_json(check: Any) -> dict[str, Any]:
    return {
        "government": check.government,
        "version": check.version,
        "verified_on": check.verified_on,
        "status": check.status,
        "seen_on": check.seen_on,
        "pages": [
            {
                "url": p.url,
                "archive": p.archive,
                "status": p.status,
                "seen_on": p.seen_on,
                "seen_in": p.seen_in,
                "reason": p.reason,
                "missing": [{"zone": zone, "quote": quote} for zone, quote in p.missing],
                "diffs": list(p.diffs),
            }
            for p in check.pages
        ],
    }


def _sources_report(checks: list[Any], moved: list[Any], definitions: Path) -> str:
    lines = []
    for check in checks:
        confirmed = check.verified_on or _("never")
        head = (
            f"{check.government} text of {check.version} (last confirmed current {confirmed}): {check.status}"
        )
        if check.is_decree:
            head = f"pe decree {check.version} (the newest of its chain): {check.status}"
        if check.status == "unchanged":
            head += f", seen {check.seen_on}"
        lines.append(head)
        for page in check.pages:
            where = page.archive.partition(":")[2] or page.url
            if page.status == "unreachable":
                lines.append(f"  {where}: unreachable: {page.reason}")
            elif page.status == "changed":
                lines.append(
                    f"  {where}: {len(page.missing)} quoted passage(s) not found (seen {page.seen_on})"
                )
                for (zone, quote), diff in zip(page.missing, page.diffs, strict=True):
                    lines.append(f'    zone {zone}: "{quote}"')
                    lines.extend(f"      {line}" for line in diff.splitlines())
    for check in moved:
        lines.append(
            f"recorded verified_on {check.seen_on} for {check.government} text of {check.version} "
            f"in {definitions / 'advisories' / 'verified.csv'}; rebuild the pack with make zones"
        )
    return "\n".join(lines)


def _serve(args: argparse.Namespace) -> int:
    os.environ.update(
        RISKZONES_HOST=args.host, RISKZONES_PORT=str(args.port), RISKZONES_WORKERS=str(args.workers)
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    argv = [str(gunicorn), "--config", "python:service.gunicorn_conf", "service.wsgi:served_app()"]
    os.execv(argv[0], argv)
    return EXIT_OK  # pragma: no cover - execv does not return


def _keys(args: argparse.Namespace) -> int:
    from service.cli.stored import run_keys

    return run_keys(args)


def _watches(args: argparse.Namespace) -> int:
    from service.cli.stored import run_watches

    return run_watches(args)


def _alerts(args: argparse.Namespace) -> int:
    from service.cli.stored import run_alerts

    return run_alerts(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    language = asked_language(argv)
    with speaking(language):
        args = build_parser().parse_args(argv)
    handlers = {
        "zones": _zones,
        "sources": _sources,
        "serve": _serve,
        "check": _check,
        "batch": _batch,
        "route": _route,
        "itinerary": _itinerary,
        "map": _map,
        "keys": _keys,
        "alerts": _alerts,
        "watches": _watches,
    }
    try:
        with speaking(language):
            return handlers[args.command](args)
    except AmbiguousPlaceError as error:
        print(f"riskzones: error: {error}", file=sys.stderr)
        for place in error.candidates:
            print(
                f"  {place.name}, {place.district}, {place.province}, {place.department}",
                file=sys.stderr,
            )
        return EXIT_BAD_INPUT
    except RiskzonesError as error:
        print(f"riskzones: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
