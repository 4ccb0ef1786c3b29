"""Liveness and the loaded pack's description."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from geo.pack import ZonePack
from service.state import state

__all__ = ["blueprint"]

blueprint = Blueprint("health", __name__)


def _pack() -> ZonePack:
    return state().pack


@blueprint.get("/healthz")
def healthz() -> dict[str, Any]:
    """Liveness, with the id and version of the pack being served."""
    pack = _pack()
    return {"status": "ok", "pack": {"id": pack.id, "version": pack.version}}


@blueprint.get("/v1/pack")
def pack_summary() -> dict[str, Any]:
    """The served pack: version, build, zone counts, baseline and sources."""
    pack = _pack()
    return {
        **pack.summary(),
        "baseline": {
            "level": pack.baseline.level,
            "summary": pack.baseline.summary,
            "advice": list(pack.baseline.advice),
            "contacts": list(pack.baseline.contacts),
        },
        "sources": list(pack.sources),
        "zone_ids": [z.id for z in pack.zones],
    }
