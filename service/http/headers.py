"""Headers on every response: security policy, and CORS only for configured origins."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask, Response
from flask_cors import CORS

__all__ = ["CONTENT_SECURITY_POLICY", "install_headers", "install_rate_limit"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def install_headers(app: Flask) -> None:
    """Security headers always; CORS when ``CORS_ORIGINS`` lists origins (off by default)."""
    origins = app.config["CORS_ORIGINS"]
    if isinstance(origins, str):
        origins = [o.strip() for o in origins.split(",") if o.strip()]
    if origins:
        CORS(app, origins=origins, methods=["GET", "POST"], expose_headers=["ETag"])

    policy = CONTENT_SECURITY_POLICY
    tiles = app.config.get("TILES") or ""
    if tiles.startswith(("https://", "http://")):
        # Map tiles are images from the configured tile server, and only from it.
        origin = "/".join(tiles.split("/")[:3]).replace("{s}", "*")
        policy = policy.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")

    security = (
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
    )

    @app.after_request
    def _secure(response: Response) -> Response:
        # One pass over the headers a view set (four ``setdefault`` calls scan them four times,
        # a tenth of a point answer's time); a view's own value wins.
        present = {name.lower() for name, _ in response.headers}
        response.headers.extend([(name, value) for name, value in security if name.lower() not in present])
        return response


def install_rate_limit(app: Flask) -> None:
    """Request limits (429 beyond): per client address when ``RATE_LIMIT`` is set (off by
    default); per API key on the key-holding blueprints (alerts, watches) when
    ``KEY_RATE_LIMIT`` is set (on by default). Counted per worker in memory."""
    limits, per_key = app.config["RATE_LIMIT"], app.config["KEY_RATE_LIMIT"]
    if not limits and not per_key:
        return
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    limiter = Limiter(
        get_remote_address, app=app, default_limits=[limits] if limits else [], storage_uri="memory://"
    )
    if per_key:
        for name in ("alerts", "watches"):
            blueprint = cast(Blueprint, app.blueprints[name])
            limiter.limit(per_key, key_func=_key_identity, exempt_when=_without_key)(blueprint)


def _key_identity() -> str:
    """What per-key limits count by: a digest of the presented key (never the key itself)."""
    import hashlib

    from flask import request

    return hashlib.sha256(request.headers.get("Authorization", "").encode()).hexdigest()


def _without_key() -> bool:
    from flask import request

    return "Authorization" not in request.headers
