"""Alerts and watches at scale (issue 14's targets), through the HTTP layer (Flask test client
for publishing; gunicorn and wrk for point checks under load).

1. 100,000 stored watches (itineraries of 3-6 stops, one a day, road legs along the straight
   line, 30 % through Cusco): publishing one alert (10 km around Cusco, 2-4 December) finds
   the watches it can touch and re-checks them; the time of the POST and how many were
   re-checked and notified. Twice: trips starting on any day of the next six months (as
   stored watches are), and the worst case, every trip starting in the alert's week. The
   trips are 1,000 (400) distinct ones, each stored 100 (250) times: computing 100,000
   distinct answers for the set-up alone would take two hours; every stored watch is
   re-checked and notified on its own.
2. `GET /v1/check` with 1,000 alerts applying on the day asked, against the bare-Flask ceiling
   (the same wrk run as bench/load.py).
3. 1,000 notifications to a receiver on 127.0.0.1 that fails half of the first attempts:
   time until all are delivered, attempts made, duplicates beyond what the idempotency key
   absorbs (a 2xx answered twice for one key).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import shapely

WATCHES = 100_000
ALERTS = 1_000
NOTIFICATIONS = 1_000
CUSCO = (-71.9675, -13.5320)


def _trips(gazetteer: Any, rng: np.random.Generator, distinct: int, spread_days: int) -> list[dict[str, Any]]:
    """``distinct`` trips of 3-6 stops between towns of 20,000 people or more, 30 % of them
    through Cusco, one stop a day from a first day drawn from ``spread_days`` days after
    1 December 2026."""
    places = [p for p in gazetteer.places if (p.population or 0) >= 20_000]
    cusco = next(k for k, p in enumerate(places) if p.name == "Cusco")
    first = dt.date(2026, 12, 1)
    trips = []
    for _ in range(distinct):
        count = int(rng.integers(3, 7))
        chosen = rng.choice(len(places), size=count, replace=False)
        if rng.random() < 0.3 and cusco not in chosen:  # a share of the trips go through Cusco
            chosen[int(rng.integers(0, count))] = cusco
        start = first + dt.timedelta(days=int(rng.integers(0, spread_days)))
        stops = [
            {
                "lon": places[k].lon,
                "lat": places[k].lat,
                "name": places[k].name,
                "date": (start + dt.timedelta(days=d)).isoformat(),
            }
            for d, k in enumerate(chosen)
        ]
        trips.append({"itinerary": {"stops": stops}})
    return trips


def _watches(url: str, label: str, watches: int, distinct: int, spread_days: int) -> dict[str, Any]:
    """Store ``watches`` watches (``distinct`` trips, each stored as many times), publish one
    alert of 10 km around Cusco for three days through ``POST /v1/alerts``, and time it."""
    from sqlalchemy import insert

    from geo.engine.index import default_index, keep_for_process
    from geo.trips.gazetteer import Gazetteer
    from geo.trips.route import RouteChecker
    from service import create_app
    from service.answers import Engine
    from service.live import LiveAlerts
    from service.store import Store, create_key
    from service.store.db import utcnow
    from service.store.models import WatchBoxRow, WatchRow
    from service.watches.recheck import check_watch
    from service.watches.summary import boxes, envelope

    store = Store.open(url)
    index = default_index()
    engine = Engine(
        index.pack, index, RouteChecker(index), Gazetteer.from_pack(index.pack), LiveAlerts(store, 0)
    )
    key_id = create_key(store, "watches", "bench")[1].id
    rng = np.random.default_rng(14)
    now = utcnow()
    pool = []
    for request in _trips(engine.gazetteer, rng, distinct, spread_days):
        parts, summary = check_watch(engine, "itinerary", request, 100, now)
        pool.append((request, summary, parts, envelope(parts), boxes(parts)))
    rows, box_rows = [], []
    for k in range(watches):
        request, summary, parts, (minx, miny, maxx, maxy), found = pool[k % distinct]
        watch_id = f"wa_{k:012x}"
        rows.append(
            {
                "id": watch_id,
                "key_id": key_id,
                "kind": "itinerary",
                "request": request,
                "callback_url": "https://planner.example/hook",
                "secret": uuid.uuid4().hex,
                "minx": minx,
                "miny": miny,
                "maxx": maxx,
                "maxy": maxy,
                "summary": summary,
                "parts": parts,
                "created_at": now,
                "checked_at": now,
            }
        )
        box_rows += [
            {"watch_id": watch_id, "day": day, "minx": b[0], "miny": b[1], "maxx": b[2], "maxy": b[3]}
            for day, b in found
        ]
    with store.session() as session:
        session.execute(insert(WatchRow), rows)
        session.execute(insert(WatchBoxRow), box_rows)
    print(f"set-up ({label}): {distinct:,} trips checked, {watches:,} watches stored", flush=True)
    del rows, box_rows, pool  # the set-up's objects: a server holds none of them
    gc.collect()
    app = create_app({"DATABASE_URL": url, "ALERTS_REFRESH_S": 0, "KEY_RATE_LIMIT": ""})
    keep_for_process()  # as the server does once its app is built (service/gunicorn_conf.py)
    key, _ = create_key(app.extensions["riskzones"].alerts.store, "alerts", "bench")
    client = app.test_client()
    alert = {
        "category": "demonstration",
        "level": 3,
        "starts": "2026-12-02T00:00:00-05:00",
        "ends": "2026-12-05T00:00:00-05:00",
        "summary": "Demonstrations in Cusco",
        "source_url": "https://example.org/cusco",
        "point": list(CUSCO),
        "radius_km": 10,
    }
    start = time.perf_counter()
    response = client.post("/v1/alerts", json=alert, headers={"Authorization": f"Bearer {key}"})
    took = time.perf_counter() - start
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    counts = response.get_json()["watches"]
    with store.session() as session:
        from sqlalchemy import func, select

        from service.store.models import OutboxRow

        queued = session.scalar(select(func.count()).select_from(OutboxRow))
    print(
        f"publish one alert, {watches:,} stored watches ({label}): {took:.2f} s (target <= 2 s); "
        f"{counts['rechecked']:,} re-checked, {counts['notified']:,} notifications queued "
        f"({queued:,} in the outbox)",
        flush=True,
    )
    app.extensions["riskzones"].alerts.store.engine.dispose()
    store.engine.dispose()
    return {"seconds": took, **counts}


def _alerts_load(url: str) -> None:
    from bench.load import BARE, measure
    from geo.engine.index import default_index
    from geo.trips.alert_body import alert_from_json
    from service.store import Store
    from service.store.alerts import new_alert_id, publish_alert
    from service.store.db import utcnow

    store = Store.open(url)
    coverage = default_index().pack.coverage
    rng = np.random.default_rng(15)
    made = 0
    while made < ALERTS:
        lon, lat = rng.uniform(-81.3, -68.7), rng.uniform(-18.3, -0.1)
        if not coverage.contains(shapely.Point(lon, lat)):
            continue
        body = {
            "category": "blockade",
            "level": int(rng.integers(2, 5)),
            "starts": "2026-11-20T00:00:00-05:00",
            "ends": "2026-12-31T00:00:00-05:00",
            "summary": f"Bench alert {made}",
            "source_url": "https://example.org/bench",
            "point": [lon, lat],
            "radius_km": float(rng.uniform(5, 30)),
        }
        publish_alert(
            store,
            alert_from_json(
                body, alert_id=new_alert_id(), publisher="bench", coverage=coverage, now=utcnow()
            ),
            None,
        )
        made += 1
    label = "riskzones GET /v1/check, 1,000 alerts"
    results = measure(label, {"RISKZONES_DATABASE_URL": url})
    ratio = results[label]["rps"] / results[BARE]["rps"]
    print(f"with 1,000 alerts / bare ceiling: {ratio:.2f} (target >= 0.7)", flush=True)


def _deliveries(url: str) -> None:
    from service.store import Store, create_key
    from service.watches.delivery import deliver_due
    from service.watches.store import create_watch, save_check

    seen: dict[str, int] = {}
    ok: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            key = json.loads(body)["idempotency_key"]
            seen[key] = seen.get(key, 0) + 1
            fail = seen[key] == 1 and int(key, 16) % 2 == 0  # half of the first attempts
            self.send_response(503 if fail else 204)
            self.end_headers()
            if not fail:
                ok[key] = ok.get(key, 0) + 1

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = Store.open(url)
    watch = create_watch(
        store,
        key_id=create_key(store, "watches", "bench")[1].id,
        kind="itinerary",
        request={},
        callback_url=f"http://127.0.0.1:{server.server_address[1]}/hook",
        bounds=(0, 0, 0, 0),
        summary={},
        parts=[],
        boxes=[],
    )
    for k in range(NOTIFICATIONS):
        save_check(store, watch.id, {"n": k}, {"watch": watch.id, "changed": [{"n": k}]})
    start = time.perf_counter()
    delivered = 0
    while delivered < NOTIFICATIONS and time.perf_counter() - start < 120:
        delivered += deliver_due(store, allow_private=True, limit=NOTIFICATIONS)
        time.sleep(0.2)
    took = time.perf_counter() - start
    server.shutdown()
    server.server_close()
    duplicates = sum(1 for v in ok.values() if v > 1)
    print(
        f"{NOTIFICATIONS:,} notifications, half of the first attempts failing: {len(ok):,} delivered in "
        f"{took:.1f} s (the retries wait the 5 s backoff), {sum(seen.values()):,} attempts, "
        f"{duplicates} delivered twice (target: none lost)",
        flush=True,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # As stored watches are: trips starting on any day of the next six months.
        _watches(f"sqlite:///{tmp}/spread.db", "trips over six months", WATCHES, 1_000, 182)
        # The worst case: every trip in the alert's week, 30 % of them through Cusco.
        _watches(f"sqlite:///{tmp}/dense.db", "every trip in the alert's week", WATCHES, 400, 4)
        _alerts_load(f"sqlite:///{tmp}/alerts.db")
        _deliveries(f"sqlite:///{tmp}/deliveries.db")


if __name__ == "__main__":
    main()
