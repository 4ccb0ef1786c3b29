"""Alerts: published with a key, applying only between starts and ends, raising the level
through the one rule; stored in SQLite and in PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import shapely
from flask import Flask
from flask.testing import FlaskClient

from geo.pack import ZonePack
from geo.spatial.nearby import GEOD
from geo.trips.alert_body import alert_from_json, circle, corridor
from geo.trips.alerts import AlertLayer, moment
from service.store import create_key, revoke_key
from tests.clock import Clock
from tests.conftest import assert_problem, stored_app

LIMA = dt.timezone(dt.timedelta(hours=-5))
STARTS = dt.datetime(2026, 12, 1, 8, 0, tzinfo=LIMA)
ENDS = dt.datetime(2026, 12, 3, 20, 0, tzinfo=LIMA)
# A blockade on the Panamericana Sur near Ica (outside every level-3/4 zone of the pack).
ICA = (-75.73, -14.07)
ALERT = {
    "category": "blockade",
    "level": 3,
    "starts": STARTS.isoformat(),
    "ends": ENDS.isoformat(),
    "summary": "Road blockade on the Panamericana Sur",
    "advice": ["Do not travel on this stretch", "Check local media"],
    "source_url": "https://example.org/blockade",
    "publisher": "Test desk",
    "point": list(ICA),
    "radius_km": 10,
}


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The clock, the day before the blockade starts (every test here is about its dates)."""
    return Clock(monkeypatch, STARTS - dt.timedelta(days=1))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def alerts_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a fresh database of each kind."""
    yield from stored_app(request, tmp_path_factory)


@pytest.fixture
def api(alerts_app: Flask) -> FlaskClient:
    return alerts_app.test_client()


def _key(app: Flask, scope: str = "alerts") -> dict[str, str]:
    key, _ = create_key(app.extensions["riskzones"].alerts.store, scope, "test")
    return {"Authorization": f"Bearer {key}"}


def _level(api: FlaskClient, lon: float, lat: float, **params: str) -> tuple[int, list[str]]:
    response = api.get("/v1/check", query_string={"lon": lon, "lat": lat, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    return body["level"], [a["id"] for a in body["alerts"]]


def test_publishing_needs_a_live_key_of_the_alerts_scope(alerts_app: Flask, api: FlaskClient) -> None:
    assert_problem(api.post("/v1/alerts", json=ALERT), 401, "API key")
    assert api.post("/v1/alerts", json=ALERT).headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(api.post("/v1/alerts", json=ALERT, headers=_key(alerts_app, "watches")), 403, "scope")
    headers = _key(alerts_app)
    created = api.post("/v1/alerts", json=ALERT, headers=headers)
    assert created.status_code == 201 and created.headers["Location"].startswith("/v1/alerts/al_")
    body = created.get_json()
    assert body["properties"]["starts"] == "2026-12-01T08:00:00-05:00"  # in the pack's zone
    assert body["properties"]["publisher"] == "Test desk"
    # A revoked key is refused like an unknown one.
    store = alerts_app.extensions["riskzones"].alerts.store
    key, info = create_key(store, "alerts", "to revoke")
    revoke_key(store, info.id)
    refused = api.post("/v1/alerts", json=ALERT, headers={"Authorization": f"Bearer {key}"})
    assert_problem(refused, 401, "unknown or revoked")


def test_an_alert_applies_from_starts_to_ends_only(alerts_app: Flask, api: FlaskClient, clock: Clock) -> None:
    # Its own window (January 2027), which no other test's alert overlaps.
    starts, ends = STARTS.replace(year=2027, month=1), ENDS.replace(year=2027, month=1)
    body = {**ALERT, "starts": starts.isoformat(), "ends": ends.isoformat()}
    alert_id = api.post("/v1/alerts", json=body, headers=_key(alerts_app)).get_json()["id"]
    base, _ = _level(api, *ICA, date="2026-11-20")
    assert base == 2
    clock.now = starts - dt.timedelta(microseconds=1)
    assert _level(api, *ICA) == (base, [])  # a future alert does not apply yet
    clock.now = starts
    assert _level(api, *ICA) == (3, [alert_id])  # from its first instant
    clock.now = ends - dt.timedelta(microseconds=1)
    assert _level(api, *ICA) == (3, [alert_id])
    clock.now = ends
    assert _level(api, *ICA) == (base, [])  # never once it has ended
    # Asked about days: the days its window overlaps.
    assert _level(api, *ICA, date="2026-12-31") == (base, [])
    assert _level(api, *ICA, date="2027-01-01")[1] == [alert_id]
    assert _level(api, *ICA, date="2027-01-03")[1] == [alert_id]
    assert _level(api, *ICA, date="2027-01-04") == (base, [])
    # Only inside its circle.
    assert _level(api, ICA[0] + 0.3, ICA[1], date="2027-01-02") == (base, [])


def test_ending_an_alert_and_other_keys(alerts_app: Flask, api: FlaskClient, clock: Clock) -> None:
    mine, theirs = _key(alerts_app), _key(alerts_app)
    alert_id = api.post("/v1/alerts", json=ALERT, headers=mine).get_json()["id"]
    clock.now = STARTS + dt.timedelta(hours=1)
    assert alert_id in _level(api, *ICA)[1]
    # Another key can neither end nor change it, and learns nothing: 404, as for no alert.
    assert_problem(api.post(f"/v1/alerts/{alert_id}/end", headers=theirs), 404, "no alert")
    assert_problem(api.put(f"/v1/alerts/{alert_id}", json=ALERT, headers=theirs), 404, "no alert")
    ended = api.post(f"/v1/alerts/{alert_id}/end", headers=mine)
    assert ended.status_code == 200 and ended.get_json()["properties"]["ended_early"] is True
    assert alert_id not in _level(api, *ICA)[1]
    assert api.get(f"/v1/alerts/{alert_id}").status_code == 200  # still readable
    assert_problem(api.get("/v1/alerts/al_0000"), 404, "no alert")


def test_a_future_alert_ended_before_it_starts_never_applies(
    alerts_app: Flask, api: FlaskClient, clock: Clock
) -> None:
    # Its own window (February 2027), which no other test's alert overlaps.
    starts, ends = STARTS.replace(year=2027, month=2), ENDS.replace(year=2027, month=2)
    body = {**ALERT, "starts": starts.isoformat(), "ends": ends.isoformat()}
    headers = _key(alerts_app)
    alert_id = api.post("/v1/alerts", json=body, headers=headers).get_json()["id"]
    assert _level(api, *ICA, date="2027-02-01")[1] == [alert_id]
    clock.now = starts - dt.timedelta(days=3)
    withdrawn = api.post(f"/v1/alerts/{alert_id}/end", headers=headers).get_json()
    assert withdrawn["properties"]["ends"] == withdrawn["properties"]["starts"]  # an empty window
    for day in ("2027-02-01", "2027-02-02"):  # the day it would have started on, and after
        assert alert_id not in _level(api, *ICA, date=day)[1]
    listed = api.get("/v1/alerts").get_json()  # not yet ended: it is not among them
    assert alert_id not in [f["id"] for f in listed["features"]]


def test_listing_filters_by_time_place_and_category(
    alerts_app: Flask, api: FlaskClient, clock: Clock
) -> None:
    headers = _key(alerts_app)
    near_ica = api.post("/v1/alerts", json=ALERT, headers=headers).get_json()["id"]
    puno = {
        **ALERT,
        "category": "demonstration",
        "point": [-70.02, -15.84],
        "starts": "2026-12-10T00:00:00-05:00",
        "ends": "2026-12-11T00:00:00-05:00",
    }
    in_puno = api.post("/v1/alerts", json=puno, headers=headers).get_json()["id"]

    def ids(**params: str) -> list[str]:
        response = api.get("/v1/alerts", query_string=params)
        assert response.status_code == 200 and response.mimetype == "application/geo+json"
        return [f["id"] for f in response.get_json()["features"]]

    assert {near_ica, in_puno} <= set(ids())  # not yet ended
    assert near_ica in ids(date="2026-12-02") and in_puno not in ids(date="2026-12-02")
    assert in_puno in ids(at="2026-12-10T12:00:00-05:00") and near_ica not in ids(
        at="2026-12-10T12:00:00-05:00"
    )
    assert in_puno in ids(bbox="-71,-16.5,-69,-15") and near_ica not in ids(bbox="-71,-16.5,-69,-15")
    assert in_puno in ids(category="demonstration") and near_ica not in ids(category="demonstration")
    assert_problem(api.get("/v1/alerts", query_string={"category": "riot"}), 400, "category must be one of")
    assert_problem(api.get("/v1/alerts", query_string={"at": "2026-12-10T12:00"}), 400, "time zone")


@pytest.mark.parametrize(
    ("change", "status", "field", "fragment"),
    [
        ({"ends": None}, 400, "ends", "ends is required"),
        ({"ends": "2026-11-30T00:00:00-05:00"}, 400, "ends", "must be after starts"),
        ({"starts": "2026-12-01T08:00:00"}, 400, "starts", "needs a time zone"),
        ({"level": 5}, 400, "level", "1 to 4"),
        ({"category": "riot"}, 400, "category", "one of"),
        ({"source_url": "ftp://x"}, 400, "source_url", "http(s) URL"),
        ({"point": [-3.7, 40.4]}, 422, "geometry", "outside every country served"),
        ({"radius_km": 0}, 400, "radius_km", "above 0"),
        (
            {
                "point": None,
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-76, -14], [-75, -13], [-76, -13], [-75, -14], [-76, -14]]],
                },
            },
            422,
            "geometry",
            "not a valid polygon",
        ),
        (
            {
                "point": None,
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-80, -18], [-69, -18], [-69, -1], [-80, -1], [-80, -18]]],
                },
            },
            422,
            "geometry",
            "km2, more than",
        ),
        (
            {
                "point": None,
                "line": {"type": "LineString", "coordinates": [[-76, -14]] * 10_001},
                "half_width_km": 1,
            },
            422,
            "line",
            "vertices",
        ),
        (
            {"line": {"type": "LineString", "coordinates": [[-76, -14], [-75, -13]]}},
            400,
            "geometry",
            "exactly one",
        ),
    ],
)
def test_bad_alerts_are_refused_naming_the_field(
    alerts_app: Flask, api: FlaskClient, change: dict[str, Any], status: int, field: str, fragment: str
) -> None:
    body = {k: v for k, v in {**ALERT, **change}.items() if v is not None}
    problem = assert_problem(api.post("/v1/alerts", json=body, headers=_key(alerts_app)), status, fragment)
    assert problem["field"] == field


def test_circles_and_corridors_hold_what_they_promise(pack: ZonePack) -> None:
    # Oracle: geodesic distances. Every point at most r from the centre is inside the circle,
    # and the circle reaches no further than 0.2 % beyond r.
    shape = circle(-75.0, -12.0, 20.0)
    lon, lat = -75.0, -12.0
    for azimuth in range(0, 360, 7):
        for fraction, inside in ((0.999, True), (1.003, False)):
            x, y, _ = GEOD.fwd(lon, lat, azimuth, 20_000 * fraction)
            assert shape.covers(shapely.Point(x, y)) is inside
    line = shapely.LineString([(-76.2, -13.4), (-75.9, -14.0)])
    band = corridor(line, 2.0)
    for t in (0.0, 0.3, 0.7, 1.0):
        px, py = line.interpolate(t, normalized=True).coords[0]
        for azimuth in (0, 60, 120, 240):
            x, y, _ = GEOD.fwd(px, py, azimuth, 1_990)
            assert band.covers(shapely.Point(x, y))


def test_the_alert_layer_decides_with_the_one_rule(pack: ZonePack) -> None:
    now = STARTS.astimezone(dt.UTC)
    alert = alert_from_json(ALERT, alert_id="a", publisher="p", coverage=pack.coverage, now=now)
    layer = AlertLayer([alert])
    zone = pack.timezone
    assert [a.id for a in layer.at_point(*ICA, moment(STARTS, zone))] == ["a"]
    assert layer.at_point(*ICA, moment(ENDS, zone)) == []
    levels, _ = layer.per_point(
        np.array([ICA[0], ICA[0] + 1]), np.array([ICA[1], ICA[1]]), moment(STARTS, zone)
    )
    assert levels.tolist() == [3, 0]


def test_the_feed_lists_packs_and_alert_changes_newest_first(alerts_app: Flask, api: FlaskClient) -> None:
    import feedparser

    headers = _key(alerts_app)
    alert_id = api.post("/v1/alerts", json=ALERT, headers=headers).get_json()["id"]
    api.post(f"/v1/alerts/{alert_id}/end", headers=headers)
    changes = api.get("/v1/changes").get_json()["changes"]
    kinds = [(c["kind"], c["ref"]) for c in changes]
    assert kinds.index(("alert-ended", alert_id)) < kinds.index(("alert-published", alert_id))
    assert any(kind == "pack" for kind, _ in kinds)
    assert next(c for c in changes if c["ref"] == alert_id)["link"] == f"/v1/alerts/{alert_id}"
    atom = api.get("/v1/changes.atom")
    assert atom.status_code == 200 and atom.mimetype == "application/atom+xml"
    feed = feedparser.parse(atom.get_data())
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed Atom
    assert feed.version == "atom10" and len(feed.entries) == len(changes)
    assert feed.entries[0].link.endswith(f"/v1/alerts/{alert_id}")  # newest first
    assert_problem(api.get("/v1/changes", query_string={"limit": "0"}), 400, "limit")


def test_the_command_line_manages_keys_and_alerts(
    tmp_path: Any, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    import json

    from service.cli import main

    database = ["--database", f"sqlite:///{tmp_path / 'cli.db'}"]
    assert main(["keys", "create", "--scope", "alerts", "--name", "desk", *database]) == 0
    key = capsys.readouterr().out.splitlines()[0]
    assert key.startswith("rz_")
    assert main(["keys", "list", *database]) == 0
    key_id = capsys.readouterr().out.split()[0]
    assert key not in key_id and key_id.startswith("key_")
    assert main(["keys", "revoke", key_id, *database]) == 0
    assert "revoked" in capsys.readouterr().out
    source = tmp_path / "alert.json"
    source.write_text(json.dumps(ALERT))
    assert main(["alerts", "add", str(source), *database]) == 0
    alert_id = capsys.readouterr().out.split()[1].rstrip(":")
    assert main(["alerts", "list", "--date", "2026-12-02", *database]) == 0
    assert alert_id in capsys.readouterr().out
    # A batch counts the alerts of the database it is given, as the server does.
    points = tmp_path / "points.csv"
    points.write_text(f"lat,lon\n{ICA[1]},{ICA[0]}\n")
    batch = ["batch", str(points), str(tmp_path / "out.csv"), "--date", "2026-12-02"]
    assert main([*batch, "--alerts-from", database[1]]) == 0
    row = (tmp_path / "out.csv").read_text().splitlines()[1]
    assert row.endswith(f'3,"Reconsider travel","","{alert_id}"')  # level, label, zones, alerts
    assert main([*batch, "--alerts-from", database[1], "--no-alerts"]) == 0
    assert alert_id not in (tmp_path / "out.csv").read_text()
    capsys.readouterr()
    assert main(["alerts", "end", alert_id, *database]) == 0
    capsys.readouterr()
    # The same validation as the API, as a CLI error naming the field.
    source.write_text(json.dumps({**ALERT, "level": 9}))
    assert main(["alerts", "add", str(source), *database]) == 2
    assert "level must be an integer from 1 to 4" in capsys.readouterr().err


def test_batches_count_alerts_as_point_checks_do(pack: ZonePack, tmp_path: Any, clock: Clock) -> None:
    # Oracle: the point check with the same alerts, point by point, on the same day.
    import pandas as pd

    from geo.batch.local import run_batch
    from geo.batch.rows import BatchOptions
    from geo.engine.index import default_index
    from geo.trips.alerts import with_alerts

    now = STARTS.astimezone(dt.UTC)
    clock.now = STARTS + dt.timedelta(hours=1)
    layer = AlertLayer(
        [
            alert_from_json(ALERT, alert_id="a-ica", publisher="p", coverage=pack.coverage, now=now),
            alert_from_json(
                {**ALERT, "level": 4, "radius_km": 3},
                alert_id="a-core",
                publisher="p",
                coverage=pack.coverage,
                now=now,
            ),
        ]
    )
    rng = np.random.default_rng(4)
    lon, lat = ICA[0] + rng.uniform(-0.2, 0.2, 400), ICA[1] + rng.uniform(-0.2, 0.2, 400)
    source = tmp_path / "points.csv"
    pd.DataFrame({"lat": lat.round(6), "lon": lon.round(6)}).to_csv(source, index=False)
    index = default_index()
    options = BatchOptions(date="2026-12-01", alerts=layer)
    streamed = run_batch(index, source, tmp_path / "out.csv", options)
    whole = run_batch(index, source, tmp_path / "out.geojson", options)
    assert streamed == whole
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    zone = pack.timezone
    when = moment(dt.date(2026, 12, 1), zone)
    for k, row in out.iterrows():
        point = with_alerts(
            index.check_point(lon=float(row.lon), lat=float(row.lat), date="2026-12-01"), layer, when, zone
        )
        assert row.level == str(point.level) and row.alerts == ";".join(a.id for a in point.alerts), k
    assert {"a-ica", "a-core;a-ica"} <= set(out["alerts"])
    # A day the alerts do not apply: no alert column values, zone levels only.
    quiet = run_batch(index, source, tmp_path / "quiet.csv", BatchOptions(date="2026-12-10", alerts=layer))
    assert set(pd.read_csv(tmp_path / "quiet.csv", keep_default_na=False)["alerts"]) == {""}
    assert quiet.by_level.get(3, 0) == 0
