"""riskzones engine: zone packs and their checks.

``geo`` never imports flask, folium, ``service`` or ``maps``.
"""

from geo.errors import (
    CoordinateError,
    GeometryError,
    InputFormatError,
    PackError,
    RiskzonesError,
    SourceError,
    UnknownZoneError,
)
from geo.pack import LEVEL_LABELS, Zone, ZonePack, load_default_pack, load_pack

__all__ = [
    "LEVEL_LABELS",
    "CoordinateError",
    "GeometryError",
    "InputFormatError",
    "PackError",
    "RiskzonesError",
    "SourceError",
    "UnknownZoneError",
    "Zone",
    "ZonePack",
    "load_default_pack",
    "load_pack",
]
