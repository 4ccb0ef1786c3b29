"""The ``riskzones`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.errors import RiskzonesError

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="riskzones", description="Advisory risk zones of Peru: build, serve and check."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    zones = commands.add_parser("zones", help="zone-pack commands")
    zone_commands = zones.add_subparsers(dest="zones_command", required=True, metavar="ACTION")
    build = zone_commands.add_parser(
        "build", help="derive the zone pack from the research sources and write it"
    )
    build.add_argument(
        "--sources",
        type=Path,
        default=Path("../shared/data"),
        help="research data directory (default: ../shared/data)",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output root; the pack goes to OUT/pe and the README to OUT/README.md "
        "(default: the packaged geo/data)",
    )

    serve = commands.add_parser("serve", help="serve the API and map with gunicorn")
    serve.add_argument("--host", default=os.environ.get("RISKZONES_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("RISKZONES_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("RISKZONES_WORKERS", "2")))
    return parser


def _zones_build(args: argparse.Namespace) -> int:
    from geo.build import build_pack

    if not args.sources.is_dir():
        raise RiskzonesError(
            f"--sources {args.sources}: not a directory; pass the research data directory "
            "(the one holding sources/ and zones/)"
        )
    build_pack(args.sources, args.out, log=lambda line: print(line, flush=True))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    os.environ.update(
        RISKZONES_HOST=args.host, RISKZONES_PORT=str(args.port), RISKZONES_WORKERS=str(args.workers)
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    argv = [str(gunicorn), "--config", "python:service.gunicorn_conf", "service:create_app()"]
    os.execv(argv[0], argv)
    return EXIT_OK  # pragma: no cover - execv does not return


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    handlers = {"zones": _zones_build, "serve": _serve}
    try:
        return handlers[args.command](args)
    except RiskzonesError as error:
        print(f"riskzones: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
