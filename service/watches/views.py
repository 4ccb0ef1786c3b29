"""``/v1/watches``: saved routes and itineraries of a ``watches`` key, re-checked on change."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from service.http.auth import require_key
from service.http.requests import json_body
from service.state import state
from service.watches.recheck import new_watch, recheck, run_watch
from service.watches.store import delete_watch, get_watch, history, list_watches

__all__ = ["blueprint"]

blueprint = Blueprint("watches", __name__)


def _config(name: str) -> Any:
    return current_app.config[name]


@blueprint.post("/v1/watches")
def create() -> Response:
    """Save a route or itinerary as a watch; 201 with its id, its answer now, and the secret
    that signs its notifications (shown once)."""
    key_id = require_key("watches")
    row, answer = new_watch(
        state(),
        key_id,
        json_body(request),
        allow_private=_config("WEBHOOKS_ALLOW_PRIVATE"),
        max_stops=_config("MAX_STOPS"),
    )
    response = jsonify(
        {
            "id": row.id,
            "kind": row.kind,
            "callback_url": row.callback_url,
            "secret": row.secret,
            "created_at": row.created_at.isoformat(),
            "answer": answer,
        }
    )
    response.status_code = 201
    response.headers["Location"] = f"/v1/watches/{row.id}"
    return response


@blueprint.get("/v1/watches")
def listing() -> dict[str, Any]:
    """This key's watches."""
    key_id = require_key("watches")
    rows = list_watches(state().alerts.store, key_id)
    return {
        "watches": [
            {
                "id": r.id,
                "kind": r.kind,
                "callback_url": r.callback_url,
                "checked_at": r.checked_at.isoformat(),
            }
            for r in rows
        ]
    }


@blueprint.get("/v1/watches/<watch_id>")
def show(watch_id: str) -> dict[str, Any]:
    """A watch of this key: its answer now and the notifications sent, newest first."""
    key_id = require_key("watches")
    served = state()
    row = get_watch(served.alerts.store, watch_id, key_id)
    return {
        "id": row.id,
        "kind": row.kind,
        "callback_url": row.callback_url,
        "created_at": row.created_at.isoformat(),
        "checked_at": row.checked_at.isoformat(),
        "summary": row.summary,
        "answer": run_watch(served, row.kind, row.request, _config("MAX_STOPS")),
        "notifications": history(served.alerts.store, row.id),
    }


@blueprint.post("/v1/watches/<watch_id>/recheck")
def recheck_one(watch_id: str) -> dict[str, Any]:
    """Re-check a watch of this key now (a notification is queued if its answer changed)."""
    key_id = require_key("watches")
    served = state()
    row = get_watch(served.alerts.store, watch_id, key_id)
    return recheck(served, [row], {"kind": "recheck", "ref": watch_id}, _config("MAX_STOPS"))


@blueprint.delete("/v1/watches/<watch_id>")
def forget(watch_id: str) -> Response:
    """Delete a watch of this key, with its notifications."""
    key_id = require_key("watches")
    delete_watch(state().alerts.store, watch_id, key_id)
    return Response(status=204)
