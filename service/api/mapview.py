"""The interactive risk map at ``/`` and every asset it needs, all served from here."""

from __future__ import annotations

import json
from typing import Any

import xstatic.pkg.leaflet as leaflet
from flask import Blueprint, Response, abort, request, send_from_directory

from geo.errors import InputFormatError
from geo.i18n import _, language
from maps import STATIC, TURF, MapPage
from service.http.requests import query_text
from service.state import state

__all__ = ["blueprint"]

blueprint = Blueprint("mapview", __name__)
_MAP_STATIC = {
    "riskmap.js",
    "itinerary.js",
    "riskmap.css",
    "popups.js",
    "labels.js",
    "offline.js",
    "routefiles.js",
    "icon.svg",
}
_VENDOR = {TURF}


def _today_page() -> MapPage:
    pages = state()
    return pages.maps.on(pages.pack.date(None), language())


@blueprint.get("/")
def index() -> Response:
    """The interactive risk map."""
    return Response(_today_page().html, mimetype="text/html")


@blueprint.get("/map/init.js")
def init_script() -> Response:
    """The map's set-up code (zones, layers, legend), taken out of the page."""
    return Response(_today_page().script, mimetype="text/javascript")


@blueprint.get("/map/style.css")
def init_style() -> Response:
    """The map's own styles, taken out of the page."""
    return Response(_today_page().style, mimetype="text/css")


@blueprint.get("/static/maps/<name>")
def map_static(name: str) -> Response:
    """The page's own script and styles (maps/static)."""
    if name not in _MAP_STATIC:
        abort(404)
    return send_from_directory(STATIC, name, max_age=3600)


@blueprint.get("/static/maps/vendor/<name>")
def map_vendor(name: str) -> Response:
    """Third-party code the page runs (maps/static/vendor: pinned, with licence and checksums)."""
    if name not in _VENDOR:
        abort(404)
    return send_from_directory(STATIC / "vendor", name, max_age=86400)


@blueprint.get("/sw.js")
def service_worker() -> Response:
    """The map's service worker, at the root so that it keeps the page at ``/``."""
    response = send_from_directory(STATIC, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/manifest.webmanifest")
def manifest() -> Response:
    """What a browser needs to install the map as an app."""
    pack = state().pack
    body = {
        "name": "riskzones: risk zones of Peru",
        "short_name": "riskzones",
        "description": f"Advisory risk zones of Peru, zones as of {pack.version}; works offline.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b2182b",
        "icons": [{"src": "/static/maps/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    return Response(json.dumps(body), mimetype="application/manifest+json")


@blueprint.get("/v1/offline")
def offline() -> Response:
    """Everything the map needs to check a point on the device (``geo.exports.offline``)."""
    served = state()
    response = Response(served.offline, mimetype="application/json")
    response.set_etag(served.offline_etag)
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)
    return response


@blueprint.get("/assets/leaflet/<path:name>")
def leaflet_asset(name: str) -> Response:
    """Leaflet, from the pinned XStatic-Leaflet package."""
    return send_from_directory(leaflet.BASE_DIR, name, max_age=86400)


@blueprint.get("/v1/places")
def places() -> dict[str, Any]:
    """Places of the gazetteer whose name starts with ``q``."""
    query = query_text(request, "q")
    if query is None:
        raise InputFormatError(_("q is missing; give the start of a place name, e.g. q=Tingo"), field="q")
    found = state().gazetteer.search(query)
    return {
        "places": [
            {
                "name": p.name,
                "lon": p.lon,
                "lat": p.lat,
                "district": p.district,
                "province": p.province,
                "department": p.department,
                "ubigeo": p.ubigeo,
                "approximate": p.approximate,
                "country": p.country,
            }
            for p in found
        ]
    }
