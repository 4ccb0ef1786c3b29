"""``/v1/changes`` and ``/v1/changes.atom``: pack versions served and alerts published,
changed and ended, newest first, as JSON and as an Atom feed (written by feedgen)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.http.requests import query_int
from service.state import state
from service.store.alerts import changes
from service.store.models import ChangeRow

__all__ = ["blueprint"]

blueprint = Blueprint("feeds", __name__)

_DEFAULT_LIMIT = 50


def _link(change: ChangeRow) -> str:
    return "/v1/pack" if change.kind == "pack" else f"/v1/alerts/{change.ref}"


def _entries() -> list[ChangeRow]:
    limit = query_int(request, "limit", 1, 500) or _DEFAULT_LIMIT
    return changes(state().alerts.store, limit)


@blueprint.get("/v1/changes")
def changes_json() -> dict[str, Any]:
    """The feed as JSON."""
    return {
        "changes": [
            {
                "id": c.id,
                "at": c.at.isoformat(),
                "kind": c.kind,
                "ref": c.ref,
                "title": c.title,
                "link": _link(c),
            }
            for c in _entries()
        ]
    }


@blueprint.get("/v1/changes.atom")
def changes_atom() -> Response:
    """The feed as Atom 1.0, for feed readers."""
    from feedgen.feed import FeedGenerator

    entries = _entries()
    base = request.host_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(f"{base}/v1/changes.atom")
    feed.title("riskzones: zone packs and alerts")
    feed.subtitle("Zone pack versions served, and alerts published, changed and ended, newest first")
    feed.link(href=f"{base}/v1/changes.atom", rel="self")
    feed.link(href=f"{base}/", rel="alternate")
    feed.author({"name": "riskzones"})
    feed.updated(entries[0].at if entries else state().alerts.started)
    for change in reversed(entries):  # feedgen puts the entry added last first
        entry = feed.add_entry()
        entry.id(f"{base}/v1/changes/{change.id}")
        entry.title(change.title)
        entry.link(href=base + _link(change))
        entry.updated(change.at)
        entry.published(change.at)
        entry.category(term=change.kind)
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")
