"""Alerts in the database: publish, change, end, read; each change also enters the feed."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from shapely.geometry import mapping, shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geo.errors import RiskzonesError
from geo.i18n import _
from geo.trips.alerts import Alert, ended
from service.store.db import Store, utcnow
from service.store.models import AlertRow, ChangeRow

__all__ = [
    "AlertsExtent",
    "NotFoundError",
    "alerts_extent",
    "changes",
    "end_alert",
    "get_alert",
    "load_alerts",
    "new_alert_id",
    "not_ended",
    "pack_ref",
    "publish_alert",
    "record_pack",
    "update_alert",
    "version",
]

#: Alerts kept in the served layer: those not ended more than this long ago (questions about
#: older days see the pack's zones only).
KEEP_ENDED = dt.timedelta(days=366)


class NotFoundError(RiskzonesError):
    """No such item for this caller (HTTP 404; another key's item is not found either)."""


def not_ended(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The window of the alerts not yet ended at ``now`` (those applying now or later)."""
    return now, dt.datetime.max.replace(tzinfo=dt.UTC)


def new_alert_id() -> str:
    return "al_" + secrets.token_hex(8)


def _alert(row: AlertRow) -> Alert:
    return Alert(
        id=row.id,
        category=row.category,
        level=row.level,
        starts=row.starts,
        ends=row.ends,
        summary=row.summary,
        advice=tuple(row.advice),
        source_url=row.source_url,
        publisher=row.publisher,
        geometry=shape(row.geometry),
        shape=row.shape,
        drawn_from=dict(row.drawn_from),
        ended_early=row.ended_early,
    )


def _fill(row: AlertRow, alert: Alert, now: dt.datetime) -> None:
    minx, miny, maxx, maxy = alert.geometry.bounds
    row.category, row.level = alert.category, alert.level
    row.starts, row.ends = alert.starts, alert.ends
    row.summary, row.advice = alert.summary, list(alert.advice)
    row.source_url, row.publisher = alert.source_url, alert.publisher
    row.shape, row.drawn_from = alert.shape, alert.drawn_from
    row.geometry = mapping(alert.geometry)
    row.minx, row.miny, row.maxx, row.maxy = minx, miny, maxx, maxy
    row.ended_early = alert.ended_early
    row.updated_at = now


def publish_alert(store: Store, alert: Alert, key_id: str | None) -> Alert:
    """Store ``alert`` (published with key ``key_id``) and enter it in the feed."""
    now = utcnow()
    row = AlertRow(id=alert.id, key_id=key_id, created_at=now)
    _fill(row, alert, now)
    with store.session() as session:
        session.add(row)
        session.add(ChangeRow(at=now, kind="alert-published", ref=alert.id, title=_title("Published", alert)))
    return alert


def _owned(session: Session, alert_id: str, key_id: str | None) -> AlertRow:
    row = session.get(AlertRow, alert_id)
    if row is None or (key_id is not None and row.key_id != key_id):
        raise NotFoundError(_("no alert {id} published with this key", id=repr(alert_id)), field="id")
    return row


def update_alert(store: Store, alert: Alert, key_id: str | None) -> Alert:
    """Replace the alert of ``alert.id`` (published with ``key_id``) by ``alert``."""
    now = utcnow()
    with store.session() as session:
        row = _owned(session, alert.id, key_id)
        _fill(row, alert, now)
        session.add(ChangeRow(at=now, kind="alert-changed", ref=alert.id, title=_title("Changed", alert)))
    return alert


def end_alert(store: Store, alert_id: str, key_id: str | None, at: dt.datetime | None = None) -> Alert:
    """End the alert now (or at ``at``): from then on it applies nowhere."""
    now = utcnow()
    with store.session() as session:
        row = _owned(session, alert_id, key_id)
        alert = ended(_alert(row), at or now)
        _fill(row, alert, now)
        session.add(ChangeRow(at=now, kind="alert-ended", ref=alert_id, title=_title("Ended", alert)))
    return alert


@dataclass(frozen=True)
class AlertsExtent:
    """Where and when the stored alerts lie: their box (lon/lat) and first start and last end."""

    count: int
    bbox: tuple[float, float, float, float]
    starts: dt.datetime
    ends: dt.datetime


def alerts_extent(store: Store) -> AlertsExtent | None:
    """The extent of every stored alert, ended or not, in one query; None when there is none."""
    query = select(
        func.count(AlertRow.id),
        func.min(AlertRow.minx),
        func.min(AlertRow.miny),
        func.max(AlertRow.maxx),
        func.max(AlertRow.maxy),
        func.min(AlertRow.starts),
        func.max(AlertRow.ends),
    )
    with store.session() as session:
        count, west, south, east, north, starts, ends = session.execute(query).one()
    if not count:
        return None
    return AlertsExtent(int(count), (west, south, east, north), starts, ends)


def get_alert(store: Store, alert_id: str) -> Alert:
    with store.session() as session:
        return _alert(_owned(session, alert_id, None))


def load_alerts(
    store: Store,
    *,
    now: dt.datetime | None = None,
    window: tuple[dt.datetime, dt.datetime] | None = None,
    bbox: Sequence[float] | None = None,
    category: str | None = None,
) -> list[Alert]:
    """Alerts, oldest first: those ``window`` overlaps (default: not ended more than
    ``KEEP_ENDED`` before ``now``), within ``bbox`` (envelopes meeting it), of ``category``."""
    query = select(AlertRow)
    if window is not None:
        # geo.trips.alerts.applies in SQL: the windows overlap, and a withdrawn alert (ended before
        # it started: an empty window) overlaps none.
        query = query.where(
            AlertRow.starts < window[1], AlertRow.ends > window[0], AlertRow.ends > AlertRow.starts
        )
    else:
        query = query.where(AlertRow.ends > (now or utcnow()) - KEEP_ENDED)
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        query = query.where(
            AlertRow.maxx >= minx, AlertRow.minx <= maxx, AlertRow.maxy >= miny, AlertRow.miny <= maxy
        )
    if category is not None:
        query = query.where(AlertRow.category == category)
    with store.session() as session:
        return [_alert(r) for r in session.scalars(query.order_by(AlertRow.created_at, AlertRow.id))]


def version(store: Store) -> tuple[int, str]:
    """A stamp that changes whenever an alert is published, changed or ended."""
    from sqlalchemy import func

    with store.session() as session:
        count, newest = session.execute(select(func.count(ChangeRow.id), func.max(ChangeRow.id))).one()
    return int(count or 0), str(newest or "")


def _title(verb: str, alert: Alert) -> str:
    return f"{verb}: {alert.category}, level {alert.level}: {alert.summary[:120]}"


def pack_ref(pack_id: str, version: str) -> str:
    """How the feed and the watches name a pack version."""
    return f"{pack_id}@{version}"[:80]


def record_pack(store: Store, pack_id: str, version: str, built: str) -> None:
    """Enter the served pack's version in the feed once (the first server to serve it does)."""
    ref = pack_ref(pack_id, version)
    with store.session() as session:
        if session.scalar(select(ChangeRow.id).where(ChangeRow.kind == "pack", ChangeRow.ref == ref)) is None:
            session.add(
                ChangeRow(at=utcnow(), kind="pack", ref=ref, title=f"Zone pack {version} served ({built})")
            )


def changes(store: Store, limit: int) -> list[ChangeRow]:
    """The newest ``limit`` entries of the feed, newest first."""
    with store.session() as session:
        return list(session.scalars(select(ChangeRow).order_by(ChangeRow.id.desc()).limit(limit)))
