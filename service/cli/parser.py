"""The ``riskzones`` command line's parser: every command and flag, its help in the run's
language, and argparse's own words and refusals said again in that language."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from geo.i18n import LANGUAGES, N_, _, best_language
from geo.io.formats import FORMATS
from service.cli.stored import add_store_commands

__all__ = ["EXIT_BAD_INPUT", "EXIT_CHANGED", "EXIT_LEVEL4", "EXIT_OK", "asked_language", "build_parser"]

EXIT_OK = 0


EXIT_BAD_INPUT = 2


#: ``zones diff``: the packs differ (as diff(1) says it).
EXIT_CHANGED = 1


#: A point or row reached level 4 (do not travel).
EXIT_LEVEL4 = 3


class _Formatter(argparse.HelpFormatter):
    """argparse's help, its own words ("usage:") in the language of the run."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose own words (section titles, -h, the error line) are in the
    language of the run; the parser is built inside ``speaking`` (``main``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        wants_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        # argparse names its two default groups itself; their titles are only set here.
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if wants_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=_("show this help message and exit"),
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = _("{prog}: error: {problem}", prog=self.prog, problem=_argparse_message(message))
        self.exit(EXIT_BAD_INPUT, said + "\n")


#: argparse's own refusals (Python 3.11 wording), read back into their parts and said again
#: in the language of the run; another message is shown as argparse wrote it.
_ARGPARSE_MESSAGES = (
    (
        re.compile(r"the following arguments are required: (?P<names>.+)"),
        N_("the following arguments are required: {names}"),
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), N_("unrecognized arguments: {names}")),
    (
        re.compile(
            r"argument (?P<argument>\S+): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)"
        ),
        N_("argument {argument}: invalid choice: {value} (choose from {choices})"),
    ),
    (
        re.compile(r"argument (?P<argument>\S+): expected one argument"),
        N_("argument {argument}: expected one argument"),
    ),
    (
        re.compile(r"argument (?P<argument>\S+): invalid (?P<kind>\S+) value: (?P<value>.+)"),
        N_("argument {argument}: invalid {kind} value: {value}"),
    ),
)


def _argparse_message(message: str) -> str:
    for pattern, wording in _ARGPARSE_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return _(wording, **found.groupdict())
    return message


