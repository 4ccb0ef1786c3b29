"""The Flask app factory: configuration, engine state, blueprints, headers and errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from geo.trips.itinerary import MAX_STOPS
from service.api import alerts, check, docs, feeds, health, mapview, ogc, routes, zones
from service.http.errors import register_error_handlers
from service.http.headers import install_headers, install_rate_limit
from service.http.jsonio import OrjsonProvider
from service.http.language import install_language
from service.state import build_state
from service.watches import views as watches

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, then ``RISKZONES_*`` environment variables, then ``config``.

    The zone pack is loaded, validated and indexed here, once, with the route checker, the
    gazetteer and today's map page (``service.state``); a broken pack stops start-up.
    """
    app = Flask(__name__, static_folder=None)
    app.json = OrjsonProvider(app)
    app.config.update(
        # Path of a zone-pack directory; None serves the packaged Peru pack.
        PACK=None,
        # The neighbours' pack directories served beside it (a point, stop or leg in one of
        # them is answered there); None: the packaged neighbours with the packaged Peru pack,
        # none with a pack of one's own (PACK).
        NEIGHBOURS=None,
        # Largest accepted request body, in bytes (413 beyond).
        MAX_CONTENT_LENGTH=1_000_000,
        # Most points in one POST /v1/check (413 beyond).
        MAX_POINTS=10_000,
        # Route and itinerary bodies (GPX files are large), in bytes.
        MAX_ROUTE_BYTES=20_000_000,
        # Most vertices in one route (413 beyond).
        MAX_ROUTE_VERTICES=200_000,
        # Most stops in one itinerary (413 beyond).
        MAX_STOPS=MAX_STOPS,
        # Map base tiles: a URL template such as https://tile.example/{z}/{x}/{y}.png; empty:
        # zones and the country outline on a plain background (works offline).
        TILES="",
        TILES_ATTRIBUTION="",
        # Requests per client address, e.g. "600/minute;20/second" (flask-limiter syntax,
        # counted per worker in memory); empty: no rate limit.
        RATE_LIMIT="",
        # Requests per API key on the alerts and watches endpoints (flask-limiter syntax,
        # counted per worker); empty: no per-key limit.
        KEY_RATE_LIMIT="120/minute;10/second",
        # Origins allowed to call the API from a browser (comma-separated); empty: CORS off.
        CORS_ORIGINS="",
        # Where keys and alerts are stored (SQLAlchemy URL, e.g. postgresql+psycopg://...);
        # empty: SQLite in the instance directory (RISKZONES_INSTANCE, default ./instance).
        DATABASE_URL="",
        # Seconds a worker may serve alerts before asking the database whether they changed.
        ALERTS_REFRESH_S=2.0,
        # Development only: let webhooks go to http:// and to loopback or private addresses.
        WEBHOOKS_ALLOW_PRIVATE=False,
    )
    app.config.from_prefixed_env("RISKZONES")
    if config:
        app.config.update(config)
    # Never the interactive debugger: this app is served by gunicorn, even in development.
    app.debug = False
    app.extensions["riskzones"] = build_state(app.config)
    register_error_handlers(app)
    install_headers(app)
    install_language(app)
    for module in (health, check, zones, routes, alerts, watches, feeds, docs, mapview, ogc):
        app.register_blueprint(module.blueprint)
    install_rate_limit(app)
    return app
