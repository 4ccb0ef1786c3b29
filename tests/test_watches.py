"""Watches: saved trips re-checked when an alert near them changes, notified by signed
webhooks through an outbox that survives a killed deliverer; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.store import create_key
from service.store.models import OutboxRow
from service.watches.delivery import check_target, deliver_due, sign
from tests.clock import Clock
from tests.conftest import assert_problem, stored_app
from tests.test_alerts import ALERT, ICA, STARTS

RISKZONES = str(Path(sys.executable).with_name("riskzones"))
TRIP = {
    "stops": [
        {"place": "Lima", "date": "2026-12-01"},
        {"lon": ICA[0], "lat": ICA[1], "name": "Ica", "date": "2026-12-02"},
    ]
}


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The clock, the day before the blockade near Ica starts: the trip and the alert lie ahead
    (a watch re-checks only what has not happened yet)."""
    return Clock(monkeypatch, STARTS - dt.timedelta(days=1))


class Receiver:
    """A webhook receiver on 127.0.0.1: records each POST; fails the first ``failures`` ones."""

    def __init__(self, failures: int = 0, delay_s: float = 0.0) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.failures = failures
        self.delay_s = delay_s
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request (a killed deliverer): not received
                    return
                time.sleep(outer.delay_s)
                outer.received.append((dict(self.headers), body))
                failing = len(outer.received) <= outer.failures
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def watch_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    # Development mode: the receiver is on 127.0.0.1 over http.
    yield from stored_app(request, tmp_path_factory, WEBHOOKS_ALLOW_PRIVATE=True)


@pytest.fixture
def api(watch_app: Flask) -> FlaskClient:
    return watch_app.test_client()


def _key(app: Flask, scope: str) -> dict[str, str]:
    key, _ = create_key(app.extensions["riskzones"].alerts.store, scope, "test")
    return {"Authorization": f"Bearer {key}"}


def _store(app: Flask) -> Any:
    return app.extensions["riskzones"].alerts.store


def test_a_watch_is_notified_when_an_alert_near_it_changes(
    watch_app: Flask, api: FlaskClient, receiver: Receiver
) -> None:
    watcher, publisher = _key(watch_app, "watches"), _key(watch_app, "alerts")
    created = api.post("/v1/watches", json={"itinerary": TRIP, "callback_url": receiver.url}, headers=watcher)
    assert created.status_code == 201, created.get_data(as_text=True)
    watch = created.get_json()
    assert watch["answer"]["stops"][1]["check"]["level"] == 2 and len(watch["secret"]) == 64
    # An alert far away (Puno) re-checks nothing: the spatial filter.
    puno = {**ALERT, "point": [-70.02, -15.84]}
    far = api.post("/v1/alerts", json=puno, headers=publisher).get_json()
    assert far["watches"]["rechecked"] == 0
    # An alert on the trip's stop on its date raises it: one notification queued.
    near = api.post("/v1/alerts", json=ALERT, headers=publisher).get_json()
    assert near["watches"]["rechecked"] >= 1 and near["watches"]["notified"] >= 1
    assert deliver_due(_store(watch_app), allow_private=True) >= 1
    headers, body = receiver.received[-1]
    # The signature verifies with the secret, over the timestamp and the body as sent.
    expected = sign(watch["secret"], headers["X-Riskzones-Timestamp"], body)
    assert hmac.compare_digest(headers["X-Riskzones-Signature"], expected)
    message = json.loads(body)
    assert message["idempotency_key"] == headers["X-Riskzones-Delivery"] == headers["Idempotency-Key"]
    assert message["watch"] == watch["id"] and message["event"] == {
        "kind": "alert-published",
        "ref": near["id"],
    }
    stop = next(c for c in message["changed"] if c["where"].startswith("stop 2"))
    assert (
        stop["before"]["level"] == 2
        and stop["after"]["level"] == 3
        and [a["id"] for a in stop["after"]["alerts"]] == [near["id"]]
    )
    # Ending the alert changes the trip back: notified again.
    ended = api.post(f"/v1/alerts/{near['id']}/end", headers=publisher).get_json()
    assert ended["watches"]["notified"] >= 1
    deliver_due(_store(watch_app), allow_private=True)
    shown = api.get(f"/v1/watches/{watch['id']}", headers=watcher).get_json()
    assert len(shown["notifications"]) == 2 and all(n["delivered_at"] for n in shown["notifications"])
    assert shown["answer"]["stops"][1]["check"]["alerts"] == []


