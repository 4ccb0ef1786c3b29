"""The API's request and response shapes, declared once as typed models.

Pydantic v2 models: request bodies are validated with them (``service.openapi.schemas.validate``)
and the OpenAPI document's component schemas are generated from them, so what the API
accepts and what it documents cannot drift apart. Tests validate real responses against
the generated schemas.

Numbers are strict (``true`` is not 1, ``"12"`` is not 12); objects accept unknown keys
(GeoJSON ``properties``, foreign members), as GeoJSON readers do.
"""

from service.openapi.models.base import *  # noqa: F403
from service.openapi.models.points import *  # noqa: F403
from service.openapi.models.trips import *  # noqa: F403
from service.openapi.models.zones import *  # noqa: F403

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
