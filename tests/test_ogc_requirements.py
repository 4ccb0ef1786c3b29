"""OGC API - Features - Part 1: Core (OGC 17-069r4, version 1.0.1), requirement by
requirement: each test names the requirements (/req/...), recommendations (/rec/...) and
permissions (/per/...) it checks, as the standard numbers them. Real clients (GDAL's OAPIF
driver, OWSLib) read /ogc in tests/test_ogc.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient

from service.api.ogc import DEFAULT_LIMIT, MAX_LIMIT
from tests.conftest import assert_problem

ITEMS = "/ogc/collections/research/items"
_LINK = re.compile(r'<([^>]+)>; rel="([^"]+)"; type="([^"]+)"')


def _links(body: dict[str, object]) -> dict[str, dict[str, str]]:
    return {link["rel"]: link for link in body["links"]}  # type: ignore[attr-defined, index]


def test_req_core_root_op_and_root_success(client: FlaskClient) -> None:
    # /req/core/root-op, /req/core/root-success: GET the landing page; links to the API
    # definition, the conformance declaration and the collections.
    for path in ("/ogc", "/ogc/"):  # with and without the trailing slash
        answer = client.get(path)
        assert answer.status_code == 200, path
        rels = _links(answer.get_json())
        assert {"self", "service-desc", "conformance", "data"} <= set(rels)


def test_req_core_api_definition_success(client: FlaskClient) -> None:
    # /req/core/api-definition-op, /req/core/api-definition-success: the service-desc link's
    # media type is what a request that accepts it gets.
    link = _links(client.get("/ogc").get_json())["service-desc"]
    asked = client.get("/openapi.json", headers={"Accept": link["type"]})
    assert asked.status_code == 200
    assert asked.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "openapi" in asked.get_json() or asked.get_data().startswith(b"{")
    plain = client.get("/openapi.json")
    assert plain.headers["Content-Type"] == "application/json"


def test_req_core_conformance_success(client: FlaskClient) -> None:
    # /req/core/conformance-op, /req/core/conformance-success
    conforms = client.get("/ogc/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conforms


def test_req_core_query_param_unknown_and_invalid(client: FlaskClient) -> None:
    # /req/core/query-param-unknown, /req/core/query-param-invalid: a 400.
    assert assert_problem(client.get(f"{ITEMS}?colour=red"), 400)["field"] == "colour"
    assert assert_problem(client.get(f"{ITEMS}?limit=ten"), 400)["field"] == "limit"


def test_req_core_fc_md_success_and_items_links(client: FlaskClient) -> None:
    # /req/core/fc-md-op, /req/core/fc-md-success, /req/core/fc-md-links,
    # /req/core/fc-md-items, /req/core/fc-md-items-links, /req/core/fc-md-extent
    body = client.get("/ogc/collections").get_json()
    assert "self" in _links(body)
    for collection in body["collections"]:
        assert collection["id"] and collection["itemType"] == "feature"
        assert any(link["rel"] == "items" for link in collection["links"])
        west, south, east, north = collection["extent"]["spatial"]["bbox"][0]
        assert -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def test_req_core_sfc_md_success(client: FlaskClient) -> None:
    # /req/core/sfc-md-op, /req/core/sfc-md-success: one collection, the same as in the list.
    listed = {c["id"]: c for c in client.get("/ogc/collections").get_json()["collections"]}
    for name, collection in listed.items():
        assert client.get(f"/ogc/collections/{name}").get_json()["id"] == collection["id"]


def test_req_core_fc_limit_definition(client: FlaskClient) -> None:
    # /req/core/fc-limit-definition: limit is an integer from 1 to the maximum, default 10.
    parameter = next(
        p
        for p in client.get("/openapi.json").get_json()["paths"]["/ogc/collections/{collectionId}/items"][
            "get"
        ]["parameters"]
        if p["name"] == "limit"
    )
    assert parameter["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_LIMIT,
        "default": DEFAULT_LIMIT,
    }
    assert assert_problem(client.get(f"{ITEMS}?limit=0"), 400)["field"] == "limit"
    assert client.get(ITEMS).get_json()["numberReturned"] <= DEFAULT_LIMIT


def test_req_core_fc_limit_response_1(client: FlaskClient) -> None:
    # /req/core/fc-limit-response-1, /per/core/fc-limit-response-1: no more features than the
    # limit; a limit above the maximum is the maximum, not an error.
    assert client.get(f"{ITEMS}?limit=2").get_json()["numberReturned"] <= 2
    beyond = client.get(f"{ITEMS}?limit={MAX_LIMIT + 1}")
    assert beyond.status_code == 200
    body = beyond.get_json()
    assert body["numberReturned"] <= MAX_LIMIT
    assert f"limit={MAX_LIMIT}" in _links(body)["self"]["href"]


def test_req_core_fc_bbox_definition_and_response(client: FlaskClient) -> None:
    # /req/core/fc-bbox-definition, /req/core/fc-bbox-response: only features whose geometry
    # meets the box; a box whose west edge is east of its east edge crosses the antimeridian.
    whole = client.get(f"{ITEMS}?limit={MAX_LIMIT}").get_json()["numberMatched"]
    peru = client.get(f"{ITEMS}?bbox=-82,-19,-68,0&limit={MAX_LIMIT}").get_json()["numberMatched"]
    assert peru == whole  # every research zone is in Peru
    across = client.get(f"{ITEMS}?bbox=170,-20,-170,-10")
    assert across.status_code == 200 and across.get_json()["numberMatched"] == 0
    # Across the antimeridian the long way round: from 100 E eastward to Peru, 80 W.
    round_the_back = client.get(f"{ITEMS}?bbox=100,-19,-68,0&limit={MAX_LIMIT}").get_json()
    assert round_the_back["numberMatched"] == whole
    assert assert_problem(client.get(f"{ITEMS}?bbox=-70,0,-80,-10"), 400)["field"] == "bbox"  # south > north


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-27",
        "2026-11-27T12:00:00Z",
        "2026-01-01/2026-12-31",
        "2026-01-01/..",
        "../2026-12-31",
        "/2026-12-31",
    ],
)
def test_req_core_fc_time_definition_accepts_the_grammar(client: FlaskClient, value: str) -> None:
    # /req/core/fc-time-definition, /req/core/fc-time-response: an instant or an interval
    # with at least one end.
    assert client.get(f"{ITEMS}?datetime={value}").status_code == 200


@pytest.mark.parametrize("value", ["../..", "/", "../", "2026-13-01", "2026-01-02/2026-01-01"])
def test_req_core_fc_time_definition_refuses_what_is_outside_it(client: FlaskClient, value: str) -> None:
    # /req/core/fc-time-definition: "../.." is not in the grammar.
    assert assert_problem(client.get(f"{ITEMS}?datetime={value}"), 400)["field"] == "datetime"


def test_req_core_fc_response_and_links(client: FlaskClient) -> None:
    # /req/core/fc-response, /req/core/fc-links, /req/core/fc-rel-type, /req/core/fc-timeStamp,
    # /req/core/fc-numberMatched, /req/core/fc-numberReturned
    answer = client.get(f"{ITEMS}?limit=1")
    assert answer.headers["Content-Type"].startswith("application/geo+json")
    body = answer.get_json()
    assert body["type"] == "FeatureCollection"
    links = _links(body)
    assert links["self"]["type"] == "application/geo+json" and "alternate" in links
    if body["numberMatched"] > 1:
        assert "next" in links
    dt.datetime.strptime(body["timeStamp"], "%Y-%m-%dT%H:%M:%SZ")
    assert body["numberReturned"] == len(body["features"])


def test_req_core_f_op_and_success(client: FlaskClient) -> None:
    # /req/core/f-op, /req/core/f-success: a feature by its id, with self and collection links.
    first = client.get(f"{ITEMS}?limit=1").get_json()["features"][0]
    answer = client.get(f"{ITEMS}/{first['id']}")
    assert answer.status_code == 200 and answer.get_json()["id"] == first["id"]
    assert {"self", "collection"} <= set(_links(answer.get_json()))
    assert_problem(client.get(f"{ITEMS}/no-such-zone"), 404)


def test_req_html_and_geojson_content(client: FlaskClient) -> None:
    # /req/html/definition, /req/html/content, /req/geojson/definition, /req/geojson/content
    html = client.get(ITEMS, headers={"Accept": "text/html"})
    assert html.headers["Content-Type"].startswith("text/html") and b"<table>" in html.get_data()
    geojson = client.get(ITEMS, headers={"Accept": "application/geo+json"})
    assert geojson.get_json()["type"] == "FeatureCollection"


@pytest.mark.parametrize("path", ["/ogc", "/ogc/conformance", "/ogc/collections", ITEMS])
def test_rec_core_link_header(client: FlaskClient, path: str) -> None:
    # /rec/core/link-header: the links of a response's body also as RFC 8288 Link headers.
    answer = client.get(path)
    body = answer.get_json()
    headed = {(href, rel, kind) for href, rel, kind in _LINK.findall(answer.headers.get("Link", ""))}
    assert {(x["href"], x["rel"], x["type"]) for x in body.get("links", [])} == headed
