"""Routes and itineraries: ``/v1/route`` and ``/v1/itinerary`` requests and answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Strict

from service.openapi.models.base import (
    Day,
    Lat,
    Level,
    Lon,
    PackRef,
    Position,
    Shape,
    Status,
    Verdict,
    omissible,
)
from service.openapi.models.points import (
    AlertOnAnswer,
    Currency,
    GovernmentAnswer,
    MultiPointGeometry,
    PointAnswer,
    PointGeometry,
)

__all__ = [
    "Approach",
    "AreaGeometry",
    "Crossing",
    "ItineraryRequest",
    "ItineraryResult",
    "LegAnswer",
    "LegIn",
    "LineStringGeometry",
    "MultiLineStringGeometry",
    "NightAnswer",
    "NightRuleAnswer",
    "Place",
    "PolylineRoute",
    "RouteCheck",
    "RouteFeature",
    "RouteFeatureCollection",
    "RouteGeometry",
    "RouteGeometryCollection",
    "RouteInput",
    "RouteJson",
    "RouteResult",
    "StopAnswer",
    "StopIn",
    "ZoneOnRoute",
]

# Route requests: what geo.io.geojson_routes reads (the reader decides; these describe it).


class LineStringGeometry(Shape):
    """A line; an empty one is skipped (RFC 7946 allows it), and the answer counts it."""

    type: Literal["LineString"]
    coordinates: list[Position]


class MultiLineStringGeometry(Shape):
    type: Literal["MultiLineString"]
    coordinates: list[list[Position]]


class AreaGeometry(Shape):
    """A Polygon or MultiPolygon: an area, not a route; passed over, and counted."""

    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[Any]


class RouteGeometryCollection(Shape):
    """Its lines make the route, as a MultiLineString's would."""

    type: Literal["GeometryCollection"]
    geometries: list[RouteGeometry]


RouteGeometry = Annotated[
    LineStringGeometry
    | MultiLineStringGeometry
    | PointGeometry
    | MultiPointGeometry
    | AreaGeometry
    | RouteGeometryCollection,
    Field(discriminator="type"),
]


class RouteFeature(Shape):
    """A feature: its lines are the route, its points waypoints; no geometry holds nothing."""

    type: Literal["Feature"]
    geometry: RouteGeometry | None


class RouteFeatureCollection(Shape):
    """Line features; point features are waypoints, used only when the file has no lines."""

    type: Literal["FeatureCollection"]
    features: list[RouteFeature]


class PolylineRoute(Shape):
    """A Google encoded polyline."""

    polyline: Annotated[str, Strict(), Field(min_length=1)]
    precision: Literal[5, 6] = 5


RouteJson = (
    LineStringGeometry
    | MultiLineStringGeometry
    | RouteGeometryCollection
    | RouteFeature
    | RouteFeatureCollection
    | PolylineRoute
)
RouteGeometryCollection.model_rebuild()


class RouteInput(Shape):
    """What was read from the route file, and what was left out."""

    format: Literal["geojson", "gpx", "kml", "kmz", "polyline", "csv"]
    parts: int
    vertices: int
    empty_parts_skipped: int = Field(description="Lines with no positions (an empty trkseg), skipped.")
    waypoints_ignored: int = Field(description="Waypoints not used: the file's lines are the route.")
    areas_ignored: int = Field(description="Polygons not used: an area is not a route.")
    from_waypoints: bool = Field(
        description="The file has no lines: the route is the straight line through its waypoints "
        "in order, which may not be the road."
    )
    notes: list[str]


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


class BorderCrossing(Shape):
    from_country: str | None = Field(description="ISO 3166 alpha-3; null: from outside every country served.")
    to_country: str | None = Field(description="ISO 3166 alpha-3; null: out of every country served.")
    lon: float
    lat: float
    km: float = Field(description="km along the route.")


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
    countries: list[str] = Field(
        [],
        description="The countries served that the route passes through, in order (ISO 3166 alpha-3); "
        "empty when it lies in the home pack only. Each is checked with its own pack.",
    )
    border_crossings: list[BorderCrossing] = Field([], description="Where it passes from one to another.")


class RouteResult(RouteCheck):
    name: str | None
    input: RouteInput
    pack: PackRef


# Itineraries.


class StopIn(Shape):
    """A place name ("Cusco", "Santa Rosa, Loreto"), an airport's IATA code ("CUZ") or lat and
    lon; a date."""

    place: str = omissible()
    airport: Annotated[str, Field(pattern="^[A-Za-z]{3}$")] = omissible("IATA code of an airport in Peru.")
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
    reasons: list[str] = Field(description="Why this stop has its answer (the trip's reasons name it).")


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
    reasons: list[str] = Field(description="Why this leg has its answer (the trip's reasons name it).")


class UnplacedEvent(Shape):
    """A calendar event that is not a stop: its date, location, why, and the places it could
    mean."""

    event: str
    date: Day | None
    location: str
    reason: str
    candidates: list[Place]


class ItineraryResult(Shape):
    verdict: Verdict
    max_level: Level | None
    label: str | None
    needs_review: bool = Field(
        description="A leg without geometry seems to cross a zone, or a calendar event could not be placed."
    )
    reasons: list[str]
    stops: list[StopAnswer]
    legs: list[LegAnswer]
    unplaced: list[UnplacedEvent] = omissible("Calendar events not checked (only when there are some).")
    pack: PackRef