def asked_language(argv: Sequence[str] | None) -> str:
    """The language of the run: ``--lang``, else the locale (LC_ALL, LC_MESSAGES, LANG)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(argv)
    if known.lang in LANGUAGES:
        return str(known.lang)
    locale = next((os.environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(k)), None)
    return best_language(locale)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="riskzones", description=_("Advisory risk zones of Peru: build, serve and check."))
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_("language of the texts in answers (default: from LC_ALL, LC_MESSAGES or LANG; else en)"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    zones = commands.add_parser("zones", help=_("zone-pack commands"))
    zone_commands = zones.add_subparsers(dest="zones_command", required=True, metavar="ACTION")
    build = zone_commands.add_parser(
        "build", help=_("derive the zone pack from the zone definitions and write it")
    )
    build.add_argument(
        "--sources",
        type=Path,
        default=None,
        help=_("definitions directory (default: geo/definitions of this checkout)"),
    )
    build.add_argument(
        "--outline",
        type=Path,
        default=Path("../shared/data/sources/geoperu-vraem/vraem_outline.geojson"),
        help=_(
            "PCM's VRAEM outline to check the legal VRAEM against, when the file exists "
            "(default: ../shared/data/sources/geoperu-vraem/vraem_outline.geojson)"
        ),
    )
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        help=_(
            "output root; the pack goes to OUT/pe and the README to OUT/README.md "
            "(default: the packaged geo/data)"
        ),
    )

    diff = zone_commands.add_parser(
        "diff",
        help=_("list zones added, removed and changed between two packs, and the answers that change"),
        description=_(
            "Zones added, removed and changed (name, level, source, dates, periods, "
            "area in km²) from pack OLD to pack NEW, the days on which answers change, and the "
            "named places whose level changes for any government, and the pack files whose "
            "content changed (the gazetteer, the base layer). Exit code 0 when nothing changed, 1 "
            "when a zone or a file did."
        ),
    )
    diff.add_argument("old", type=Path, help=_("the old pack directory (holding pack.json)"))
    diff.add_argument("new", type=Path, help=_("the new pack directory"))
    diff.add_argument("--json", action="store_true", help=_("print JSON instead of text"))

    sources = commands.add_parser("sources", help=_("zone-definition source commands"))
    source_commands = sources.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    watch = source_commands.add_parser(
        "check",
        help=_("check that each government's current text still reads as the definitions quote it"),
        description=_(
            "For each government's text in force, read every page its rules quote again (from a "
            "local clone of the git-scraping archive the definitions cite, or from the official "
            "URL) and look for every quoted passage. Each text is reported unchanged (with the "
            "day it was seen), changed (the passage, a diff against the page and the zones built "
            "from it) or unreachable. With --fetch, the newest decree of every chain of the "
            "ledger is read too, from each source it cites: the page must still name it. Exit "
            "code 0 when all are unchanged, 1 when one changed, 2 when none changed but a page "
            "could not be read."
        ),
    )
    where = watch.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--archive",
        type=Path,
        metavar="DIR",
        help=_(
            "a local git clone of the archive the definitions cite (e.g. marcolussetti/travel-advisories)"
        ),
    )
    where.add_argument(
        "--fetch", action="store_true", help=_("read the official URLs (timeouts, a user agent)")
    )
    watch.add_argument(
        "--mirror",
        metavar="URL",
        help=_("with --fetch: read MIRROR/<host><path> instead of each official URL (recorded pages)"),
    )
    watch.add_argument(
        "--write",
        action="store_true",
        help=_("record the day each unchanged text was seen as its verified_on (advisories/verified.csv)"),
    )
    watch.add_argument(
        "--sources",
        type=Path,
        default=None,
        help=_("definitions directory (default: geo/definitions of this checkout)"),
    )
    watch.add_argument("--json", action="store_true", help=_("print JSON instead of text"))

    export = zone_commands.add_parser(
        "export",
        help=_("write the zones as GeoPackage, FlatGeobuf, GeoParquet or KML"),
        description=_(
            "Write the pack's zones (or one source's) to OUT, the format by its extension: "
            ".gpkg (GeoPackage), .fgb (FlatGeobuf), .parquet (GeoParquet), .kml (KML, for Google "
            "Earth). Each zone is a feature with typed fields, its status on --date among them."
        ),
    )
    export.add_argument("output", type=Path, metavar="OUT", help=_("the file to write"))
    export.add_argument("--source", help=_("only this source's zones: us, uk, ca, au, pe or research"))
    export.add_argument("--date", help=_("statuses as of this date, YYYY-MM-DD (default: today in Lima)"))
    export.add_argument(
        "--in-force", action="store_true", help=_("only the zones in force (or unconfirmed) on --date")
    )
    export.add_argument("--pack", type=Path, help=_("zone-pack directory (default: the packaged Peru pack)"))

    check = commands.add_parser(
        "check",
        help=_("check one point"),
        description=_(
            "Check one point. Exit code 0, or 3 when the point is at level 4 "
            "(do not travel), or 2 on bad input."
        ),
    )
    check.add_argument("lat", help=_("latitude in decimal degrees (negative south), e.g. -12.5"))
    check.add_argument("lon", help=_("longitude in decimal degrees (negative west), e.g. -73.8"))
    _common(check)
    check.add_argument("--radius-km", default=25.0, help=_("report zones within this distance (default 25)"))

    batch = commands.add_parser(
        "batch",
        help=_("check a table of points (CSV, GeoJSON, GeoParquet)"),
        description=_(
            "Check every row of IN and write it with covered, level, label and zones "
            "to OUT (format from the extension: .csv, .geojson, .parquet). Exit code 0, or 3 when "
            "some row is at level 4, or 2 on bad input (nothing is written)."
        ),
    )
    batch.add_argument("input", type=Path, metavar="IN")
    batch.add_argument("output", type=Path, metavar="OUT")
    batch.add_argument("--lat-col", default="lat", help=_("latitude column (default lat)"))
    batch.add_argument("--lon-col", default="lon", help=_("longitude column (default lon)"))
    batch.add_argument(
        "--skip-invalid",
        action="store_true",
        help=_("leave out rows with bad coordinates (they are counted and listed) instead of stopping"),
    )
    batch.add_argument("--district", action="store_true", help=_("add the district ubigeo"))
    batch.add_argument(
        "--alerts-from",
        metavar="DATABASE",
        help=_(
            "the database whose alerts apply (SQLAlchemy URL; default RISKZONES_DATABASE_URL, "
            "else ./instance/riskzones.db when it exists); rows get an alerts column"
        ),
    )
    batch.add_argument("--no-alerts", action="store_true", help=_("zones only, no alerts"))
    batch.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help=_(
            "local: this process (CSV, GeoJSON, GeoParquet); dask: partitions on a Dask cluster "
            "(CSV or Parquet in; a partitioned .parquet dataset out)"
        ),
    )
    batch.add_argument(
        "--scheduler",
        help=_("with --engine dask: address of a running Dask scheduler (default: start a local cluster)"),
    )
    batch.add_argument(
        "--workers", type=int, default=2, help=_("with a local Dask cluster: worker processes")
    )
    batch.add_argument(
        "--partitions", type=int, help=_("with --engine dask: split the input into N partitions")
    )
    _common(batch)

    route = commands.add_parser(
        "route",
        help=_("check a route file (GPX, KML, GeoJSON, CSV waypoints)"),
        description=_(
            "Check a planned route. Exit code 0, or 3 when the route touches a level-4 "
            "zone (do not travel), or 2 on bad input."
        ),
    )
    route.add_argument("file", type=Path, help=_("route file; '-' reads standard input"))
    route.add_argument(
        "--format",
        choices=FORMATS,
        help=_(
            "a hint when the content cannot tell (the format is read from the content; "
            "default: the file name)"
        ),
    )
    route.add_argument("--corridor-km", type=float, default=0.0, help=_("zones within this distance count"))
    _common(route)

    itinerary = commands.add_parser(
        "itinerary",
        help=_("check an itinerary file (JSON, YAML, CSV or iCalendar)"),
        description=_(
            "Check an itinerary: stops with dates and the legs between them. Exit code 0, "
            "or 3 when something is at level 4, or 2 on bad input (ambiguous places included)."
        ),
    )
    itinerary.add_argument("file", type=Path)
    itinerary.add_argument(
        "--report",
        type=Path,
        metavar="OUT.pdf|OUT.html",
        help=_("also write the trip report, as PDF or HTML by the file's suffix"),
    )
    _common(itinerary)

    static_map = commands.add_parser(
        "map",
        help=_("write the risk map as one HTML file that opens offline"),
        description=_(
            "Write the risk map (zones, legend, layers, popups) as one self-contained HTML "
            "file: Leaflet and every style are inlined, so it opens offline and can be shared."
        ),
    )
    static_map.add_argument("output", type=Path, metavar="OUT.html")
    static_map.add_argument(
        "--date", help=_("zone statuses as of this date, YYYY-MM-DD (default: today in Lima)")
    )
    static_map.add_argument(
        "--pack", type=Path, help=_("zone-pack directory (default: the packaged Peru pack)")
    )

    add_store_commands(commands)
    serve = commands.add_parser("serve", help=_("serve the API and map with gunicorn"))
    serve.add_argument("--host", default=os.environ.get("RISKZONES_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("RISKZONES_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("RISKZONES_WORKERS", "2")))
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date", help=_("check on this date, YYYY-MM-DD (default: today in the pack's time zone, Lima)")
    )
    parser.add_argument(
        "--advisory",
        help=_(
            "whose advice sets the level: us (default), uk, ca or au; every government's own "
            "level is shown too"
        ),
    )
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    parser.add_argument("--pack", type=Path, help=_("zone-pack directory (default: the packaged Peru pack)"))
