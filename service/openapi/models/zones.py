"""Zones, places and the pack: ``/v1/zones``, ``/v1/places``, ``/healthz`` and the pack summary."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from service.openapi.models.base import Day, Level, PackRef, Shape, Status
from service.openapi.models.points import Currency

__all__ = [
    "AdvisoryText",
    "Health",
    "PackChange",
    "PackGovernment",
    "PackSummary",
    "PlaceList",
    "PlaceMatch",
    "Source",
    "ZoneCollection",
    "ZoneFeature",
    "ZoneGeometry",
    "ZoneProperties",
]

# Zones, places, pack.


class Source(Shape):
    title: str
    url: str
    date: str | None = None


class ZoneProperties(Shape):
    id: str
    name: str
    kind: Literal["zone", "exception"]
    parent: str | None = None
    level: Level
    categories: list[str]
    basis: Literal["official-advisory", "government-decree", "monitoring-report", "indicative"]
    summary: str
    advice: str
    sources: list[Source]
    valid_from: str | None
    valid_until: str | None
    renewed_since: int | None = None
    confidence: str
    notes: list[str]
    built_from: str
    status: Status
    status_text: str | None = None


class ZoneGeometry(Shape):
    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[object]


class ZoneFeature(Shape):
    type: Literal["Feature"]
    id: str
    properties: ZoneProperties
    geometry: ZoneGeometry
    pack: PackRef | None = None
    date: Day | None = None


class ZoneCollection(Shape):
    type: Literal["FeatureCollection"]
    features: list[ZoneFeature]
    pack: PackRef
    date: Day


class PlaceMatch(Shape):
    name: str
    lon: float
    lat: float
    district: str
    province: str
    department: str
    ubigeo: str
    approximate: bool | None = Field(None, description="Placed at its district's centre.")
    country: str | None = Field(None, description="The country it is in, as its pack names it.")


class PlaceList(Shape):
    places: list[PlaceMatch]


class Health(Shape):
    status: Literal["ok"]
    pack: PackRef


class AdvisoryText(Shape):
    """One dated text of a government's advice."""

    version: Day
    in_force_from: Day
    superseded_on: Day | None
    level: Level
    native_level: str
    url: str
    verified_on: Day = Field(
        description="The last day this text was seen unchanged (its own date if never since)."
    )


class PackGovernment(Shape):
    """A government whose advice the pack carries: its scale and every text read."""

    code: str
    name: str
    scale: dict[str, str] = Field(description="Its own words for levels 1-4.")
    as_of: Day = Field(description="The newest text of this government the pack was built from.")
    verified_on: Day = Field(
        description="The last day that newest text was seen unchanged (last confirmed current)."
    )
    versions: list[AdvisoryText]


class PackChange(Shape):
    """What changed in one build of the pack (as ``riskzones zones diff --json``)."""

    version: str
    built: str
    old_version: str | None
    new_version: str | None
    added: list[dict[str, object]]
    removed: list[dict[str, object]]
    changed: list[dict[str, object]]


class PackSummary(Shape):
    id: str
    name: str | None = None
    version: str
    built: str
    content_sha256: str | None = None
    zones: int
    zones_by_level: dict[str, int] | None = None
    districts: int | None = None
    baseline_level: Level | None = None
    baseline: dict[str, object]
    sources: list[dict[str, object]]
    zone_ids: list[str]
    advisories: list[PackGovernment] = Field(description="Each government's texts and as_of.")
    currency: list[Currency] = Field(description="How current each source is today (in Lima).")
    emergencies_not_drawn: list[dict[str, object]] = Field(
        description="States of emergency known from decrees that the pack cannot draw, and why."
    )
    changelog: list[PackChange] = Field(description="What changed from build to build, newest first.")
    country: str | None = Field(None, description="The country the pack covers (ISO 3166 alpha-3).")
    timezone: str | None = Field(None, description="The IANA time zone of the pack's dates.")
    countries: list[dict[str, object]] = Field(
        [],
        description="The neighbours' packs served beside this one, each in this same form: a point "
        "in one of them is answered there. Each government's not_drawn lists the areas it names "
        "there that no zone draws.",
    )


#: The components of the OpenAPI document that operations refer to (the models these use
#: are published too).
