"""``riskzones keys`` and ``riskzones alerts``: the stored side of the command line.

The same validation and errors as the API (``geo.trips.alert_body.alert_from_json``); the database is
``--database``, else ``RISKZONES_DATABASE_URL``, else SQLite in ``RISKZONES_INSTANCE`` (default
``./instance``), the one the server uses.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from pathlib import Path
from typing import Any

from geo.errors import InputFormatError
from geo.i18n import _
from geo.trips.itinerary import MAX_STOPS

__all__ = ["add_store_commands", "run_alerts", "run_keys", "run_watches", "served_alerts"]


def add_store_commands(commands: Any) -> None:
    """The ``keys`` and ``alerts`` sub-commands on the top-level parser's ``commands``."""
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database",
        help=_(
            "SQLAlchemy URL of the database (default: RISKZONES_DATABASE_URL, else SQLite in "
            "RISKZONES_INSTANCE or ./instance)"
        ),
    )
    keys = commands.add_parser("keys", help=_("create, list and revoke API keys"))
    key_actions = keys.add_subparsers(dest="action", required=True)
    create = key_actions.add_parser("create", parents=[database], help=_("create a key (shown once)"))
    create.add_argument("--scope", required=True, choices=("alerts", "watches"))
    create.add_argument("--name", default="", help=_("who or what the key is for"))
    key_actions.add_parser("list", parents=[database], help=_("list keys (never the keys themselves)"))
    revoke = key_actions.add_parser("revoke", parents=[database], help=_("revoke a key by id"))
    revoke.add_argument("id")

    alerts = commands.add_parser("alerts", help=_("publish, list and end alerts"))
    alert_actions = alerts.add_subparsers(dest="action", required=True)
    add = alert_actions.add_parser(
        "add", parents=[database], help=_("publish an alert from a JSON file (as POST /v1/alerts)")
    )
    add.add_argument("file", type=Path, help=_("the alert as JSON; '-' reads standard input"))
    add.add_argument(
        "--pack", help=_("zone pack directory (its coverage bounds the alert; default: the packaged pack)")
    )
    listing = alert_actions.add_parser(
        "list", parents=[database], help=_("alerts not yet ended, or on --date")
    )
    listing.add_argument("--date", help=_("alerts applying on this day (YYYY-MM-DD)"))
    listing.add_argument("--json", action="store_true", help=_("GeoJSON instead of lines"))
    watches = commands.add_parser(
        "watches", help=_("saved trips: add, list, show, re-check, deliver notifications")
    )
    watch_actions = watches.add_subparsers(dest="action", required=True)
    add_watch = watch_actions.add_parser(
        "add",
        parents=[database],
        help=_("save a route or itinerary as a watch from a JSON file (as POST /v1/watches)"),
    )
    add_watch.add_argument(
        "file",
        type=Path,
        help=_(
            'the watch as JSON: {"itinerary": ...} or {"route": ...}, with "callback_url" '
            "('-' reads standard input)"
        ),
    )
    add_watch.add_argument(
        "--key-id", required=True, help=_("the live watches key that owns it (`riskzones keys list`)")
    )
    add_watch.add_argument("--pack", help=_("zone pack directory (default: the packaged pack)"))
    add_watch.add_argument(
        "--allow-private",
        action="store_true",
        help=_("development only: an http:// or private callback address"),
    )
    listing_watches = watch_actions.add_parser(
        "list", parents=[database], help=_("every watch (or of --key-id)")
    )
    listing_watches.add_argument("--key-id", help=_("only the watches of this key id"))
    show = watch_actions.add_parser("show", parents=[database], help=_("a watch and its notifications"))
    show.add_argument("id")
    recheck = watch_actions.add_parser("recheck", parents=[database], help=_("re-check watches now"))
    recheck.add_argument("id", nargs="?", help=_("one watch (default: every watch)"))
    recheck.add_argument("--pack", help=_("zone pack directory (default: the packaged pack)"))
    deliver = watch_actions.add_parser(
        "deliver", parents=[database], help=_("deliver queued notifications (runs until stopped)")
    )
    deliver.add_argument("--once", action="store_true", help=_("one round, then exit"))
    deliver.add_argument(
        "--allow-private",
        action="store_true",
        help=_(
            "development only: allow http:// and loopback or private callback addresses "
            "(`riskzones serve` passes it when RISKZONES_WEBHOOKS_ALLOW_PRIVATE is set)"
        ),
    )
    deliver.add_argument("--interval", type=float, default=1.0, help=_("seconds between rounds (default 1)"))
    deliver.add_argument(
        "--hold",
        type=float,
        default=30.0,
        help=_("seconds a notification taken by this deliverer is held from others (default 30)"),
    )
    end = alert_actions.add_parser("end", parents=[database], help=_("end an alert now (or --at)"))
    end.add_argument("id")
    end.add_argument("--at", help=_("when it ends (ISO 8601 with a time zone); default now"))
    end.add_argument("--pack", help=_("zone pack directory (default: the packaged pack)"))


