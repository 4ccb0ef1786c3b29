"""The interactive risk map at ``/`` and every asset it needs, all served from here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import xstatic.pkg.leaflet as leaflet
from flask import Blueprint, Response, abort, current_app, request, send_from_directory

from geo.errors import InputFormatError
from geo.gazetteer import Gazetteer
from geo.status import parse_date
from maps import STATIC, MapPage, page, risk_map
from service.requests import query_text

__all__ = ["blueprint", "map_page"]

blueprint = Blueprint("mapview", __name__)
_MAP_STATIC = {"riskmap.js", "riskmap.css", "popups.js"}


def map_page(day: dt.date) -> MapPage:
    """The page for ``day``, built once per day and kept."""
    state: dict[str, Any] = current_app.extensions["riskzones"]
    cache: dict[dt.date, MapPage] = state.setdefault("map_pages", {})
    if day not in cache:
        config = current_app.config
        fmap = risk_map(
            state["pack"], date=day, tiles=config["TILES"] or None, attribution=config["TILES_ATTRIBUTION"]
        )
        cache.clear()
        cache[day] = page(
            fmap, script_url="/map/init.js", style_url="/map/style.css", static_url="/static/maps"
        )
    return cache[day]


@blueprint.get("/")
def index() -> Response:
    """The interactive risk map."""
    return Response(map_page(parse_date(None)).html, mimetype="text/html")


@blueprint.get("/map/init.js")
def init_script() -> Response:
    """The map's set-up code (zones, layers, legend), taken out of the page."""
    return Response(map_page(parse_date(None)).script, mimetype="text/javascript")


@blueprint.get("/map/style.css")
def init_style() -> Response:
    """The map's own styles, taken out of the page."""
    return Response(map_page(parse_date(None)).style, mimetype="text/css")


@blueprint.get("/static/maps/<name>")
def map_static(name: str) -> Response:
    """The page's own script and styles (maps/static)."""
    if name not in _MAP_STATIC:
        abort(404)
    return send_from_directory(STATIC, name, max_age=3600)


@blueprint.get("/assets/leaflet/<path:name>")
def leaflet_asset(name: str) -> Response:
    """Leaflet, from the pinned XStatic-Leaflet package."""
    return send_from_directory(leaflet.BASE_DIR, name, max_age=86400)


@blueprint.get("/v1/places")
def places() -> dict[str, Any]:
    """Places of the gazetteer whose name starts with ``q``."""
    state: dict[str, Any] = current_app.extensions["riskzones"]
    if "gazetteer" not in state:
        state["gazetteer"] = Gazetteer.from_pack(state["pack"])
    query = query_text(request, "q")
    if query is None:
        raise InputFormatError("q is missing; give the start of a place name, e.g. q=Tingo", field="q")
    found = state["gazetteer"].search(query)
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
            }
            for p in found
        ]
    }
