"""Watches in the database: saved, found near a change, re-checked, and their notifications
queued in the outbox in the same transaction as the new summary (none is lost on a crash)."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.store.alerts import NotFoundError
from service.store.db import Store, utcnow
from service.store.models import AttemptRow, OutboxRow, WatchRow

__all__ = [
    "create_watch",
    "delete_watch",
    "get_watch",
    "history",
    "list_watches",
    "save_check",
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
) -> WatchRow:
    """Save a watch; its secret (to verify signatures) is on the returned row, shown once."""
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
    return row


def _owned(session: Session, watch_id: str, key_id: str) -> WatchRow:
    row = session.get(WatchRow, watch_id)
    if row is None or row.key_id != key_id:
        raise NotFoundError(f"no watch {watch_id!r} created with this key", field="id")
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


def save_check(
    store: Store, watch_id: str, summary: dict[str, Any], notification: dict[str, Any] | None
) -> str | None:
    """Record a watch's new summary and, with ``notification``, queue it (one transaction);
    the notification's idempotency key."""
    now = utcnow()
    key = None
    with store.session() as session:
        row = session.get(WatchRow, watch_id)
        if row is None:
            return None
        row.summary = summary
        row.checked_at = now
        if notification is not None:
            key = uuid.uuid4().hex
            body = canonical({**notification, "idempotency_key": key})
            session.add(
                OutboxRow(
                    watch_id=watch_id,
                    idempotency_key=key,
                    body=body,
                    created_at=now,
                    next_attempt_at=now,
                    attempts=0,
                )
            )
    return key


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