def test_an_alert_in_bolivia_reaches_a_watched_trip_that_crosses_it(
    watch_app: Flask, api: FlaskClient, receiver: Receiver
) -> None:
    watcher, publisher = _key(watch_app, "watches"), _key(watch_app, "alerts")
    trip = {
        "stops": [
            {"place": "Puno", "date": "2026-12-01"},
            {"lat": -16.5, "lon": -68.15, "name": "La Paz", "date": "2026-12-02"},
        ],
        "legs": [{"mode": "road"}],
    }
    created = api.post("/v1/watches", json={"itinerary": trip, "callback_url": receiver.url}, headers=watcher)
    assert created.status_code == 201, created.get_data(as_text=True)
    watch = created.get_json()
    la_paz = watch["answer"]["stops"][1]["check"]
    assert la_paz["country"] == "BOL" and la_paz["alerts"] == []
    # A blockade in La Paz on the stop's day: published (Bolivia is served) and the watch told.
    alert = {**ALERT, "point": [-68.15, -16.5], "summary": "Blockade in La Paz"}
    published = api.post("/v1/alerts", json=alert, headers=publisher)
    assert published.status_code == 201, published.get_data(as_text=True)
    assert published.get_json()["watches"]["notified"] >= 1
    assert deliver_due(_store(watch_app), allow_private=True) >= 1
    message = json.loads(receiver.received[-1][1])
    stop = next(c for c in message["changed"] if c["where"].startswith("stop 2"))
    assert stop["after"]["level"] == 3 and [a["id"] for a in stop["after"]["alerts"]] == [
        published.get_json()["id"]
    ]


def test_another_keys_watch_is_not_found(watch_app: Flask, api: FlaskClient, receiver: Receiver) -> None:
    mine, theirs = _key(watch_app, "watches"), _key(watch_app, "watches")
    watch_id = api.post(
        "/v1/watches", json={"itinerary": TRIP, "callback_url": receiver.url}, headers=mine
    ).get_json()["id"]
    for method, path in (("get", ""), ("delete", ""), ("post", "/recheck")):
        response = getattr(api, method)(f"/v1/watches/{watch_id}{path}", headers=theirs)
        assert_problem(response, 404, "no watch")  # 404, as for no watch: nothing leaks
    assert watch_id not in [w["id"] for w in api.get("/v1/watches", headers=theirs).get_json()["watches"]]
    assert_problem(
        api.post("/v1/watches", json={"itinerary": TRIP, "callback_url": receiver.url}), 401, "API key"
    )
    assert api.delete(f"/v1/watches/{watch_id}", headers=mine).status_code == 204


def test_failed_deliveries_are_retried_with_backoff(watch_app: Flask, api: FlaskClient, clock: Clock) -> None:
    flaky = Receiver(failures=1)
    try:
        watcher, publisher = _key(watch_app, "watches"), _key(watch_app, "alerts")
        watch = api.post(
            "/v1/watches", json={"itinerary": TRIP, "callback_url": flaky.url}, headers=watcher
        ).get_json()
        alert = api.post("/v1/alerts", json=ALERT, headers=publisher).get_json()
        store = _store(watch_app)
        assert deliver_due(store, allow_private=True) == 0  # the receiver answered 500
        assert deliver_due(store, allow_private=True) == 0  # not due yet: backing off
        clock.advance(dt.timedelta(seconds=6))
        assert deliver_due(store, allow_private=True) == 1
        history = api.get(f"/v1/watches/{watch['id']}", headers=watcher).get_json()["notifications"]
        attempts = history[0]["attempts"]
        assert [a["status"] for a in attempts] == [500, 204]
        keys = {json.loads(b)["idempotency_key"] for _, b in flaky.received}
        assert len(keys) == 1  # the retry carries the same idempotency key
        api.post(f"/v1/alerts/{alert['id']}/end", headers=publisher)
    finally:
        flaky.close()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://100.64.0.1/hook",
        "http://93.184.215.14/hook",  # public, but not https
        "ftp://example.org/hook",
    ],
)
def test_webhook_targets_outside_development_are_public_https_only(url: str) -> None:
    with pytest.raises(Exception) as caught:
        check_target(url, allow_private=False)
    assert getattr(caught.value, "field", None) == "callback_url"


