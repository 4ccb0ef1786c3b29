"""HTTP API and command line of riskzones. ``create_app`` is the only way to get an app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from geo.pack import load_default_pack, load_pack
from service import health
from service.errors import register_error_handlers

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, then ``RISKZONES_*`` environment variables, then ``config``.

    The zone pack is loaded and validated here, once; a broken pack stops start-up.
    """
    app = Flask(__name__)
    app.config.update(
        # Path of a zone-pack directory; None serves the packaged Peru pack.
        PACK=None,
        # Largest accepted request body, in bytes.
        MAX_CONTENT_LENGTH=1_000_000,
    )
    app.config.from_prefixed_env("RISKZONES")
    if config:
        app.config.update(config)
    pack = load_pack(app.config["PACK"]) if app.config["PACK"] else load_default_pack()
    app.extensions["riskzones"] = {"pack": pack}
    register_error_handlers(app)
    app.register_blueprint(health.blueprint)
    return app
