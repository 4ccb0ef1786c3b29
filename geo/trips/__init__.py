"""Trips: routes and where they cross zones, itineraries and night travel, place names and
alerts."""

__all__: list[str] = []
