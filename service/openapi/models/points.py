"""Points: ``/v1/check`` answers and ``POST /v1/check`` requests."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from service.openapi.models.base import (
    Day,
    Identifier,
    Lat,
    Level,
    Lon,
    Number,
    PackRef,
    Position,
    Shape,
    Status,
    omissible,
)

__all__ = [
    "Admin",
    "Advice",
    "AlertOnAnswer",
    "BatchPointAnswer",
    "CheckBatchRequest",
    "CheckBatchResult",
    "CheckResult",
    "Contact",
    "Currency",
    "GovernmentAnswer",
    "LonLat",
    "MultiPointGeometry",
    "NearbyZone",
    "NotDrawnArea",
    "PointAnswer",
    "PointFeature",
    "PointFeatureCollection",
    "PointGeometry",
    "PointIn",
    "PointsRequest",
    "ZoneAdvice",
    "ZoneHit",
]

# Point answers.


class ZoneHit(Shape):
    id: str
    name: str
    kind: Literal["zone", "exception"]
    level: Level
    categories: list[str] = []
    basis: str | None = None
    status: Status
    status_text: str | None = None
    excepted: bool = Field(description="An exception zone applies here.")
    raises_level: bool
    summary: str | None = None
    confidence: str | None = None
    source: str = Field(
        description="us, uk, ca, au (a government's advice), pe (Peru's decrees) or research."
    )


class GovernmentAnswer(Shape):
    """One government's own advice here: from its zones and its country-wide level only."""

    government: str
    name: str
    level: Level | None
    native_level: str | None = Field(description="The government's own words for the level.")
    version: str = Field(description="The date of the text in force on the asked date.")
    as_of: Day = Field(description="The date of the newest text of this government the pack was built from.")
    verified_on: Day = Field(
        description="The last day that text was seen unchanged (last confirmed current): the "
        "day possibly_outdated counts from."
    )
    possibly_outdated: bool = Field(description="verified_on is more than 180 days before the asked date.")
    areas: list[str] = Field(description="Its zones that set the level here.")
    excepted: list[str] = Field(description="Its zones lifted here by one of its exceptions.")


class Currency(Shape):
    source: str
    as_of: Day | None = Field(
        description="The date of the newest text of this source the pack was built from."
    )
    verified_on: Day | None = Field(
        description="For a government: the last day its newest text was seen unchanged. Null for "
        "other sources, whose possibly_outdated counts from as_of."
    )
    possibly_outdated: bool = Field(description="More than 180 days old on the asked date.")


class LonLat(Shape):
    lon: Number
    lat: Number


class NearbyZone(Shape):
    id: str
    name: str | None = None
    level: Level
    status: str | None = None
    distance_km: Annotated[float, Field(ge=0)]
    bearing_deg: Annotated[float, Field(ge=0, le=360)]
    nearest: LonLat


class Admin(Shape):
    ubigeo: str
    district: str
    province: str
    department: str
    approximate: bool


class Contact(Shape):
    name: str
    number: str
    source: str | None = Field(None, description="Where the number was read, when not the pack's own text.")
    flags: list[str] = Field([], description='"unverified" when the number was not checked against a source.')


class NotDrawnArea(Shape):
    """An area a government names in the country answered that no zone draws: it may apply."""

    id: str
    government: str
    name: str
    level: Level
    native_level: str
    why: str = Field(description="Why it is not drawn.")
    url: str


class ZoneAdvice(Shape):
    id: str
    advice: str


class Advice(Shape):
    baseline: list[str]
    zones: list[ZoneAdvice]
    contacts: list[Contact]


class AlertOnAnswer(Shape):
    id: str
    category: str
    level: Level
    starts: str = Field(description="When the alert starts applying (ISO 8601, pack's time zone).")
    ends: str = Field(description="When it stops applying (excluded).")
    summary: str
    advice: list[str]
    source_url: str
    publisher: str


class PointAnswer(Shape):
    lon: Number
    lat: Number
    date: Day
    covered: bool = Field(description="Whether the pack covers the point.")
    level: Level | None = Field(
        description="Effective level; the baseline where no zone applies; null when not covered."
    )
    label: str | None
    zones: list[ZoneHit]
    nearby: list[NearbyZone]
    admin: Admin | None
    hint: str | None = None
    advisory: str | None = Field(None, description="The government whose advice sets level.")
    advisories: list[GovernmentAnswer] = []
    disagreement: bool = Field(
        False,
        description="Governments differ by two levels or more, or one says do not travel / avoid "
        "all travel and another does not.",
    )
    currency: list[Currency] = []
    alerts: list[AlertOnAnswer] = Field(
        [], description="Alerts applying here at the time asked about; they raise level."
    )
    country: str | None = Field(
        None, description="The country answered in (ISO 3166 alpha-3); null when no pack covers the point."
    )
    not_drawn: list[NotDrawnArea] = Field(
        [],
        description="Areas the governments name in that country, in force on the date, that are not "
        "drawn: one may apply here. Never read their absence from zones as 'no zone here'.",
    )


class CheckResult(PointAnswer):
    advice: Advice
    pack: PackRef


class BatchPointAnswer(PointAnswer):
    id: Identifier


class CheckBatchResult(Shape):
    results: list[BatchPointAnswer]
    advice: Advice
    pack: PackRef


# Point requests.


class PointIn(Shape):
    lat: Lat
    lon: Lon
    id: Identifier = omissible()


class PointsRequest(Shape):
    points: list[PointIn]
    date: Day = omissible()
    radius_km: Annotated[float, Strict(), Field(ge=0, le=500)] = omissible()


class PointGeometry(Shape):
    type: Literal["Point"]
    coordinates: Position


class MultiPointGeometry(Shape):
    type: Literal["MultiPoint"]
    coordinates: list[Position]


class PointFeature(Shape):
    type: Literal["Feature"]
    id: Identifier = omissible()
    geometry: Annotated[PointGeometry | MultiPointGeometry, Field(discriminator="type")]


class PointFeatureCollection(Shape):
    """A GeoJSON FeatureCollection of point features."""

    type: Literal["FeatureCollection"]
    features: list[PointFeature]


CheckBatchRequest = PointsRequest | PointGeometry | MultiPointGeometry | PointFeature | PointFeatureCollection
