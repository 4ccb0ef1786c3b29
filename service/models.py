"""The API's request and response shapes, declared once as typed models.

Pydantic v2 models: request bodies are validated with them (``service.schemas.validate``)
and the OpenAPI document's component schemas are generated from them, so what the API
accepts and what it documents cannot drift apart. Tests validate real responses against
the generated schemas.

Numbers are strict (``true`` is not 1, ``"12"`` is not 12); objects accept unknown keys
(GeoJSON ``properties``, foreign members), as GeoJSON readers do.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, WithJsonSchema

from geo.i18n import _

__all__ = ["COMPONENTS"]


def _identifier(value: object) -> object:
    """A string or an integer of any size (pydantic-core's own int type stops at 64 bits).
    A whole number written with a fraction (``50.0``) is the integer JSON Schema says it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(_("an id must be a string or an integer"))
    return value


Number = Annotated[float, Strict()]
Whole = Annotated[int, Strict()]
Lon = Annotated[float, Strict(), Field(ge=-180, le=180)]
Lat = Annotated[float, Strict(), Field(ge=-90, le=90)]
Level = Annotated[int, Strict(), Field(ge=1, le=4)]
Identifier = Annotated[
    object,
    AfterValidator(_identifier),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]
Day = Annotated[str, Strict(), Field(json_schema_extra={"format": "date"}, description="YYYY-MM-DD")]
Status = Literal["in_force", "unconfirmed", "expired", "not_yet"]
Verdict = Literal["do_not_travel", "reconsider", "caution", "ok", "not_covered"]
Position = Annotated[
    tuple[Lon, Lat] | tuple[Lon, Lat, Number],
    Field(description="[lon, lat] or [lon, lat, elevation]."),
]


def omissible(description: str | None = None) -> Any:
    """A field that may be left out but not sent as null: absent reads as None, while an
    explicit null fails the field's type (the schema shows no null default)."""
    return Field(None, description=description)


class Shape(BaseModel):
    """A JSON object: unknown keys are kept, not refused."""

    model_config = ConfigDict(extra="allow")


# Errors and references.


class Problem(Shape):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = Field(None, description="The offending input field.")


class PackRef(Shape):
    id: str
    version: str


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
    as_of: Day = Field(description="The newest text of this government the pack was built from.")
    possibly_outdated: bool = Field(description="as_of is more than 180 days before the asked date.")
    areas: list[str] = Field(description="Its zones that set the level here.")
    excepted: list[str] = Field(description="Its zones lifted here by one of its exceptions.")


class Currency(Shape):
    source: str
    as_of: Day | None
    possibly_outdated: bool


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

# Route requests.

LineCoordinates = Annotated[list[Position], Field(min_length=1)]


class LineStringGeometry(Shape):
    type: Literal["LineString"]
    coordinates: LineCoordinates


class MultiLineStringGeometry(Shape):
    type: Literal["MultiLineString"]
    coordinates: Annotated[list[LineCoordinates], Field(min_length=1)]


class LineFeature(Shape):
    type: Literal["Feature"]
    geometry: Annotated[LineStringGeometry | MultiLineStringGeometry, Field(discriminator="type")]


class RouteFeatureCollection(Shape):
    """Line features (and point features, which are ignored: waypoints)."""

    type: Literal["FeatureCollection"]
    features: Annotated[list[LineFeature | PointFeature], Field(min_length=1)]


class PolylineRoute(Shape):
    """A Google encoded polyline."""

    polyline: Annotated[str, Strict(), Field(min_length=1)]
    precision: Literal[5, 6] = 5


RouteJson = (
    LineStringGeometry | MultiLineStringGeometry | LineFeature | RouteFeatureCollection | PolylineRoute
)

# Route answers.


class Crossing(Shape):
    enter: tuple[float, float]
    exit: tuple[float, float]
    enter_km: float
    exit_km: float
    inside_km: float


class ZoneOnRoute(Shape):
    id: str
    name: str
    kind: Literal["zone", "exception"]
    level: Level
    status: Status
    status_text: str
    raises_level: bool
    inside_km: float = Field(description="Geodesic km inside, exceptions excluded.")
    excepted_km: float = Field(description="Geodesic km inside the zone but within an exception in force.")
    crossings: list[Crossing]
    within_corridor_km: float | None = None


class Approach(Shape):
    """The closest the route comes to a zone it does not cross."""

    id: str
    name: str
    level: Level
    status: Status
    distance_km: Annotated[float, Field(ge=0)]
    route_point: tuple[float, float]
    route_km: float
    zone_point: tuple[float, float]


class RouteCheck(Shape):
    verdict: Verdict
    max_level: Level | None
    label: str | None
    length_km: float
    covered_km: float
    vertices: int
    date: Day
    corridor_km: float
    zones: list[ZoneOnRoute]
    near: list[Approach]
    reasons: list[str]
    advisory: str | None = None
    advisories: list[GovernmentAnswer] = []
    disagreement: bool = False
    currency: list[Currency] = []
    alerts: list[AlertOnAnswer] = Field(
        [], description="Alerts applying along the route; they raise max_level."
    )


class RouteResult(RouteCheck):
    name: str | None
    pack: PackRef


# Itineraries.


class StopIn(Shape):
    """A place name ("Cusco", "Santa Rosa, Loreto") or lat and lon; a date."""

    place: str = omissible()
    department: str = omissible()
    lat: Lat = omissible()
    lon: Lon = omissible()
    name: str = omissible()
    date: Day = omissible()


class LegIn(Shape):
    mode: Literal["flight", "road", "river", "rail", "foot"] = omissible()
    date: Day = omissible()
    depart: str = omissible("HH:MM local time in Lima on the leg's date, or ISO 8601 with offset.")
    arrive: str = omissible("HH:MM (the next day when not after depart), or ISO 8601 with offset.")
    route: dict[str, object] | str = omissible("A GeoJSON line, or route text.")
    gpx: str = omissible()
    kml: str = omissible()
    polyline: str | dict[str, object] = omissible()


class ItineraryRequest(Shape):
    stops: Annotated[list[StopIn], Field(min_length=1)]
    legs: list[LegIn] = []


class Place(Shape):
    name: str
    lon: float
    lat: float
    ubigeo: str
    district: str
    province: str
    department: str
    kind: str
    approximate: bool
    geonameid: int | None
    population: int | None


class StopAnswer(Shape):
    index: int
    name: str
    date: Day
    place: Place | None
    also_named: list[Place]
    check: PointAnswer


class NightRuleAnswer(Shape):
    government: str
    version: Day
    rule: Literal["prohibited", "allowed", "avoid", "caution"]
    scope: str
    corridor: str
    quote: str
    source_url: str
    waypoints: list[list[float]] | None = Field(description="Towns marking an allowed corridor.")


class NightAnswer(Shape):
    """A road leg departing or arriving between sunset and sunrise."""

    at_night: list[Literal["depart", "arrive"]]
    depart: str | None
    arrive: str | None
    sunset: str
    sunrise: str
    rules: list[NightRuleAnswer] = Field(description="The U.S. night-travel rules in force that day.")
    allowed_on: list[str] = Field(description="Allowed corridors both ends lie near (approximate).")
    approximate: bool
    summary: str


class LegAnswer(Shape):
    index: int
    origin: str
    destination: str
    mode: str
    date: Day
    checked: Literal["endpoints", "route", "straight_line"]
    approximate: bool
    route: RouteCheck | None
    check_actual_route: list[str]
    verdict: Verdict | Literal["endpoints_only", "check_actual_route"] = Field(
        description="The route check's verdict; endpoints_only for a flight (its stops are "
        "checked); check_actual_route when a straight line stands in for the route and "
        "seems to cross a zone."
    )
    night: NightAnswer | None = Field(description="Set when a road leg travels at night.")


class ItineraryResult(Shape):
    verdict: Verdict
    max_level: Level | None
    label: str | None
    needs_review: bool = Field(description="A leg without geometry seems to cross a zone.")
    reasons: list[str]
    stops: list[StopAnswer]
    legs: list[LegAnswer]
    pack: PackRef


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


class PackGovernment(Shape):
    """A government whose advice the pack carries: its scale and every text read."""

    code: str
    name: str
    scale: dict[str, str] = Field(description="Its own words for levels 1-4.")
    as_of: Day = Field(description="The newest text of this government the pack was built from.")
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


#: The components of the OpenAPI document that operations refer to (the models these use
#: are published too).
COMPONENTS = (
    "Problem",
    "CheckResult",
    "CheckBatchRequest",
    "CheckBatchResult",
    "RouteJson",
    "RouteResult",
    "ItineraryRequest",
    "ItineraryResult",
    "ZoneFeature",
    "ZoneCollection",
    "PlaceList",
    "Health",
    "PackSummary",
)
