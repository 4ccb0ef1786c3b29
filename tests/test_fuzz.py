"""Schemathesis against /openapi.json: no 5xx, every response conforming to the document.

A bounded number of generated requests per operation keeps the run short enough for CI.
"""

from __future__ import annotations

import io
import zipfile

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from service import create_app
from service.store import create_key


def _kmz(kml: bytes) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml)
    return packed.getvalue()


# A KMZ body is bytes to the schema: archives around generated text, and raw bytes.
schemathesis.openapi.media_type(
    "application/vnd.google-earth.kmz",
    st.one_of(st.binary(max_size=64), st.binary(max_size=200).map(_kmz)),
)
app = create_app({"TESTING": True, "KEY_RATE_LIMIT": ""})  # limits are tested elsewhere
schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
# Test keys: operations that need one are fuzzed with a live key of their scope.
_KEYS = {
    scope: create_key(app.extensions["riskzones"].alerts.store, scope, "fuzz")[0]
    for scope in ("alerts", "watches")
}


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_and_never_fails(case: schemathesis.Case) -> None:
    # Some valid-looking input is still wrong in ways a schema cannot say: a bbox must be
    # ordered (min <= max), and a GPX, KML, CSV or YAML body is "a string" to the schema but
    # must be a readable file. The API answers those with a 400, so that one check is off there.
    # Alerts and watches too: a schema cannot say that an alert lies in Peru, that its
    # polygon is valid, or that a callback URL resolves to a public address.
    # OGC items: a bbox must be ordered and a datetime a real day or interval.
    semantic = {"/v1/zones", "/v1/route", "/v1/itinerary", "/ogc/collections/{collectionId}/items"}
    path = case.operation.path
    excluded = (
        [positive_data_acceptance]
        if path in semantic or path.startswith(("/v1/alerts", "/v1/watches"))
        else []
    )
    scope = (
        "alerts" if path.startswith("/v1/alerts") else "watches" if path.startswith("/v1/watches") else None
    )
    headers = {"Authorization": f"Bearer {_KEYS[scope]}"} if scope else None
    case.call_and_validate(headers=headers, excluded_checks=excluded)