def served_alerts(database: str | None) -> Any:
    """The alerts a server on ``database`` serves (``geo.trips.alerts.AlertLayer``), for a batch; None
    when no database is named and the default one does not exist (nothing is created)."""
    from geo.trips.alerts import AlertLayer
    from service.store import Store
    from service.store.alerts import load_alerts
    from service.store.db import existing_url

    url = database or existing_url()
    if url is None:
        return None

    return AlertLayer(load_alerts(Store.open(url)))


def _store(args: argparse.Namespace) -> Any:
    from service.store import Store, default_url

    return Store.open(args.database or default_url())


def run_keys(args: argparse.Namespace) -> int:
    from service.store import create_key, list_keys, revoke_key

    store = _store(args)
    if args.action == "create":
        key, info = create_key(store, args.scope, args.name)
        print(key)
        print(
            _(
                "id {id}, scope {scope}: shown once, keep it now (only its digest is stored)",
                id=info.id,
                scope=info.scope,
            )
        )
    elif args.action == "list":
        for info in list_keys(store):
            state = f"revoked {info.revoked_at}" if info.revoked_at else "live"
            print(f"{info.id}  {info.scope:<8} {state:<40} {info.name}")
    else:
        info = revoke_key(store, args.id)
        print(_("{id} revoked at {at}", id=info.id, at=info.revoked_at))
    return 0


def run_alerts(args: argparse.Namespace) -> int:
    from geo import dates
    from geo.dates import parse_instant
    from geo.io.documents import parse_json
    from geo.pack import load_default_pack
    from geo.trips.alert_body import alert_from_json
    from geo.trips.alerts import asked_moment
    from service.store.alerts import end_alert, get_alert, load_alerts, new_alert_id, not_ended, publish_alert
    from service.watches.recheck import recheck_near

    store = _store(args)
    if args.action == "add":
        engine = _engine(store, args.pack)
        raw = Path("/dev/stdin").read_bytes() if str(args.file) == "-" else _read(args.file)
        alert = alert_from_json(
            parse_json(raw),
            alert_id=new_alert_id(),
            publisher="riskzones CLI",
            coverage=engine.region.coverage,
            now=dates.utc_now(),
        )
        publish_alert(store, alert, None)
        span = f"{alert.starts.isoformat()} to {alert.ends.isoformat()}"
        print(
            _(
                "published {id}: {category}, level {level}, {span}",
                id=alert.id,
                category=alert.category,
                level=alert.level,
                span=span,
            )
        )
        _rechecked(recheck_near(engine, [alert], {"kind": "alert-published", "ref": alert.id}, MAX_STOPS))
        return 0
    if args.action == "end":
        at = parse_instant(args.at, "--at") if args.at else None
        engine = _engine(store, args.pack)
        before = get_alert(store, args.id)
        alert = end_alert(store, args.id, None, at)
        print(_("{id} ends {ends}", id=alert.id, ends=alert.ends.isoformat()))
        _rechecked(recheck_near(engine, [before, alert], {"kind": "alert-ended", "ref": alert.id}, MAX_STOPS))
        return 0
    pack = load_default_pack()
    now = dates.utc_now()
    if args.date:
        when = asked_moment(args.date, pack.timezone, now)
        window = (when.start, when.stop)
    else:
        window = not_ended(now)
    alerts = load_alerts(store, window=window)
    if args.json:
        print(
            json.dumps({"type": "FeatureCollection", "features": [a.feature(pack.timezone) for a in alerts]})
        )
    else:
        for a in alerts:
            span = f"{a.starts.isoformat()} .. {a.ends.isoformat()}"
            print(f"{a.id}  level {a.level}  {a.category:<14} {span}  {a.summary}")
        if not alerts:
            print(_("no alerts"))
    return 0