def test_webhooks_to_private_addresses_are_refused_at_creation(
    watch_app: Flask, api: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(watch_app.config, "WEBHOOKS_ALLOW_PRIVATE", False)
    body = {"itinerary": TRIP, "callback_url": "https://169.254.169.254/latest/meta-data"}
    problem = assert_problem(
        api.post("/v1/watches", json=body, headers=_key(watch_app, "watches")), 422, "public addresses only"
    )
    assert problem["field"] == "callback_url"


def test_a_killed_deliverer_loses_no_notification(watch_app: Flask, api: FlaskClient, clock: Clock) -> None:
    slow = Receiver(delay_s=0.05)
    store = _store(watch_app)
    try:
        watcher, publisher = _key(watch_app, "watches"), _key(watch_app, "alerts")
        ids = [
            api.post(
                "/v1/watches", json={"itinerary": TRIP, "callback_url": slow.url}, headers=watcher
            ).get_json()["id"]
            for _ in range(20)
        ]
        alert = api.post("/v1/alerts", json=ALERT, headers=publisher).get_json()
        assert alert["watches"]["notified"] >= len(ids)
        with store.session() as session:  # this test's notifications (other tests' receivers are gone)
            rows = session.query(OutboxRow).filter(
                OutboxRow.watch_id.in_(ids), OutboxRow.delivered_at.is_(None)
            )
            queued = {r.idempotency_key for r in rows}
        assert len(queued) == len(ids)
        env = {  # the deliverers' clock starts where this test's is
            **clock.environment(),
            "RISKZONES_DATABASE_URL": str(store.engine.url.render_as_string(hide_password=False)),
        }
        command = [RISKZONES, "watches", "deliver", "--allow-private", "--interval", "0.05", "--hold", "1"]
        first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(slow.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)  # mid-run
        first.wait()
        assert len({json.loads(b)["idempotency_key"] for _, b in slow.received}) < len(queued)
        second = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if queued <= {json.loads(b)["idempotency_key"] for _, b in slow.received}:
                    break
                time.sleep(0.05)
        finally:
            second.terminate()
            second.wait(timeout=20)
        delivered = [json.loads(b)["idempotency_key"] for _, b in slow.received]
        assert queued <= set(delivered)  # every notification arrived, at least once
        api.post(f"/v1/alerts/{alert['id']}/end", headers=publisher)
        deliver_due(store, allow_private=True)
    finally:
        slow.close()


def test_signature_example_matches_the_documented_recipe() -> None:
    # The README's verification snippet, applied to a known body.
    secret, timestamp, body = "s3cret", "1764000000", b'{"watch":"wa_1"}'
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert sign(secret, timestamp, body) == f"v1={digest}"


def test_keys_are_rate_limited_each_on_its_own(tmp_path: Path) -> None:
    from service import create_app

    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}", "KEY_RATE_LIMIT": "2/minute"}
    )
    try:
        api = app.test_client()
        first, second = _key(app, "watches"), _key(app, "watches")
        assert [api.get("/v1/watches", headers=first).status_code for _ in range(3)] == [200, 200, 429]
        assert_problem(api.get("/v1/watches", headers=first), 429, "too many requests from this API key")
        assert api.get("/v1/watches", headers=second).status_code == 200  # its own count
        assert api.get("/v1/alerts").status_code == 200  # reading needs no key and is not counted
    finally:
        app.extensions["riskzones"].alerts.store.engine.dispose()


