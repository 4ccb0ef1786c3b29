"""Liveness and the loaded pack's description."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from geo.engine.index import ZoneIndex
from geo.pack import ZonePack
from service.http.serialize import currency_json
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
    """The served pack: version, build, zone counts, baseline and sources; and the packs of the
    neighbours served beside it, each in the same form (``countries``)."""
    region = state().region
    return {
        **_summary(region.home),
        "countries": [_summary(index) for index in region.indexes[1:]],
    }


def _summary(index: ZoneIndex) -> dict[str, Any]:
    pack = index.pack
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
        "advisories": [
            {
                "code": g.code,
                "name": g.name,
                "scale": g.scale,
                "as_of": g.as_of.isoformat(),
                "verified_on": g.verified_on.isoformat(),
                "versions": [
                    {
                        "version": v.version,
                        "in_force_from": v.in_force_from.isoformat(),
                        "superseded_on": v.superseded_on.isoformat() if v.superseded_on else None,
                        "level": v.level,
                        "native_level": v.native_level,
                        "url": v.url,
                        "verified_on": v.verified_on.isoformat(),
                    }
                    for v in g.versions
                ],
                "not_drawn": list(g.not_drawn),
            }
            for g in pack.governments.values()
        ],
        "country": pack.country,
        "timezone": pack.timezone,
        "currency": currency_json(index.on(pack.date(None)).currency),
        "emergencies_not_drawn": list(pack.not_drawn),
        "changelog": list(pack.changelog),
    }