def run_watches(args: argparse.Namespace) -> int:
    import signal
    import threading

    from service.store.models import WatchRow
    from service.watches.delivery import deliver_due, run_deliverer
    from service.watches.store import history, watches_near

    store = _store(args)
    if args.action == "add":
        return _add_watch(store, args)
    if args.action == "deliver":
        if args.once:
            delivered = deliver_due(store, allow_private=args.allow_private, hold_s=args.hold)
            print(_("delivered {count}", count=delivered))
            return 0
        from service.watches.recheck import recheck_for_pack

        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        engine = _engine(store, os.environ.get("RISKZONES_PACK") or None)
        with contextlib.suppress(KeyboardInterrupt):
            run_deliverer(
                store,
                stop,
                allow_private=args.allow_private,
                interval_s=args.interval,
                hold_s=args.hold,
                every_minute=lambda: recheck_for_pack(engine),
            )
        return 0
    rows: list[WatchRow] = watches_near(store, None)
    if args.action == "list":
        for row in rows:
            if args.key_id is None or row.key_id == args.key_id:
                verdict = row.summary.get("overall", {}).get("verdict")
                print(f"{row.id}  {row.kind:<9} {verdict or '-':<15} {row.key_id}  {row.callback_url}")
        return 0
    if args.action == "show":
        found = next((r for r in rows if r.id == args.id), None)
        if found is None:
            raise _no_watch(args.id)
        print(
            json.dumps(
                {
                    "id": found.id,
                    "kind": found.kind,
                    "summary": found.summary,
                    "notifications": history(store, found.id),
                },
                indent=2,
            )
        )
        return 0
    from service.watches.recheck import recheck

    chosen = [r for r in rows if args.id in (None, r.id)]
    if args.id and not chosen:
        raise _no_watch(args.id)
    _rechecked(
        recheck(_engine(store, args.pack), chosen, {"kind": "recheck", "ref": args.id or "all"}, MAX_STOPS)
    )
    return 0


def _no_watch(watch_id: str) -> InputFormatError:
    return InputFormatError(
        _("no watch {id}; `riskzones watches list` shows the ids", id=repr(watch_id)), field="id"
    )


def _rechecked(counts: dict[str, int]) -> None:
    print(
        _(
            "re-checked {watches} watches, {notified} notifications queued",
            watches=counts["rechecked"],
            notified=counts["notified"],
        )
    )


def _add_watch(store: Any, args: argparse.Namespace) -> int:
    from geo.io.documents import parse_json
    from service.store import list_keys
    from service.watches.recheck import new_watch

    owner = next((k for k in list_keys(store) if k.id == args.key_id), None)
    if owner is None or owner.revoked_at is not None or owner.scope != "watches":
        raise InputFormatError(
            _(
                "--key-id {id} is not a live watches key; `riskzones keys list` shows them, "
                "`riskzones keys create --scope watches` makes one",
                id=repr(args.key_id),
            ),
            field="key_id",
        )
    raw = Path("/dev/stdin").read_bytes() if str(args.file) == "-" else _read(args.file)
    row, answer = new_watch(
        _engine(store, args.pack),
        owner.id,
        parse_json(raw),
        allow_private=args.allow_private,
        max_stops=MAX_STOPS,
    )
    print(
        _(
            "watch {id} ({kind}): {verdict} now; notifications to {url}",
            id=row.id,
            kind=row.kind,
            verdict=answer["verdict"],
            url=row.callback_url,
        )
    )
    print(_("secret {secret}: shown once, the receiver verifies signatures with it", secret=row.secret))
    return 0


def _engine(store: Any, pack: str | None) -> Any:
    """What answers need, without the web app: index, routes, gazetteer, pack, alerts."""
    from geo.engine.region import default_region, region_from_paths
    from geo.trips.gazetteer import Gazetteer
    from geo.trips.region_routes import RegionRoutes
    from service.answers import Engine
    from service.live import LiveAlerts

    region = region_from_paths([pack]) if pack else default_region()
    index = region.home
    return Engine(
        pack=index.pack,
        index=index,
        region=region,
        routes=RegionRoutes(region),
        gazetteer=Gazetteer.of_packs([i.pack for i in region.indexes]),
        alerts=LiveAlerts(store, 0.0),
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFormatError(
            _("{path}: cannot be read ({reason})", path=path, reason=exc.strerror), field="file"
        ) from None
