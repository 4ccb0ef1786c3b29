"""The ceiling for the load benchmark: a bare Flask endpoint doing one shapely test."""

from __future__ import annotations

from flask import Flask, request
from shapely import intersects_xy, prepare

from geo.pack import load_default_pack


def create_app() -> Flask:
    app = Flask(__name__)
    vraem = load_default_pack().zone("us-vraem").geometry
    prepare(vraem)

    @app.get("/v1/check")
    def check() -> dict[str, bool]:
        lon, lat = float(request.args["lon"]), float(request.args["lat"])
        return {"vraem": bool(intersects_xy(vraem, lon, lat))}

    return app
