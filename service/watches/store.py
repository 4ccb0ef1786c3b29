"""Watches in the database: saved, found near a change, re-checked, and their notifications
queued in the outbox in the same transaction as the new summary (none is lost on a crash)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from geo.i18n import _
from service.store.alerts import NotFoundError
from service.store.db import Store, utcnow
from service.store.models import AttemptRow, OutboxRow, WatchBoxRow, WatchRow

Box = tuple[str | None, Sequence[float]]

__all__ = [
    "candidates",
    "create_watch",
    "delete_watch",
    "get_watch",
    "history",
    "list_watches",
    "request_of",
    "save_check",
    "save_checks",
    "watches_near",
]


def canonical(document: Any) -> str:
    """A notification as stored and signed: sorted keys, no spaces (the same bytes every time)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def create_watch(
    store: Store,
    *,
    key_id: str,
    kind: str,
    request: dict[str, Any],
    callback_url: str,
    bounds: Sequence[float],
    summary: dict[str, Any],
    parts: list[dict[str, Any]],
    boxes: Sequence[Box],
) -> WatchRow:
    """Save a watch with the box and day of each of its parts (``boxes``); its secret (to
    verify signatures) is on the returned row, shown once."""
    now = utcnow()
    row = WatchRow(
        id="wa_" + secrets.token_hex(8),
        key_id=key_id,
        kind=kind,
        request=request,
        callback_url=callback_url,
        secret=secrets.token_hex(32),
        minx=bounds[0],
        miny=bounds[1],
        maxx=bounds[2],
        maxy=bounds[3],
        summary=summary,
        parts=parts,
        created_at=now,
        checked_at=now,
    )
    with store.session() as session:
        session.add(row)
        session.flush()
        _put_boxes(session, row.id, boxes)
    return row


def _put_boxes(session: Session, watch_id: str, boxes: Sequence[Box]) -> None:
    session.execute(delete(WatchBoxRow).where(WatchBoxRow.watch_id == watch_id))
    if boxes:
        session.execute(
            insert(WatchBoxRow),
            [
                {"watch_id": watch_id, "day": day, "minx": b[0], "miny": b[1], "maxx": b[2], "maxy": b[3]}
                for day, b in boxes
            ],
        )


def _owned(session: Session, watch_id: str, key_id: str) -> WatchRow:
    row = session.get(WatchRow, watch_id)
    if row is None or row.key_id != key_id:
        raise NotFoundError(_("no watch {id} created with this key", id=repr(watch_id)), field="id")
    return row


def get_watch(store: Store, watch_id: str, key_id: str) -> WatchRow:
    """The watch ``watch_id`` of key ``key_id`` (another key's watch is not found: 404)."""
    with store.session() as session:
        return _owned(session, watch_id, key_id)


def list_watches(store: Store, key_id: str) -> list[WatchRow]:
    with store.session() as session:
        return list(
            session.scalars(select(WatchRow).where(WatchRow.key_id == key_id).order_by(WatchRow.created_at))
        )


def delete_watch(store: Store, watch_id: str, key_id: str) -> None:
    """Forget a watch, its queued notifications and their log."""
    with store.session() as session:
        row = _owned(session, watch_id, key_id)
        outbox = select(OutboxRow.id).where(OutboxRow.watch_id == row.id)
        session.execute(delete(AttemptRow).where(AttemptRow.outbox_id.in_(outbox)))
        session.execute(delete(OutboxRow).where(OutboxRow.watch_id == row.id))
        session.execute(delete(WatchBoxRow).where(WatchBoxRow.watch_id == row.id))
        session.delete(row)


def watches_near(store: Store, bounds: Sequence[float] | None) -> list[WatchRow]:
    """Watches whose envelope meets ``bounds`` (all of them with None): the only ones a change
    there can affect."""
    query = select(WatchRow)
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        query = query.where(
            WatchRow.maxx >= minx, WatchRow.minx <= maxx, WatchRow.maxy >= miny, WatchRow.miny <= maxy
        )
    with store.session() as session:
        return list(session.scalars(query))


