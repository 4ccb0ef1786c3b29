"""The HTTP API end to end through the Flask client; every response checked against the
OpenAPI document, every error against the problem+json shape."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from geo.engine.index import default_index
from service import create_app
from tests.conftest import assert_problem
from tests.openapi_check import assert_matches_openapi


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app({"TESTING": True}).test_client().get("/openapi.json").get_json()


def _get(client: FlaskClient, document: dict[str, Any], url: str, path: str) -> Any:
    response = client.get(url)
    assert_matches_openapi(document, path, "GET", response)
    return response


def test_openapi_document_is_valid_3_1(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) >= {"/v1/check", "/v1/zones", "/v1/zones/{zone_id}", "/healthz"}


def test_check_one_point_in_the_vraem(client: FlaskClient, document: dict[str, Any]) -> None:
    body = _get(client, document, "/v1/check?lat=-12.5&lon=-73.8&date=2026-11-27", "/v1/check").get_json()
    assert body["level"] == 4 and body["label"] == "Do not travel"
    assert "us-vraem" in [z["id"] for z in body["zones"]]
    assert body["admin"]["district"] == "Pichari"
    assert body["pack"]["id"] == "pe"
    assert {"baseline", "zones", "contacts"} <= set(body["advice"])


def test_check_point_in_a_neighbour_is_answered_there(client: FlaskClient, document: dict[str, Any]) -> None:
    # Tabatinga, Brazil: in Brazil's pack, with Peru's border zone a kilometre away listed nearby.
    url = "/v1/check?lat=-4.21079&lon=-69.93944&date=2026-08-22"
    body = _get(client, document, url, "/v1/check").get_json()
    assert (body["covered"], body["country"], body["pack"]["id"]) == (True, "BRA", "br")
    assert body["admin"]["department"] == "Amazonas"
    assert "us-land-borders-160km" in [z["id"] for z in body["zones"]]
    assert "us-colombia-border" in [n["id"] for n in body["nearby"]]
    assert [c["number"] for c in body["advice"]["contacts"]] == ["190", "192", "193"]


def test_check_point_outside_every_country(client: FlaskClient, document: dict[str, Any]) -> None:
    body = _get(client, document, "/v1/check?lat=-27.0&lon=-60.0", "/v1/check").get_json()  # Argentina
    assert (body["covered"], body["level"], body["admin"], body["country"]) == (False, None, None, None)
    assert body["not_drawn"] == []


def test_check_radius_and_date(client: FlaskClient, document: dict[str, Any]) -> None:
    url = "/v1/check?lat=-8.27694&lon=-77.29639&date=2026-03-01&radius_km=0"
    body = _get(client, document, url, "/v1/check").get_json()
    assert body["level"] == 3 and body["nearby"] == []


@pytest.mark.parametrize(
    ("query", "field", "fragment"),
    [
        ("lat=95&lon=-73.8", "lat", "lat must be between -90 and 90"),
        ("lon=-73.8", "lat", "lat is missing"),
        ("lat=-12.5&lon=west", "lon", "lon 'west' is not a number"),
        ("lat=-12.5&lon=-73.8&date=soon", "date", "YYYY-MM-DD"),
        ("lat=-12.5&lon=-73.8&radius_km=9999", "radius_km", "radius_km must be a number"),
        ("lat=NaN&lon=-73.8", "lat", "finite"),
    ],
)
def test_check_bad_query(
    client: FlaskClient, document: dict[str, Any], query: str, field: str, fragment: str
) -> None:
    response = _get(client, document, f"/v1/check?{query}", "/v1/check")
    assert assert_problem(response, 400, fragment)["field"] == field


def _post(client: FlaskClient, document: dict[str, Any], **kwargs: Any) -> Any:
    response = client.post("/v1/check", **kwargs)
    assert_matches_openapi(document, "/v1/check", "POST", response)
    return response


def test_check_many_points(client: FlaskClient, document: dict[str, Any]) -> None:
    points = [{"lat": -12.5, "lon": -73.8, "id": "pichari"}, {"lat": -12.04318, "lon": -77.02824}]
    body = _post(client, document, json={"points": points, "date": "2026-11-27"}).get_json()
    assert [(r["id"], r["level"]) for r in body["results"]] == [("pichari", 4), (1, 2)]
    assert "advice" not in body["results"][0]
    assert "us-vraem" in [z["id"] for z in body["advice"]["zones"]]


@pytest.mark.parametrize(
    "geojson",
    [
        {"type": "Point", "coordinates": [-73.8, -12.5]},
        {"type": "MultiPoint", "coordinates": [[-73.8, -12.5]]},
        {
            "type": "Feature",
            "id": "x",
            "geometry": {"type": "Point", "coordinates": [-73.8, -12.5]},
        },
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": "p"},
                    "geometry": {"type": "Point", "coordinates": [-73.8, -12.5]},
                }
            ],
        },
    ],
)
def test_check_geojson_points(client: FlaskClient, document: dict[str, Any], geojson: dict[str, Any]) -> None:
    body = _post(client, document, json=geojson).get_json()
    assert [r["level"] for r in body["results"]] == [4]


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"data": "{not json"}, "body", "not valid JSON: Expecting property name"),
        ({"data": ""}, "body", "empty"),
        ({"json": [1, 2]}, "body", "GeoJSON Point"),
        # Shape errors name the field first; the rest of the wording is the validator's.
        ({"json": {"points": "all"}}, "points", "points: "),
        ({"json": {"points": [{"lat": -12.5, "lon": 200}]}}, "points[0].lon", "points[0].lon: "),
        ({"json": {"points": [{"lat": -12.5, "lon": True}]}}, "points[0].lon", "points[0].lon: "),
        ({"json": {"points": [{"lat": "-12.5", "lon": 1}]}}, "points[0].lat", "points[0].lat: "),
        ({"json": {"points": [{"lat": -12.5}]}}, "points[0]", "lon is required"),
        (
            {"json": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
            "body",
            "GeoJSON Point",
        ),
        ({"data": '{"points": [{"lat": NaN, "lon": 1}]}'}, "body", "NaN is not a number"),
        ({"data": "[" * 100_000 + "]" * 100_000}, "body", "nested too deeply"),
    ],
)
def test_check_bad_bodies(
    client: FlaskClient, document: dict[str, Any], kwargs: dict[str, Any], field: str, fragment: str
) -> None:
    response = (
        _post(client, document, content_type="application/json", **kwargs)
        if "data" in kwargs
        else _post(client, document, **kwargs)
    )
    assert assert_problem(response, 400, fragment)["field"] == field


def test_too_many_points_is_413_with_the_limit(document: dict[str, Any]) -> None:
    client = create_app({"TESTING": True, "MAX_POINTS": 3}).test_client()
    response = client.post("/v1/check", json={"points": [{"lat": -12.5, "lon": -73.8}] * 4})
    assert_problem(response, 413, "4 points", "the limit is 3")


def test_too_large_body_is_413_with_the_limit() -> None:
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 100}).test_client()
    response = client.post("/v1/check", data="x" * 200, content_type="application/json")
    assert_problem(response, 413, "100")


def test_zones_collection_and_filters(client: FlaskClient, document: dict[str, Any]) -> None:
    body = _get(client, document, "/v1/zones", "/v1/zones").get_json()
    assert len(body["features"]) == len(default_index().pack.zones)
    level4 = _get(client, document, "/v1/zones?level_min=4", "/v1/zones").get_json()
    pack = default_index().pack
    assert {f["id"] for f in level4["features"]} == {z.id for z in pack.zones if z.level >= 4}
    coca = _get(client, document, "/v1/zones?category=coca&bbox=-74,-13.5,-72,-12", "/v1/zones").get_json()
    assert "pe-coca-lcl" in {f["id"] for f in coca["features"]}
    assert all("coca" in f["properties"]["categories"] for f in coca["features"])
    dated = _get(client, document, "/v1/zones?date=2026-03-01&category=emergency", "/v1/zones").get_json()
    day = dt.date(2026, 3, 1)
    for feature in dated["features"]:
        # In force exactly when a decree's period covers the day (oracle: the zone's periods).
        periods = pack.zone(feature["id"]).periods
        assert (feature["properties"]["status"] == "in_force") == any(
            p.start <= day <= p.end for p in periods
        )
    assert any(f["properties"]["status"] == "in_force" for f in dated["features"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=10,0,0,5", "bbox"),
        ("level_min=5", "level_min"),
        ("level_min=high", "level_min"),
        ("category=piracy", "category"),
        ("date=2026-13-01", "date"),
    ],
)
def test_zones_bad_filters(client: FlaskClient, document: dict[str, Any], query: str, field: str) -> None:
    response = _get(client, document, f"/v1/zones?{query}", "/v1/zones")
    assert assert_problem(response, 400)["field"] == field


def test_zones_etag_gives_304(client: FlaskClient) -> None:
    first = client.get("/v1/zones?level_min=3")
    etag = first.headers["ETag"]
    again = client.get("/v1/zones?level_min=3", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/v1/zones?level_min=4", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_one_zone(client: FlaskClient, document: dict[str, Any]) -> None:
    body = _get(client, document, "/v1/zones/pe-emg-pataz?date=2026-11-27", "/v1/zones/{zone_id}").get_json()
    assert body["properties"]["status"] == "unconfirmed"
    last = default_index().pack.zone("pe-emg-pataz").periods[-1]
    assert (
        last.decree in body["properties"]["status_text"]
        and str(last.end) in body["properties"]["status_text"]
    )
    response = _get(client, document, "/v1/zones/pe-atlantis", "/v1/zones/{zone_id}")
    assert_problem(response, 404, "pe-atlantis", "us-vraem")


def test_health_and_pack(client: FlaskClient, document: dict[str, Any]) -> None:
    _get(client, document, "/healthz", "/healthz")
    _get(client, document, "/v1/pack", "/v1/pack")


def test_docs_page_is_self_hosted(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http" not in html.replace('charset="utf-8"', "")
    for asset in (
        "/docs/assets/swagger-ui.css",
        "/docs/assets/swagger-ui-bundle.js",
        "/static/docs.js",
    ):
        assert asset in html
        with client.get(asset) as reply:
            assert reply.status_code == 200
    assert_problem(client.get("/docs/assets/../../etc/passwd"), 404)
    assert_problem(client.get("/docs/assets/index.html"), 404)


def test_every_response_has_security_headers(client: FlaskClient) -> None:
    for response in (client.get("/healthz"), client.get("/nope"), client.get("/docs")):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_cors_is_off_by_default_and_follows_the_allowlist(client: FlaskClient) -> None:
    origin = {"Origin": "https://planner.example"}
    assert "Access-Control-Allow-Origin" not in client.get("/healthz", headers=origin).headers
    allowed = create_app({"TESTING": True, "CORS_ORIGINS": "https://planner.example"}).test_client()
    assert (
        allowed.get("/healthz", headers=origin).headers["Access-Control-Allow-Origin"]
        == "https://planner.example"
    )
    other = allowed.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_unexpected_errors_are_generic_500s(caplog: pytest.LogCaptureFixture) -> None:
    app: Flask = create_app({"TESTING": False})

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = assert_problem(response, 500)
    assert "secret" not in body["detail"]
    assert "secret internals" in caplog.text


def test_huge_integer_ids_are_echoed(client: FlaskClient) -> None:
    big = 2**70
    body = client.post("/v1/check", json={"points": [{"lat": -12.5, "lon": -73.8, "id": big}]})
    assert body.status_code == 200
    assert body.get_json()["results"][0]["id"] == big


def test_whole_number_ids_with_a_fraction_are_integers(client: FlaskClient) -> None:
    # JSON Schema (and the OpenAPI document) counts 50.0 as an integer; a fraction is refused.
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-73.8, -12.5]}, "id": 50.0}
    body = client.post("/v1/check", json=point)
    assert body.status_code == 200 and body.get_json()["results"][0]["id"] == 50
    assert_problem(
        client.post("/v1/check", json={**point, "id": 50.5}), 400, "an id must be a string or an integer"
    )


ROUTE_FILES = Path(__file__).parent / "data" / "routes"


def test_route_endpoint_with_gpx_kml_and_geojson(client: FlaskClient, document: dict[str, Any]) -> None:
    gpx = (ROUTE_FILES / "ayacucho-pichari.gpx").read_bytes()
    response = client.post("/v1/route?date=2026-11-27", data=gpx, content_type="application/gpx+xml")
    assert_matches_openapi(document, "/v1/route", "POST", response)
    body = response.get_json()
    assert body["verdict"] == "do_not_travel" and body["name"] == "ayacucho-pichari"
    kml = (
        "<kml><Placemark><LineString><coordinates>-74.22345,-13.1638 -73.81667,-12.5"
        "</coordinates></LineString></Placemark></kml>"
    )
    response = client.post("/v1/route", data=kml, content_type="application/vnd.google-earth.kml+xml")
    assert response.get_json()["verdict"] == "do_not_travel"
    line = {"type": "LineString", "coordinates": [[-77.03, -12.04], [-76.9, -12.0]]}
    response = client.post("/v1/route?corridor_km=5", json=line)
    assert_matches_openapi(document, "/v1/route", "POST", response)
    assert response.get_json()["verdict"] == "caution"


def test_route_errors(client: FlaskClient, document: dict[str, Any]) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><gpx><rte><rtept lat="1" lon="2"/></rte></gpx>'
    )
    response = client.post("/v1/route", data=bomb, content_type="application/gpx+xml")
    assert_problem(response, 400, "refused")
    response = client.post("/v1/route", json={"type": "Polygon", "coordinates": []})
    assert_problem(response, 400)
    response = client.post(
        "/v1/route?corridor_km=500", json={"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    )
    assert assert_problem(response, 400, "corridor_km")["field"] == "corridor_km"


def test_route_vertex_limit_is_413() -> None:
    client = create_app({"TESTING": True, "MAX_ROUTE_VERTICES": 3}).test_client()
    line = {"type": "LineString", "coordinates": [[0, 0], [1, 1], [2, 2], [3, 3]]}
    assert_problem(client.post("/v1/route", json=line), 413, "4 vertices", "limit is 3")


def test_itinerary_endpoint_json_yaml_csv(client: FlaskClient, document: dict[str, Any]) -> None:
    trip = {
        "stops": [{"place": "Lima", "date": "2026-12-01"}, {"place": "Cusco", "date": "2026-12-02"}],
        "legs": [{"mode": "flight"}],
    }
    response = client.post("/v1/itinerary", json=trip)
    assert_matches_openapi(document, "/v1/itinerary", "POST", response)
    assert response.get_json()["verdict"] == "caution"
    yaml_trip = (
        "stops:\n  - place: Lima\n    date: 2026-12-01\n  - place: Cusco\n    date: 2026-12-02\n"
        "legs:\n  - mode: road\n"
    )
    body = client.post("/v1/itinerary", data=yaml_trip, content_type="application/yaml").get_json()
    assert body["needs_review"] and "us-vraem" in body["legs"][0]["check_actual_route"]
    csv_trip = "place,date,mode\nLima,2026-12-01,flight\nCusco,2026-12-02,\n"
    assert (
        client.post("/v1/itinerary", data=csv_trip, content_type="text/csv").get_json()["verdict"]
        == "caution"
    )


def test_itinerary_ambiguous_place_lists_candidates(client: FlaskClient, document: dict[str, Any]) -> None:
    response = client.post("/v1/itinerary", json={"stops": [{"place": "Santa Rosa"}]})
    assert_matches_openapi(document, "/v1/itinerary", "POST", response)
    body = assert_problem(response, 400, "matches")
    assert body["field"] == "stops[0].place"
    assert {"name", "district", "province", "department", "lon", "lat"} <= set(body["candidates"][0])


def test_itinerary_stop_limit_is_413() -> None:
    client = create_app({"TESTING": True, "MAX_STOPS": 2}).test_client()
    trip = {"stops": [{"place": "Lima"}] * 3}
    assert_problem(client.post("/v1/itinerary", json=trip), 413, "3 stops", "limit is 2")


@pytest.mark.parametrize("fmt", ["geojson", "valhalla", "graphhopper", "ors"])
def test_avoid_endpoint(client: FlaskClient, document: dict[str, Any], fmt: str) -> None:
    response = client.get(f"/v1/zones/avoid?format={fmt}&level_min=4&date=2026-11-27")
    assert_matches_openapi(document, "/v1/zones/avoid", "GET", response)
    assert response.status_code == 200


def test_places(client: FlaskClient, document: dict[str, Any]) -> None:
    body = _get(client, document, "/v1/places?q=tingo%20mar", "/v1/places").get_json()
    assert body["places"][0]["name"] == "Tingo María"
    response = _get(client, document, "/v1/places", "/v1/places")
    assert assert_problem(response, 400, "q is missing")["field"] == "q"
