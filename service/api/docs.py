"""``/openapi.json`` and the ``/docs`` page; every asset is served from here, none from a CDN."""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from flask import Blueprint, Response, abort, current_app, json, request, send_from_directory

from service.openapi.document import openapi_document
from service.state import state

__all__ = ["blueprint"]

# The service's own static files (service/static), one folder up from the views.
blueprint = Blueprint(
    "docs", __name__, static_folder=Path(__file__).parents[1] / "static", static_url_path="/static"
)

# Swagger UI 5 (OpenAPI 3.1), pinned through the swagger-ui-py package.
_SWAGGER = Path(swagger_ui.__file__).parent / "static"
_SWAGGER_FILES = {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"}
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>riskzones API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


#: The OpenAPI document's own media type (the OGC landing page's service-desc link says it).
OPENAPI_MEDIA = "application/vnd.oai.openapi+json;version=3.1"


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document; as ``application/vnd.oai.openapi+json`` when that is asked
    for, ``application/json`` otherwise."""
    config = current_app.config
    pack = state().pack
    categories = sorted({c for zone in pack.zones for c in zone.categories})
    document = openapi_document(config["MAX_POINTS"], config["MAX_CONTENT_LENGTH"], categories)
    asked = request.accept_mimetypes.best_match(
        ["application/json", OPENAPI_MEDIA, "application/vnd.oai.openapi+json"]
    )
    media = "application/json" if asked in (None, "application/json") else OPENAPI_MEDIA
    response = Response(json.dumps(document), content_type=media)
    response.vary.add("Accept")
    return response


@blueprint.get("/docs")
def docs() -> Response:
    """Interactive API documentation."""
    return Response(_PAGE, mimetype="text/html")


@blueprint.get("/docs/assets/<name>")
def docs_asset(name: str) -> Response:
    """Swagger UI's own files."""
    if name not in _SWAGGER_FILES:
        abort(404)
    return send_from_directory(_SWAGGER, name, max_age=86400)