def candidates(store: Store, bounds: Sequence[float], days: tuple[str, str]) -> list[Row[Any]]:
    """The watches with a part whose box meets ``bounds`` on a day from ``days[0]`` to
    ``days[1]`` (or on whatever day is asked): id, kind, parts and summary, the request left
    in the database (``request_of``)."""
    minx, miny, maxx, maxy = bounds
    near = select(WatchBoxRow.watch_id).where(
        or_(WatchBoxRow.day.is_(None), WatchBoxRow.day.between(*days)),
        WatchBoxRow.maxx >= minx,
        WatchBoxRow.minx <= maxx,
        WatchBoxRow.maxy >= miny,
        WatchBoxRow.miny <= maxy,
    )
    query = select(WatchRow.id, WatchRow.kind, WatchRow.parts, WatchRow.summary).where(WatchRow.id.in_(near))
    with store.session() as session:
        return list(session.execute(query))


def request_of(store: Store, watch_id: str) -> dict[str, Any]:
    """A watch's saved request."""
    with store.session() as session:
        request = session.scalar(select(WatchRow.request).where(WatchRow.id == watch_id))
    if request is None:
        raise NotFoundError(_("no watch {id}", id=repr(watch_id)), field="id")
    return request


def _outbox(watch_id: str, notification: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """An outbox row's values: the notification signed as stored, with its idempotency key."""
    key = uuid.uuid4().hex
    return {
        "watch_id": watch_id,
        "idempotency_key": key,
        "body": canonical({**notification, "idempotency_key": key}),
        "created_at": now,
        "next_attempt_at": now,
        "attempts": 0,
    }


def save_check(
    store: Store,
    watch_id: str,
    summary: dict[str, Any],
    notification: dict[str, Any] | None,
    *,
    parts: list[dict[str, Any]] | None = None,
    boxes: Sequence[Box] | None = None,
) -> str | None:
    """Record a watch's new summary (and new ``parts`` and their ``boxes``, when checked in
    full) and, with ``notification``, queue it (one transaction); the notification's
    idempotency key."""
    now = utcnow()
    key = None
    with store.session() as session:
        row = session.get(WatchRow, watch_id)
        if row is None:
            return None
        row.summary = summary
        row.checked_at = now
        if parts is not None:
            row.parts = parts
            _put_boxes(session, watch_id, boxes or [])
        if notification is not None:
            values = _outbox(watch_id, notification, now)
            key = values["idempotency_key"]
            session.add(OutboxRow(**values))
    return key


def save_checks(store: Store, checks: list[tuple[str, dict[str, Any], dict[str, Any] | None]]) -> int:
    """``save_check`` for many watches in one transaction (watch id, summary, notification or
    None); watches deleted meanwhile are skipped. How many notifications were queued."""
    if not checks:
        return 0
    now = utcnow()
    with store.session() as session:
        ids = [watch_id for watch_id, _, _ in checks]
        alive: set[str] = set()
        for start in range(0, len(ids), 900):  # under every database's bound-parameter limit
            alive.update(
                session.scalars(select(WatchRow.id).where(WatchRow.id.in_(ids[start : start + 900])))
            )
        kept = [check for check in checks if check[0] in alive]
        if kept:
            session.execute(
                update(WatchRow), [{"id": i, "summary": s, "checked_at": now} for i, s, _ in kept]
            )
        queued = [_outbox(i, n, now) for i, _, n in kept if n is not None]
        if queued:
            session.execute(insert(OutboxRow), queued)
    return len(queued)


def history(store: Store, watch_id: str) -> list[dict[str, Any]]:
    """A watch's notifications, newest first, each with its attempts."""
    with store.session() as session:
        rows = session.scalars(
            select(OutboxRow).where(OutboxRow.watch_id == watch_id).order_by(OutboxRow.id.desc())
        )
        out = []
        for row in rows:
            attempts = session.scalars(
                select(AttemptRow).where(AttemptRow.outbox_id == row.id).order_by(AttemptRow.id)
            )
            out.append(
                {
                    "idempotency_key": row.idempotency_key,
                    "created_at": row.created_at.isoformat(),
                    "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
                    "gave_up_at": row.gave_up_at.isoformat() if row.gave_up_at else None,
                    "next_attempt_at": None
                    if row.delivered_at or row.gave_up_at
                    else row.next_attempt_at.isoformat(),
                    "attempts": [
                        {
                            "at": a.at.isoformat(),
                            "status": a.status,
                            "error": a.error,
                            "milliseconds": a.milliseconds,
                        }
                        for a in attempts
                    ],
                }
            )
        return out
