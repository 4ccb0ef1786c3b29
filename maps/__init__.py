"""Folium map builders (pure functions returning ``folium.Map``); the risk map arrives with
its own change. ``maps`` imports ``geo`` and folium, never ``service``."""

__all__: list[str] = []