def test_an_alert_reaches_only_the_parts_it_touches(pack: Any) -> None:
    import datetime as dt

    from geo.trips.alert_body import alert_from_json
    from service.watches.summary import touched

    lima, ica = {"day": "2026-12-01", "point": [-77.03, -12.05]}, {"day": "2026-12-02", "point": list(ICA)}
    road = {"day": "2026-12-01", "line": [[-77.03, -12.05], list(ICA)]}  # the road leg, on the 1st
    flight = {"day": "2026-12-01"}
    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)

    def alert(**change: Any) -> Any:
        body = {**ALERT, **change}
        return alert_from_json(body, alert_id="a", publisher="p", coverage=pack.coverage, now=now)

    def reached(alerts: list[Any]) -> list[bool]:
        return touched([lima, ica, road, flight], alerts, pack.timezone, now).tolist()

    assert reached([alert()]) == [False, True, True, False]  # the Ica stop and the road ending there
    later = alert(starts="2026-12-05T00:00:00-05:00", ends="2026-12-06T00:00:00-05:00")
    assert reached([later]) == [False] * 4  # the right place, not on the trip's days
    east = alert(point=[-75.3, -12.9])  # inside the trip's envelope, off its stops and its road
    assert reached([east]) == [False] * 4
    middle = [(-77.03 + ICA[0]) / 2, (-12.05 + ICA[1]) / 2]
    on_road = alert(point=middle, starts="2026-12-01T00:00:00-05:00")
    assert reached([on_road]) == [False, False, True, False]
    assert reached([east, on_road]) == [False, False, True, False]  # before and after: either


def test_a_new_pack_rechecks_every_watch_once(watch_app: Flask, api: FlaskClient, receiver: Receiver) -> None:
    from service.store.alerts import pack_ref, record_pack
    from service.store.models import MetaRow
    from service.watches.recheck import recheck_for_pack

    served = watch_app.extensions["riskzones"]
    store = served.alerts.store
    watcher = _key(watch_app, "watches")
    api.post("/v1/watches", json={"itinerary": TRIP, "callback_url": receiver.url}, headers=watcher)
    recheck_for_pack(served)  # first sight of this pack: remembered, nothing re-checked
    assert recheck_for_pack(served) is None  # the watches were checked against this pack
    with store.session() as session:  # as if the watches had been checked against an older pack
        session.get(MetaRow, "watches_pack").value = pack_ref(served.pack.id, "2020-01-01")
    record_pack(store, served.pack.id, served.pack.version, served.pack.built)
    counts = recheck_for_pack(served)
    assert counts is not None and counts["rechecked"] >= 1  # every watch, on the pack served
    assert recheck_for_pack(served) is None  # once


CUSCO, ABANCAY, PUNO = (-71.9675, -13.532), (-72.881, -13.634), (-70.0199, -15.8402)
WATCHED = [
    {
        "itinerary": {
            "stops": [{"place": "Cusco", "date": "2026-12-02"}, {"place": "Abancay", "date": "2026-12-03"}]
        }
    },
    {
        "itinerary": {
            "stops": [
                {"place": "Lima", "date": "2026-12-01"},
                {"lon": CUSCO[0], "lat": CUSCO[1], "name": "Cusco", "date": "2026-12-02"},
                {"lon": PUNO[0], "lat": PUNO[1], "name": "Puno", "date": "2026-12-04"},
            ],
            "legs": [
                {"mode": "flight"},
                {
                    "mode": "road",
                    "route": {"type": "LineString", "coordinates": [list(CUSCO), [-71.0, -14.5], list(PUNO)]},
                },
            ],
        }
    },
    {
        "itinerary": {
            "stops": [
                {"place": "Abancay", "date": "2026-12-03"},
                {"place": "Cusco", "date": "2026-12-03"},
                {"place": "Ayacucho", "date": "2026-12-05"},
            ]
        }
    },
    {"route": {"type": "LineString", "coordinates": [list(ABANCAY), list(CUSCO)]}, "date": "2026-12-03"},
    {"route": {"type": "LineString", "coordinates": [list(CUSCO), [-71.5, -14.0]]}},  # no date: now
]


