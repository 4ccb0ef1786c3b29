"""OGC API - Features, Part 1 (Core, GeoJSON, HTML) under ``/ogc``: the zones of each source
as a collection (``geo.exports.collections``), for GIS clients such as QGIS, GDAL and OWSLib.

``datetime`` chooses the version in force then: a day or a date-time (in the pack's time
zone), or an interval (``start/end``, either side ``..`` for open); without it, today. Items
carry the same properties as ``/v1/zones``, their status on the asked day (an interval's last
day; today for an open one). Coordinates are CRS84 (longitude, latitude). JSON by default;
HTML where ``f=html`` or the browser prefers it. Unknown query parameters are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape
from typing import Any, TypeVar
from urllib.parse import urlencode

import orjson
import shapely
from flask import Blueprint, Response, request

from geo import dates
from geo.dates import parse_instant
from geo.errors import InputFormatError, UnknownZoneError
from geo.exports.collections import Collection, collection, collections, select
from geo.i18n import _, language
from geo.pack import ZonePack
from geo.pack.status import BEGINNING
from geo.trips.alerts import moment
from service.api.docs import OPENAPI_MEDIA
from service.http.requests import query_bbox, query_int
from service.http.serialize import zone_feature
from service.state import state
from service.store.alerts import AlertsExtent, alerts_extent, get_alert, load_alerts, not_ended

__all__ = ["ALERTS", "CONFORMANCE", "DEFAULT_LIMIT", "MAX_LIMIT", "blueprint"]

blueprint = Blueprint("ogc", __name__)

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
_GEOJSON = "application/geo+json"
_COMMON = {"f", "lang"}
_ITEMS = _COMMON | {"limit", "offset", "bbox", "datetime"}
_FAR_FUTURE = dt.date(9999, 12, 31)
_EARLIEST, _LATEST = dt.datetime.min.replace(tzinfo=dt.UTC), dt.datetime.max.replace(tzinfo=dt.UTC)
#: The collection of the alerts, present when any alert is stored.
ALERTS = "alerts"
T = TypeVar("T")


def _pack() -> ZonePack:
    return state().pack


def _url(path: str, **query: object) -> str:
    """An absolute link to ``path`` on this server, with ``query`` (None values left out)."""
    base = request.url_root.rstrip("/") + path
    kept = {k: v for k, v in query.items() if v is not None}
    return base + ("?" + urlencode(kept) if kept else "")


def _allow(known: set[str]) -> None:
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise InputFormatError(
            _(
                "unknown query parameter {name}; this resource takes {known}",
                name=repr(unknown[0]),
                known=", ".join(sorted(known)),
            ),
            field=unknown[0],
        )


def _html_wanted() -> bool:
    asked = request.args.get("f")
    if asked is not None:
        if asked not in ("json", "html"):
            raise InputFormatError(_("f must be json or html"), field="f")
        return asked == "html"
    best = request.accept_mimetypes.best_match([_GEOJSON, "application/json", "text/html"])
    return best == "text/html"


def _answer(
    body: dict[str, Any], html: Callable[[dict[str, Any]], str], media: str = "application/json"
) -> Response:
    if _html_wanted():
        page = (
            f'<!doctype html>\n<html lang="{language()}"><head><meta charset="utf-8">'
            f"<title>riskzones</title></head><body>{html(body)}</body></html>"
        )
        response = Response(page, mimetype="text/html")
    else:
        response = Response(orjson.dumps(body), mimetype=media)
    if "f" not in request.args:
        response.vary.add("Accept")  # HTML or JSON by the Accept header: caches must keep both
    # /rec/core/link-header: the body's links as RFC 8288 Link headers too.
    links = body.get("links") or []
    if links:
        response.headers["Link"] = ", ".join(
            f'<{x["href"]}>; rel="{x["rel"]}"; type="{x["type"]}"' for x in links if "href" in x
        )
    return response


def _links(path: str, media: str, **query: object) -> list[dict[str, str]]:
    """The self link of ``path`` in the format answered, and its other-format alternate."""
    html = _html_wanted()
    return [
        {
            "href": _url(path, **query, f="html" if html else "json"),
            "rel": "self",
            "type": "text/html" if html else media,
        },
        {
            "href": _url(path, **query, f="json" if html else "html"),
            "rel": "alternate",
            "type": media if html else "text/html",
        },
    ]


def _link_list(links: list[dict[str, str]]) -> str:
    return (
        "<ul>"
        + "".join(
            f'<li><a href="{escape(x["href"])}">{escape(x["rel"])}</a> ({escape(x["type"])})</li>'
            for x in links
        )
        + "</ul>"
    )


@blueprint.get("/ogc")
@blueprint.get("/ogc/")
def landing() -> Response:
    """The landing page: what the API is and where its parts are."""
    _allow(_COMMON)
    body = {
        "title": "riskzones",
        "description": _(
            "Advisory risk zones of Peru: each government's advice, Peru's states of emergency, "
            "research zones."
        ),
        "links": [
            *_links("/ogc", "application/json"),
            {
                "href": _url("/openapi.json"),
                "rel": "service-desc",
                "type": OPENAPI_MEDIA,
            },
            {"href": _url("/docs"), "rel": "service-doc", "type": "text/html"},
            {"href": _url("/ogc/conformance"), "rel": "conformance", "type": "application/json"},
            {"href": _url("/ogc/collections"), "rel": "data", "type": "application/json"},
        ],
    }
    return _answer(
        body,
        lambda b: f"<h1>{escape(b['title'])}</h1><p>{escape(b['description'])}</p>{_link_list(b['links'])}",
    )


@blueprint.get("/ogc/conformance")
def conformance() -> Response:
    """The conformance classes implemented."""
    _allow(_COMMON)
    body = {"conformsTo": CONFORMANCE}
    return _answer(
        body,
        lambda b: (
            "<h1>Conformance</h1><ul>" + "".join(f"<li>{escape(c)}</li>" for c in b["conformsTo"]) + "</ul>"
        ),
    )


def _collection_json(pack: ZonePack, chosen: Collection) -> dict[str, Any]:
    zones = [z for z in pack.zones if z.source == chosen.source]
    west, south, east, north = (round(float(v), 6) for v in shapely.total_bounds([z.geometry for z in zones]))
    starts = [z.valid_from for z in zones if z.valid_from]
    ends = [z.valid_until for z in zones]
    path = f"/ogc/collections/{chosen.id}"
    return {
        "id": chosen.id,
        "title": chosen.title,
        "description": chosen.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "spatial": {
                "bbox": [[west, south, east, north]],
                "crs": CRS84,
            },
            "temporal": {
                "interval": [
                    [
                        min(starts).isoformat() + "T00:00:00Z" if starts else None,
                        None
                        if not ends or None in ends
                        else max(e for e in ends if e).isoformat() + "T23:59:59Z",
                    ]
                ],
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            },
        },
        "links": [
            {"href": _url(path), "rel": "self", "type": "application/json"},
            {"href": _url(path + "/items"), "rel": "items", "type": _GEOJSON},
            {"href": _url(path + "/items", f="html"), "rel": "items", "type": "text/html"},
        ],
    }


def _collection_html(body: dict[str, Any]) -> str:
    items = next(x["href"] for x in body["links"] if x["rel"] == "items" and x["type"] == "text/html")
    return (
        f'<h2><a href="{escape(items)}">{escape(body["title"])}</a></h2><p>{escape(body["description"])}</p>'
    )


@blueprint.get("/ogc/collections")
def list_collections() -> Response:
    """Every collection, with its extent and links."""
    _allow(_COMMON)
    pack = _pack()
    body = {
        "links": _links("/ogc/collections", "application/json"),
        "collections": [_collection_json(pack, c) for c in collections(pack)]
        + ([_alerts_json(stored)] if (stored := _stored_alerts()) else []),
    }
    return _answer(
        body, lambda b: "<h1>Collections</h1>" + "".join(_collection_html(c) for c in b["collections"])
    )


@blueprint.get("/ogc/collections/<collection_id>")
def one_collection(collection_id: str) -> Response:
    """One collection, with its extent and links."""
    _allow(_COMMON)
    pack = _pack()
    stored = _stored_alerts() if collection_id == ALERTS else None
    body = _alerts_json(stored) if stored else _collection_json(pack, collection(pack, collection_id))
    return _answer(body, _collection_html)


def _count(name: str, default: int, high: int) -> int:
    given = query_int(request, name, 0, high)
    return default if given is None else given


def _limit() -> int:
    """``limit``: 1 to MAX_LIMIT, default DEFAULT_LIMIT; a larger one is the maximum, not an
    error (/req/core/fc-limit-definition, /per/core/fc-limit-response-1)."""
    value = request.args.get("limit")
    if value is None:
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        raise InputFormatError(
            _("limit {value} must be a whole number", value=repr(value)), field="limit"
        ) from None
    if limit < 1:
        raise InputFormatError(_("limit must be at least 1, got {value}", value=limit), field="limit")
    return min(limit, MAX_LIMIT)


def _day(text: str, pack: ZonePack) -> dt.date:
    """A day or an RFC 3339 date-time (the day it is in the pack's time zone)."""
    if "T" in text.upper():
        instant = parse_instant(text, "datetime")
        return instant.astimezone(dates.time_zone(pack.timezone)).date()
    return pack.date(text, field="datetime")


def _span(pack: ZonePack) -> tuple[dt.date, dt.date, dt.date]:
    """The days asked about (``datetime``) and the day statuses are given for."""
    value = request.args.get("datetime")
    today = pack.date(None)
    if value is None:
        return today, today, today
    if "/" not in value:
        day = _day(value, pack)
        return day, day, day
    first, _sep, last = value.partition("/")
    if first in ("", "..") and last in ("", ".."):
        # /req/core/fc-time-definition: an interval has at least one end.
        raise InputFormatError(
            _(
                "datetime {value}: an interval needs a start or an end (e.g. 2026-01-01/..)",
                value=repr(value),
            ),
            field="datetime",
        )
    start = BEGINNING if first in ("", "..") else _day(first, pack)
    end = _FAR_FUTURE if last in ("", "..") else _day(last, pack)
    if start > end:
        raise InputFormatError(
            _("datetime {value} ends before it starts", value=repr(value)), field="datetime"
        )
    shown = end if end != _FAR_FUTURE else max(today, start)
    return start, end, shown


def _page(
    path: str,
    title: str,
    matched: Sequence[T],
    feature: Callable[[T], dict[str, Any]],
    limit: int,
    offset: int,
) -> Response:
    """One page of ``matched`` as a FeatureCollection with its links (next, prev)."""
    page = matched[offset : offset + limit]
    query = {k: request.args.get(k) for k in ("bbox", "datetime", "lang")}
    links = _links(path, _GEOJSON, limit=limit, offset=offset, **query)
    if offset + limit < len(matched):
        links.append(
            {"href": _url(path, limit=limit, offset=offset + limit, **query), "rel": "next", "type": _GEOJSON}
        )
    if offset > 0:
        links.append(
            {
                "href": _url(path, limit=limit, offset=max(0, offset - limit), **query),
                "rel": "prev",
                "type": _GEOJSON,
            }
        )
    links.append({"href": _url(path.removesuffix("/items")), "rel": "collection", "type": "application/json"})
    body = {
        "type": "FeatureCollection",
        "features": [feature(x) for x in page],
        "numberMatched": len(matched),
        "numberReturned": len(page),
        "timeStamp": dates.utc_now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }

    def html(b: dict[str, Any]) -> str:
        rows = "".join(
            f'<tr><td><a href="{escape(_url(path + "/" + f["id"], f="html"))}">{escape(f["id"])}</a></td>'
            f"<td>{escape(str(f['properties'].get('name') or f['properties'].get('summary')))}</td>"
            f"<td>{f['properties']['level']}</td></tr>"
            for f in b["features"]
        )
        return f"<h1>{escape(title)}</h1><table>{rows}</table>{_link_list(b['links'])}"

    return _answer(body, html, _GEOJSON)


@blueprint.get("/ogc/collections/<collection_id>/items")
def items(collection_id: str) -> Response:
    """A page of the collection's zones (or alerts) active at ``datetime`` and touching ``bbox``."""
    _allow(_ITEMS)
    pack = _pack()
    limit = _limit()
    offset = _count("offset", 0, 10**9)
    area = query_bbox(request, heights=True, antimeridian=True)
    start, end, shown = _span(pack)
    path = f"/ogc/collections/{collection_id}/items"
    if collection_id == ALERTS and _stored_alerts():
        found = load_alerts(
            state().alerts.store, window=_window(pack, start, end), bbox=area.bounds if area else None
        )
        chosen_alerts = [a for a in found if area is None or a.geometry.intersects(area)]
        return _page(path, _("Alerts"), chosen_alerts, lambda a: a.feature(pack.timezone), limit, offset)
    chosen = collection(pack, collection_id)
    matched = select(pack, chosen, start=start, end=end, area=area)
    geometries, today = state().geometries, state().index.on(shown)
    return _page(
        path, chosen.title, matched, lambda z: zone_feature(z, today, geometries[z.id]), limit, offset
    )


@blueprint.get("/ogc/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str) -> Response:
    """One zone of the collection, with its status today."""
    _allow(_COMMON)
    pack = _pack()
    path = f"/ogc/collections/{collection_id}/items/{feature_id}"
    if collection_id == ALERTS and _stored_alerts():
        body = get_alert(state().alerts.store, feature_id).feature(pack.timezone)
        body["links"] = [
            *_links(path, _GEOJSON),
            {"href": _url(f"/ogc/collections/{ALERTS}"), "rel": "collection", "type": "application/json"},
        ]
        return _answer(body, _feature_html, _GEOJSON)
    chosen = collection(pack, collection_id)
    zone = pack.zone(feature_id)
    if zone.source != chosen.source:
        raise UnknownZoneError(
            _("no zone {id} in collection {collection}", id=repr(feature_id), collection=chosen.id)
        )
    body = zone_feature(zone, state().index.on(pack.date(None)), state().geometries[zone.id])
    body["links"] = [
        *_links(path, _GEOJSON),
        {"href": _url(f"/ogc/collections/{chosen.id}"), "rel": "collection", "type": "application/json"},
    ]
    return _answer(body, _feature_html, _GEOJSON)


def _feature_html(body: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in body["properties"].items()
    )
    return f"<h1>{escape(str(body['id']))}</h1><table>{rows}</table>{_link_list(body['links'])}"


def _stored_alerts() -> AlertsExtent | None:
    """The extent of every alert stored, ended or not (the alerts collection exists when there
    is one)."""
    return alerts_extent(state().alerts.store)


def _window(pack: ZonePack, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants from the start of day ``start`` to the end of day ``end`` in the pack's
    time zone; open ends unbounded. No ``datetime``: the alerts not yet ended."""
    if request.args.get("datetime") is None:
        return not_ended(dates.utc_now())
    first = _EARLIEST if start == BEGINNING else moment(start, pack.timezone).start
    last = _LATEST if end == _FAR_FUTURE else moment(end, pack.timezone).stop
    return first, last


def _alerts_json(extent: AlertsExtent) -> dict[str, Any]:
    west, south, east, north = (round(float(v), 6) for v in extent.bbox)
    path = f"/ogc/collections/{ALERTS}"
    return {
        "id": ALERTS,
        "title": _("Alerts"),
        "description": _(
            "Time-bounded alerts (demonstrations, blockades, border closures, disasters), each "
            "applying from its start to its end; by default those not yet ended."
        ),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "spatial": {"bbox": [[west, south, east, north]], "crs": CRS84},
            "temporal": {
                "interval": [
                    [
                        extent.starts.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        extent.ends.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    ]
                ],
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            },
        },
        "links": [
            {"href": _url(path), "rel": "self", "type": "application/json"},
            {"href": _url(path + "/items"), "rel": "items", "type": _GEOJSON},
            {"href": _url(path + "/items", f="html"), "rel": "items", "type": "text/html"},
        ],
    }
