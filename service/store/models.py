"""The tables. Instants are stored in UTC (``UtcDateTime``): SQLite keeps no time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AlertRow",
    "ApiKey",
    "AttemptRow",
    "Base",
    "ChangeRow",
    "MetaRow",
    "OutboxRow",
    "UtcDateTime",
    "WatchRow",
]


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An instant with a time zone in, an instant in UTC out, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("instants are stored with a time zone")
        return value.astimezone(dt.UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    """A key: only its SHA-256 digest is kept; the key itself is shown once, at creation."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    scope: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AlertRow(Base):
    """A published alert; its area as GeoJSON and its envelope for spatial filters."""

    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key_id: Mapped[str | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True, index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    level: Mapped[int] = mapped_column(Integer)
    starts: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    ends: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    summary: Mapped[str] = mapped_column(Text)
    advice: Mapped[list[str]] = mapped_column(JSON)
    source_url: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(String(200))
    shape: Mapped[str] = mapped_column(String(16))
    drawn_from: Mapped[dict[str, Any]] = mapped_column(JSON)
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)
    minx: Mapped[float] = mapped_column(Float)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float)
    maxy: Mapped[float] = mapped_column(Float)
    ended_early: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class ChangeRow(Base):
    """One entry of the feed of changes: an alert published, changed or ended, or a pack."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)


class WatchRow(Base):
    """A saved route or itinerary, re-checked on every change that can affect it."""

    __tablename__ = "watches"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    #: The request as given (an itinerary document, or a route with its options).
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    callback_url: Mapped[str] = mapped_column(Text)
    #: The HMAC-SHA256 key of its notifications (shown once, at creation).
    secret: Mapped[str] = mapped_column(String(64))
    minx: Mapped[float] = mapped_column(Float, index=True)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float, index=True)
    maxy: Mapped[float] = mapped_column(Float)
    #: What notifications compare: verdict, levels and reasons per stop and leg.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Its stops and legs: where, on which day, and the answer there without alerts
    #: (``service.watches.summary.watch_parts``).
    parts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    checked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class WatchBoxRow(Base):
    """Where and when each stop and leg of a watch lies, to find the watches a change can
    affect without reading the others: a box, and the day (None: whatever day is asked)."""

    __tablename__ = "watch_boxes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    watch_id: Mapped[str] = mapped_column(ForeignKey("watches.id"), index=True)
    day: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    minx: Mapped[float] = mapped_column(Float)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float)
    maxy: Mapped[float] = mapped_column(Float)


class OutboxRow(Base):
    """A notification to deliver: kept until delivered (or given up), so a restart loses none."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    watch_id: Mapped[str] = mapped_column(ForeignKey("watches.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    #: A deliverer holds the row until then; another may take it over afterwards.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True, index=True)
    gave_up_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AttemptRow(Base):
    """One delivery attempt, as logged: when, the answer or the error, how long it took."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    milliseconds: Mapped[int] = mapped_column(Integer)


class MetaRow(Base):
    """A fact the servers share, by key."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
