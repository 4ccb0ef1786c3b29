"""The answers for routes and itineraries, alerts included: what ``POST /v1/route`` and
``POST /v1/itinerary`` return and what a watch is re-checked with (one path for both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import geo.dates
from geo.engine.index import ZoneIndex
from geo.engine.region import Region
from geo.io.formats import Route
from geo.pack import ZonePack
from geo.trips.alerts import asked_moment, route_with_alerts
from geo.trips.calendar import ItineraryInput
from geo.trips.gazetteer import Gazetteer
from geo.trips.itinerary import check_itinerary
from geo.trips.region_routes import RegionRoutes
from geo.trips.trip_result import ItineraryResult
from service.http.serialize import itinerary_answer, route_answer
from service.live import LiveAlerts
from service.store.db import utcnow

__all__ = ["Engine", "Serving", "answer_itinerary", "answer_route", "check_trip", "report_itinerary"]


class Serving(Protocol):
    """What answers need: the app's ``State``, or an ``Engine`` on the command line."""

    @property
    def pack(self) -> ZonePack: ...
    @property
    def index(self) -> ZoneIndex: ...
    @property
    def region(self) -> Region: ...
    @property
    def routes(self) -> RegionRoutes: ...
    @property
    def gazetteer(self) -> Gazetteer: ...
    @property
    def alerts(self) -> LiveAlerts: ...


@dataclass(frozen=True)
class Engine:
    """``Serving`` without the web app (``riskzones watches recheck``)."""

    pack: ZonePack
    index: ZoneIndex
    region: Region
    routes: RegionRoutes
    gazetteer: Gazetteer
    alerts: LiveAlerts


def answer_route(
    served: Serving, route: Route, *, date: str | None, corridor_km: float, advisory: str | None
) -> dict[str, Any]:
    """A route's answer on ``date`` (default: now, for alerts; today, for zones)."""
    result = served.routes.check(route, date=date, corridor_km=corridor_km, advisory=advisory)
    zone = served.pack.timezone
    result = route_with_alerts(result, route, served.alerts.layer(), asked_moment(date, zone, utcnow()), zone)
    return route_answer(result, route, served.pack)


def check_trip(
    served: Serving, trip: ItineraryInput, *, max_stops: int, advisory: str | None
) -> ItineraryResult:
    """An itinerary checked: each stop and leg on its own date, alerts of those days included,
    and the calendar events that could not be placed."""
    return check_itinerary(
        served.index,
        served.routes,
        served.gazetteer,
        trip.document,
        max_stops=max_stops,
        advisory=advisory,
        alerts=served.alerts.layer(),
        unplaced=trip.unplaced,
        region=served.region,
    )


def answer_itinerary(
    served: Serving, trip: ItineraryInput, *, max_stops: int, advisory: str | None
) -> dict[str, Any]:
    """An itinerary's answer as JSON (``check_trip``)."""
    return itinerary_answer(check_trip(served, trip, max_stops=max_stops, advisory=advisory), served.pack)


def report_itinerary(
    served: Serving, trip: ItineraryInput, fmt: str, *, max_stops: int, advisory: str | None
) -> bytes:
    """An itinerary's trip report as ``fmt`` (html or pdf), checked now."""
    from service.report import render_report  # templates and the PDF renderer: loaded when asked

    result = check_trip(served, trip, max_stops=max_stops, advisory=advisory)
    return render_report(served.index, result, fmt, advisory=advisory, checked_at=geo.dates.utc_now())
