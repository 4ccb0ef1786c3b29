"""``/v1/alerts``: read alerts openly; publish, change and end them with an ``alerts`` key."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from geo.dates import parse_instant
from geo.errors import InputFormatError
from geo.i18n import _
from geo.trips.alert_body import CATEGORIES, alert_from_json
from geo.trips.alerts import Alert, asked_moment
from service.http.auth import require_key
from service.http.requests import json_body, query_bbox, query_text
from service.state import state
from service.store.alerts import (
    end_alert,
    get_alert,
    load_alerts,
    new_alert_id,
    not_ended,
    publish_alert,
    update_alert,
)
from service.store.db import utcnow
from service.watches.recheck import recheck_near

__all__ = ["blueprint"]

blueprint = Blueprint("alerts", __name__)


def _geojson(body: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/geo+json"
    return response


def _feature(alert: Alert) -> dict[str, Any]:
    return alert.feature(state().pack.timezone)


@blueprint.get("/v1/alerts")
def list_alerts() -> Response:
    """Alerts as GeoJSON: applying at ``at`` (an instant) or on ``date`` (a day), or, by
    default, those not yet ended; within ``bbox``; of ``category``."""
    served = state()
    at, date = query_text(request, "at"), query_text(request, "date")
    if at is not None and date is not None:
        raise InputFormatError(_("give at (an instant) or date (a day), not both"), field="at")
    category = query_text(request, "category")
    if category is not None and category not in CATEGORIES:
        raise InputFormatError(
            _("category must be one of {known}", known=", ".join(CATEGORIES)), field="category"
        )
    area = query_bbox(request)
    now = utcnow()
    if at is not None:
        when = asked_moment(None, served.pack.timezone, parse_instant(at, "at"))
    elif date is not None:
        when = asked_moment(date, served.pack.timezone, now)
    else:
        when = None
    window = (when.start, when.stop) if when else not_ended(now)
    alerts = load_alerts(
        served.alerts.store, window=window, bbox=area.bounds if area else None, category=category
    )
    if area is not None:
        alerts = [a for a in alerts if a.geometry.intersects(area)]
    body = {"type": "FeatureCollection", "features": [_feature(a) for a in alerts]}
    return _geojson(body)


@blueprint.get("/v1/alerts/<alert_id>")
def one_alert(alert_id: str) -> Response:
    """One alert as a GeoJSON Feature."""
    return _geojson(_feature(get_alert(state().alerts.store, alert_id)))


@blueprint.post("/v1/alerts")
def publish() -> Response:
    """Publish an alert (``alerts`` key): 201 with the alert and its ``Location``."""
    key_id = require_key("alerts")
    served = state()
    alert = alert_from_json(
        json_body(request),
        alert_id=new_alert_id(),
        publisher=key_id,
        coverage=served.region.coverage,
        now=utcnow(),
    )
    publish_alert(served.alerts.store, alert, key_id)
    served.alerts.changed()
    watches = _recheck([alert], "alert-published", alert.id)
    response = _geojson({**_feature(alert), "watches": watches}, status=201)
    response.headers["Location"] = f"/v1/alerts/{alert.id}"
    return response


@blueprint.put("/v1/alerts/<alert_id>")
def change(alert_id: str) -> Response:
    """Replace an alert published with this key (same fields as publishing)."""
    key_id = require_key("alerts")
    served = state()
    before = get_alert(served.alerts.store, alert_id)  # 404 before validating a body for nothing
    body = json_body(request)
    alert = alert_from_json(
        body, alert_id=alert_id, publisher=key_id, coverage=served.region.coverage, now=utcnow()
    )
    alert = update_alert(served.alerts.store, alert, key_id)
    served.alerts.changed()
    # Where and when it applied, and where and when it applies.
    return _geojson({**_feature(alert), "watches": _recheck([before, alert], "alert-changed", alert.id)})


@blueprint.post("/v1/alerts/<alert_id>/end")
def end(alert_id: str) -> Response:
    """End an alert published with this key, now or at ``{"at": ...}``."""
    key_id = require_key("alerts")
    served = state()
    body = json_body(request) if request.get_data(cache=True).strip() else {}
    if not isinstance(body, dict):
        raise InputFormatError(
            _("the body is empty or {example}", example='{"at": "<timestamp with time zone>"}'), field="body"
        )
    at = parse_instant(body["at"], "at") if body.get("at") is not None else None
    before = get_alert(served.alerts.store, alert_id)
    alert = end_alert(served.alerts.store, alert_id, key_id, at)
    served.alerts.changed()
    return _geojson({**_feature(alert), "watches": _recheck([before, alert], "alert-ended", alert.id)})


def _recheck(versions: list[Alert], kind: str, ref: str) -> dict[str, int]:
    """Re-check the watches a change can affect; how many were re-checked and notified."""
    return recheck_near(state(), versions, {"kind": kind, "ref": ref}, current_app.config["MAX_STOPS"])
