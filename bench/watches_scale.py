"""Alerts and watches at scale (issue 14's targets), through the HTTP layer (Flask test client
for publishing; gunicorn and wrk for point checks under load).

1. 100,000 stored watches (itineraries of 3-6 stops in December 2026, road legs along the
   straight line): publishing one alert (10 km around Cusco, 2-4 December) finds the watches it
   can touch and re-checks them; the time of the POST and how many were re-checked. The
   itineraries are 400 distinct trips between places of the gazetteer, each stored 250 times
   (computing 100,000 distinct answers for the set-up alone would take half an hour); every
   stored watch is re-checked on its own.
2. `GET /v1/check` with 1,000 alerts applying on the day asked, against the bare-Flask ceiling
   (the same wrk run as bench/load.py).
3. 1,000 notifications to a receiver on 127.0.0.1 that fails half of the first attempts:
   time until all are delivered, attempts made, duplicates beyond what the idempotency key
   absorbs (a 2xx answered twice for one key).
"""

from __future__ import annotations

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
DISTINCT = 400
ALERTS = 1_000
NOTIFICATIONS = 1_000
CUSCO = (-71.9675, -13.5320)


def _trips(gazetteer: Any, rng: np.random.Generator) -> list[dict[str, Any]]:
    places = [p for p in gazetteer.places if (p.population or 0) >= 20_000]
    trips = []
    for _ in range(DISTINCT):
        count = int(rng.integers(3, 7))
        chosen = rng.choice(len(places), size=count, replace=False)
        if rng.random() < 0.3:  # a share of the trips go through Cusco
            chosen[int(rng.integers(0, count))] = next(k for k, p in enumerate(places) if p.name == "Cusco")
        stops = [
            {
                "lon": places[k].lon,
                "lat": places[k].lat,
                "name": places[k].name,
                "date": f"2026-12-{d + 1:02d}",
            }
            for d, k in enumerate(chosen)
        ]
        trips.append({"itinerary": {"stops": stops}})
    return trips


def _watches(url: str, watches: int = WATCHES) -> None:
    from sqlalchemy import insert

    from geo.gazetteer import Gazetteer
    from geo.index import default_index
    from geo.route import RouteChecker
    from service import create_app
    from service.answers import Engine
    from service.live import LiveAlerts
    from service.store import Store, create_key
    from service.store.db import utcnow
    from service.store.models import WatchRow
    from service.watching import envelope, run_watch, summarise, watch_parts

    store = Store.open(url)
    index = default_index()
    engine = Engine(
        index.pack, index, RouteChecker(index), Gazetteer.from_pack(index.pack), LiveAlerts(store, 0)
    )
    key_id = create_key(store, "watches", "bench")[1].id
    rng = np.random.default_rng(14)
    pool = []
    for request in _trips(engine.gazetteer, rng):
        answer = run_watch(engine, "itinerary", request, 100)
        parts = watch_parts("itinerary", request, answer)
        pool.append((request, summarise("itinerary", answer), parts, envelope(parts)))
    now = utcnow()
    rows = []
    for k in range(watches):
        request, summary, parts, (minx, miny, maxx, maxy) = pool[k % DISTINCT]
        rows.append(
            {
                "id": f"wa_{k:012x}",
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
    print(f"set-up: {DISTINCT} trips answered, {watches:,} watches to store", flush=True)
    with store.session() as session:
        session.execute(insert(WatchRow), rows)
    print("set-up: stored", flush=True)
    app = create_app({"DATABASE_URL": url, "ALERTS_REFRESH_S": 0, "KEY_RATE_LIMIT": ""})
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
    print(
        f"publish one alert with {watches:,} stored watches: {took:.2f} s (target <= 2 s); "
        f"{counts['rechecked']:,} re-checked, {counts['notified']:,} notifications queued",
        flush=True,
    )


def _alerts_load(url: str) -> None:
    from bench.load import BARE, measure
    from geo.alerts import alert_from_json
    from geo.index import default_index
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
    from service.delivery import deliver_due
    from service.store import Store, create_key
    from service.store.watches import create_watch, save_check

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
        _watches(f"sqlite:///{tmp}/watches.db")
        _alerts_load(f"sqlite:///{tmp}/alerts.db")
        _deliveries(f"sqlite:///{tmp}/deliveries.db")


if __name__ == "__main__":
    main()