def test_alert_changes_recount_what_a_full_check_gives(
    watch_app: Flask, api: FlaskClient, receiver: Receiver, clock: Clock
) -> None:
    """After each alert change, every watch's stored summary (its alerts counted again on the
    parts the change touches) is the one a full check gives, and agrees with the answer."""
    from service.store.db import utcnow
    from service.watches.recheck import check_watch, run_watch
    from service.watches.store import get_watch

    clock.now = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)  # the undated route: now
    served = watch_app.extensions["riskzones"]
    secret, key_row = create_key(_store(watch_app), "watches", "test")
    watcher, publisher = {"Authorization": f"Bearer {secret}"}, _key(watch_app, "alerts")
    ids = []
    for body in WATCHED:
        created = api.post("/v1/watches", json={**body, "callback_url": receiver.url}, headers=watcher)
        assert created.status_code == 201, created.get_data(as_text=True)
        ids.append(created.get_json()["id"])
    window = {"starts": "2026-12-02T00:00:00-05:00", "ends": "2026-12-04T12:00:00-05:00"}
    circle = {**ALERT, **window, "point": list(CUSCO), "radius_km": 15, "level": 3}
    road = {
        **ALERT,
        **window,
        "level": 4,
        "line": {"type": "LineString", "coordinates": [list(ABANCAY), [-72.4, -13.55]]},
        "half_width_km": 5,
    }
    del road["point"], road["radius_km"]
    south = {**ALERT, **window, "point": [-71.0, -14.5], "radius_km": 20, "level": 2}
    published = [api.post("/v1/alerts", json=a, headers=publisher).get_json() for a in (circle, road, south)]
    assert all("id" in p for p in published), published
    events = [
        lambda: api.put(f"/v1/alerts/{published[0]['id']}", json={**circle, "level": 4}, headers=publisher),
        lambda: api.put(
            f"/v1/alerts/{published[0]['id']}", json={**circle, "point": list(PUNO)}, headers=publisher
        ),
        lambda: api.post(f"/v1/alerts/{published[1]['id']}/end", headers=publisher),
        lambda: api.post(f"/v1/alerts/{published[2]['id']}/end", headers=publisher),
    ]
    notified = 0
    for step, event in enumerate([lambda: None, *events]):
        answer = event()
        if answer is not None:
            assert answer.status_code == 200, answer.get_data(as_text=True)
            notified += answer.get_json()["watches"]["notified"]
        for watch_id in ids:
            row = get_watch(_store(watch_app), watch_id, key_row.id)
            _, full = check_watch(served, row.kind, row.request, 100, utcnow())
            assert row.summary == full, (step, watch_id)
            _agrees(row.kind, full, run_watch(served, row.kind, row.request, 100))
    assert notified >= len(events)  # the changes did reach the watches


def _agrees(kind: str, summary: dict[str, Any], answer: dict[str, Any]) -> None:
    """A summary says what the API's answer says: verdict, levels, zones, alerts."""

    def alerts(entry: dict[str, Any]) -> list[str]:
        return [a["id"] for a in entry["alerts"]]

    assert summary["overall"]["verdict"] == answer["verdict"]
    assert summary["overall"]["max_level"] == answer["max_level"]
    if kind == "route":
        assert alerts(summary["overall"]) == [a["id"] for a in answer["alerts"]]
        return
    entries = [v for k, v in summary.items() if k != "overall"]
    stops, legs = entries[: len(answer["stops"])], entries[len(answer["stops"]) :]
    for entry, stop in zip(stops, answer["stops"], strict=True):
        assert entry["level"] == stop["check"]["level"]
        assert alerts(entry) == [a["id"] for a in stop["check"]["alerts"]]
    for entry, leg in zip(legs, answer["legs"], strict=True):
        assert entry["verdict"] == leg["verdict"]
        if leg.get("route"):
            assert entry["max_level"] == leg["route"]["max_level"]
            assert alerts(entry) == [a["id"] for a in leg["route"]["alerts"]]


