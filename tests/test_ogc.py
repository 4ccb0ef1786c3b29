"""OGC API - Features under /ogc, read by real clients: GDAL's OAPIF driver (Debian's
``ogrinfo``) and OWSLib. The oracle is ``/v1/zones``: the same zones, by source and by the
statuses a collection shows."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from geo.exports.collections import ACTIVE
from service.app import create_app
from service.store.keys import create_key
from tests.clock import Clock
from tests.conftest import assert_problem, new_database

DAY = "2026-11-27"


@contextmanager
def _serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FlaskClient]]:
    """A live server and a test client of one app, on a database of its own (no alerts)."""
    database = f"sqlite:///{tmp_path_factory.mktemp('ogc') / 'riskzones.db'}"
    app = create_app({"TESTING": True, "DATABASE_URL": database})
    with _serving(app) as url:
        yield url, app.test_client()


@pytest.fixture
def base_url(served: tuple[str, FlaskClient]) -> str:
    return served[0]


@pytest.fixture
def client(served: tuple[str, FlaskClient]) -> FlaskClient:
    return served[1]


ALERT = {
    "category": "blockade",
    "level": 3,
    "summary": "Road blockade on the Panamericana Sur",
    "advice": ["Check local media"],
    "source_url": "https://example.org/blockade",
    "publisher": "Test desk",
}


def _expected(client: FlaskClient, query: str = "") -> dict[str, list[str]]:
    """Per collection, the ids ``/v1/zones`` gives for its source and the statuses it shows."""
    features = client.get(f"/v1/zones?{query}").get_json()["features"]
    collections = client.get("/ogc/collections").get_json()["collections"]
    found = {}
    for collection in collections:
        source = collection["id"].removeprefix("advice-").removeprefix("emergencies-")
        found[collection["id"]] = sorted(
            f["id"]
            for f in features
            if f["properties"]["source"] == source and f["properties"]["status"] in ACTIVE
        )
    return found


def _ogrinfo(*arguments: str) -> str:
    program = shutil.which("ogrinfo")
    assert program, "ogrinfo is missing: install Debian's gdal-bin (.ci/run does)"
    done = subprocess.run([program, *arguments], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_gdal_lists_the_collections_and_reads_every_feature(base_url: str, client: FlaskClient) -> None:
    source = f"OAPIF:{base_url}/ogc"
    listed = _ogrinfo("-ro", "-so", source)
    layers = re.findall(r"^\d+: (\S+) \(title: ", listed, flags=re.MULTILINE)
    expected = _expected(client)
    assert layers == list(expected)
    everything = _ogrinfo("-ro", "-al", source)
    read: dict[str, list[str]] = {}
    layer = None
    for line in everything.splitlines():
        if line.startswith("Layer name: "):
            layer = line.removeprefix("Layer name: ").strip()
            read[layer] = []
        found = re.match(r"\s+id \(String\) = (\S+)", line)
        if found and layer:
            read[layer].append(found.group(1))
    # Every feature of every collection, past the first page (10 by default): paging works.
    assert {k: sorted(v) for k, v in read.items()} == expected
    assert max(len(v) for v in expected.values()) > 10


def test_owslib_reads_the_items_with_a_bbox(base_url: str, client: FlaskClient) -> None:
    from owslib.ogcapi.features import Features

    api = Features(base_url + "/ogc")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in api.conformance()["conformsTo"]
    ids = [c["id"] for c in api.collections()["collections"]]
    bbox = [-75.0, -14.0, -72.0, -11.0]  # the VRAEM and around
    expected = _expected(client, "bbox=" + ",".join(map(str, bbox)))
    assert ids == list(expected)
    for collection_id in ids:
        answer = api.collection_items(collection_id, bbox=bbox, limit=1000)
        assert sorted(f["id"] for f in answer["features"]) == expected[collection_id], collection_id
        assert answer["numberMatched"] == answer["numberReturned"] == len(expected[collection_id])
    assert any(expected.values())


def test_landing_conformance_and_links(client: FlaskClient) -> None:
    landing = client.get("/ogc").get_json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert client.get(rels["service-desc"].removeprefix("http://localhost")).status_code == 200
    conforms = client.get("/ogc/conformance").get_json()["conformsTo"]
    assert any(c.endswith("/conf/geojson") for c in conforms) and any(
        c.endswith("/conf/html") for c in conforms
    )
    collection = client.get("/ogc/collections/advice-us").get_json()
    assert collection["itemType"] == "feature" and len(collection["extent"]["spatial"]["bbox"][0]) == 4


def test_paging_walks_every_item_once(client: FlaskClient) -> None:
    whole = client.get("/ogc/collections/research/items?limit=10000").get_json()
    seen, url = [], "/ogc/collections/research/items?limit=3"
    while url:
        page = client.get(url.removeprefix("http://localhost")).get_json()
        assert page["numberReturned"] == len(page["features"]) <= 3
        seen += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert seen == [f["id"] for f in whole["features"]] and whole["numberMatched"] == len(seen)
    second = client.get("/ogc/collections/research/items?limit=3&offset=3").get_json()
    assert any(link["rel"] == "prev" for link in second["links"])
    assert (
        client.get("/ogc/collections/research/items")
        .headers["Content-Type"]
        .startswith("application/geo+json")
    )


def test_datetime_gives_the_version_in_force_then(client: FlaskClient) -> None:
    def ids(query: str) -> set[str]:
        return {
            f["id"]
            for f in client.get(f"/ogc/collections/advice-us/items?limit=100&{query}").get_json()["features"]
        }

    then = ids("datetime=2024-06-01")  # the text of 2023-11-15 was in force
    now = ids(f"datetime={DAY}")
    assert "us-vraem-2023" in then and "us-vraem-2023" not in now
    assert ids(f"datetime={DAY}T12:00:00Z") == now
    assert ids("datetime=2024-06-01/..") == then | now  # an interval: active at some time in it
    today = client.get("/v1/zones").get_json()["date"]
    assert ids("") == ids(f"datetime={today}")  # by default: today in the pack's time zone


def test_single_items_and_html(client: FlaskClient) -> None:
    item = client.get("/ogc/collections/advice-us/items/us-vraem")
    assert item.status_code == 200 and item.get_json()["id"] == "us-vraem"
    assert_problem(
        client.get("/ogc/collections/advice-uk/items/us-vraem"),
        404,
        "no zone 'us-vraem' in collection advice-uk",
    )
    assert_problem(client.get("/ogc/collections/nope/items"), 404, "no collection 'nope'")
    page = client.get("/ogc/collections/advice-us/items", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and "us-vraem" in page.get_data(as_text=True)
    assert "Accept" in page.headers["Vary"]
    spanish = client.get("/ogc/collections?lang=es").get_json()["collections"][0]["title"]
    assert spanish.startswith("Estados Unidos")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("foo=1", "foo"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("datetime=../..", "datetime"),
        ("offset=x", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=1,4,3,2", "bbox"),
        ("datetime=yesterday", "datetime"),
        ("datetime=2026-01-02/2026-01-01", "datetime"),
        ("datetime=2026-01-01T10:00:00", "datetime"),
        ("f=xml", "f"),
    ],
)
def test_bad_parameters_are_refused(client: FlaskClient, query: str, field: str) -> None:
    answer = client.get(f"/ogc/collections/advice-us/items?{query}")
    assert assert_problem(answer, 400)["field"] == field


def test_the_openapi_document_covers_ogc(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {"/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/{collectionId}/items"} <= set(
        paths
    )


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_alerts_are_a_collection_once_there_are_any(
    tmp_path: Path, database: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch, dt.datetime(2030, 5, 1, tzinfo=dt.UTC))  # before the alerts below
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'a.db'}"
    else:
        url = new_database(request.getfixturevalue("postgres"))
    app = create_app({"TESTING": True, "DATABASE_URL": url, "ALERTS_REFRESH_S": 0})
    client = app.test_client()
    assert "alerts" not in [c["id"] for c in client.get("/ogc/collections").get_json()["collections"]]
    assert_problem(client.get("/ogc/collections/alerts/items"), 404, "no collection 'alerts'")
    key, _ = create_key(app.extensions["riskzones"].alerts.store, "alerts", "test")
    headers = {"Authorization": f"Bearer {key}"}
    ica = {
        **ALERT,
        "point": [-75.73, -14.07],
        "radius_km": 10,
        "starts": "2030-06-01T00:00:00-05:00",
        "ends": "2030-06-03T00:00:00-05:00",
    }
    puno = {
        **ALERT,
        "point": [-70.02, -15.84],
        "radius_km": 5,
        "starts": "2030-07-01T00:00:00-05:00",
        "ends": "2030-07-02T00:00:00-05:00",
    }
    ids = []
    for alert in (ica, puno):  # published one after the other
        ids.append(client.post("/v1/alerts", json=alert, headers=headers).get_json()["id"])
        clock.advance(dt.timedelta(seconds=1))
    listed = client.get("/ogc/collections").get_json()["collections"]
    assert (
        listed[-1]["id"] == "alerts"
        and listed[-1]["extent"]["temporal"]["interval"][0][0] == "2030-06-01T05:00:00Z"
    )

    def items(query: str = "") -> list[str]:
        return [f["id"] for f in client.get(f"/ogc/collections/alerts/items?{query}").get_json()["features"]]

    assert items() == ids  # not yet ended, as /v1/alerts by default
    assert items("datetime=2030-06-02") == [ids[0]] and items("datetime=2030-07-01T12:00:00Z") == [ids[1]]
    assert items("bbox=-72,-17,-69,-14") == [ids[1]] and items("limit=1") == [ids[0]]
    assert client.get(f"/ogc/collections/alerts/items/{ids[1]}").get_json()["properties"]["level"] == 3
    assert_problem(client.get("/ogc/collections/alerts/items/al_0000"), 404)
    with _serving(app) as url:  # and GDAL reads them as a layer
        read = _ogrinfo("-ro", "-al", f"OAPIF:{url}/ogc", "alerts")
    assert sorted(re.findall(r"\s+id \(String\) = (\S+)", read)) == sorted(ids)
    app.extensions["riskzones"].alerts.store.engine.dispose()


def test_a_bbox_with_heights_is_the_same_box(client: FlaskClient) -> None:
    def ids(bbox: str) -> list[str]:
        answer = client.get(f"/ogc/collections/research/items?limit=100&bbox={bbox}")
        return [f["id"] for f in answer.get_json()["features"]]

    assert ids("-75,-14,0,-72,-11,5000") == ids("-75,-14,-72,-11") != []
    assert_problem(client.get("/v1/zones?bbox=-75,-14,0,-72,-11,5000"), 400)  # heights: OGC only
