"""Folium map builders (pure functions returning ``folium.Map``) and the page around them.

``maps`` imports ``geo`` and folium, never ``service``.
"""

from maps.page import STATIC, TURF, MapPage, page, static_page
from maps.risk_map import LAYERS, LEVEL_COLOURS, risk_map, zone_layer

__all__ = [
    "LAYERS",
    "LEVEL_COLOURS",
    "STATIC",
    "TURF",
    "MapPage",
    "page",
    "risk_map",
    "static_page",
    "zone_layer",
]