def test_the_command_line_adds_watches_and_its_alerts_reach_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.cli import main

    database = ["--database", f"sqlite:///{tmp_path / 'cli.db'}"]
    assert main(["keys", "create", "--scope", "watches", *database]) == 0
    key_id = capsys.readouterr().out.splitlines()[1].split()[1].rstrip(",")
    trip = tmp_path / "trip.json"
    trip.write_text(json.dumps({"itinerary": TRIP, "callback_url": "http://127.0.0.1:9/hook"}))
    add = ["watches", "add", str(trip), "--key-id", key_id, *database]
    assert main(add) == 2  # http to 127.0.0.1 outside development
    assert "callback_url" in capsys.readouterr().err
    assert main([*add, "--allow-private"]) == 0
    created = capsys.readouterr().out.split()
    watch_id, verdict = created[1], created[3]
    assert main(["watches", "add", str(trip), "--key-id", "key_nope", "--allow-private", *database]) == 2
    assert "--key-id 'key_nope' is not a live watches key" in capsys.readouterr().err
    trip.write_text(json.dumps({"itinerary": TRIP}))
    assert main([*add, "--allow-private"]) == 2
    assert "callback_url is required" in capsys.readouterr().err
    # An alert published or ended from the command line re-checks the watches it reaches.
    source = tmp_path / "alert.json"
    source.write_text(json.dumps(ALERT))
    assert main(["alerts", "add", str(source), *database]) == 0
    published = capsys.readouterr().out
    assert "re-checked 1 watches, 1 notifications queued" in published
    assert main(["alerts", "end", published.split()[1].rstrip(":"), *database]) == 0
    assert "re-checked 1 watches, 1 notifications queued" in capsys.readouterr().out
    assert main(["watches", "show", watch_id, *database]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert len(shown["notifications"]) == 2 and shown["summary"]["overall"]["verdict"] == verdict


def test_watches_saved_before_bases_were_kept_are_found_and_checked_in_full(tmp_path: Path) -> None:
    from sqlalchemy import select

    from service import create_app
    from service.store import Store
    from service.store.db import utcnow
    from service.store.models import WatchBoxRow, WatchRow
    from service.watches.recheck import check_watch
    from service.watches.store import get_watch

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store.open(url, migrate=False)
    old.upgrade("0004")  # the schema before watch_boxes
    _, owner = create_key(old, "watches", "old")
    lima = [-77.03, -12.05]
    parts = [
        {"day": "2026-12-01", "point": lima},
        {"day": "2026-12-02", "point": list(ICA)},
        {"day": "2026-12-01", "line": [lima, list(ICA)]},
    ]
    with old.session() as session:
        session.add(
            WatchRow(
                id="wa_old",
                key_id=owner.id,
                kind="itinerary",
                request={"itinerary": TRIP},
                callback_url="https://planner.example/hook",
                secret="s" * 64,
                minx=-77.03,
                miny=-14.07,
                maxx=-75.73,
                maxy=-12.05,
                summary={"overall": {"verdict": "caution", "max_level": 2, "reasons": []}},
                parts=parts,
                created_at=utcnow(),
                checked_at=utcnow(),
            )
        )
    old.engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "ALERTS_REFRESH_S": 0, "KEY_RATE_LIMIT": ""})
    try:
        store = _store(app)
        with store.session() as session:  # the upgrade gave each placed part its box and day
            found = session.execute(select(WatchBoxRow.day, WatchBoxRow.minx, WatchBoxRow.maxx)).all()
        assert sorted(found) == sorted(
            [("2026-12-01", -77.03, -77.03), ("2026-12-02", ICA[0], ICA[0]), ("2026-12-01", -77.03, ICA[0])]
        )
        published = app.test_client().post("/v1/alerts", json=ALERT, headers=_key(app, "alerts"))
        assert published.get_json()["watches"]["rechecked"] == 1
        row = get_watch(store, "wa_old", owner.id)
        assert all("base" in part for part in row.parts)  # checked in full, kept as watches now are
        served = app.extensions["riskzones"]
        assert row.summary == check_watch(served, row.kind, row.request, 100, utcnow())[1]
    finally:
        _store(app).engine.dispose()


def test_watch_summaries_do_not_depend_on_the_language_asked(
    watch_app: Flask, api: FlaskClient, receiver: Receiver
) -> None:
    # A watch made in Spanish is re-checked later by a deliverer or a request in English: its
    # stored summary must be the same in both, or every re-check would notify a change.
    from service.store.db import utcnow
    from service.watches.recheck import check_watch
    from service.watches.store import get_watch

    secret, owner = create_key(_store(watch_app), "watches", "test")
    route = {"type": "LineString", "coordinates": [[-74.22, -13.16], [-73.8, -12.5]]}  # into the VRAEM
    body = {"route": route, "date": "2026-12-03", "callback_url": receiver.url}
    created = api.post("/v1/watches?lang=es", json=body, headers={"Authorization": f"Bearer {secret}"})
    assert created.status_code == 201 and created.get_json()["answer"]["label"] == "No viajar"
    row = get_watch(_store(watch_app), created.get_json()["id"], owner.id)
    served = watch_app.extensions["riskzones"]
    assert row.summary == check_watch(served, row.kind, row.request, 100, utcnow())[1]
