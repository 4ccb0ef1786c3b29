"""The database: engine, sessions and migrations."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Store", "default_url", "existing_url", "utcnow"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _json_dumps(document: Any) -> str:
    """JSON columns written by orjson (watches' parts and summaries are read and written by
    the thousand when an alert changes; the standard encoder took most of that time)."""
    return orjson.dumps(document).decode()


def _instance_database() -> Path:
    return Path(os.environ.get("RISKZONES_INSTANCE") or "instance").resolve() / "riskzones.db"


def default_url() -> str:
    """``RISKZONES_DATABASE_URL``, or SQLite in ``RISKZONES_INSTANCE`` (default ``./instance``),
    its directory created."""
    configured = os.environ.get("RISKZONES_DATABASE_URL")
    if configured:
        return configured
    path = _instance_database()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def existing_url() -> str | None:
    """``default_url`` when that database is configured or exists; None otherwise (nothing is
    created: a batch run in any directory leaves no database behind)."""
    if os.environ.get("RISKZONES_DATABASE_URL") or _instance_database().is_file():
        return default_url()
    return None


def utcnow() -> dt.datetime:
    """Now, in UTC: ``geo.dates.utc_now``, the one clock (tests replace it)."""
    from geo import dates

    return dates.utc_now()


class Store:
    """One database: an engine and a session factory, at the newest schema revision."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to ``url`` and, with ``migrate``, upgrade its schema to the newest revision."""
        engine = create_engine(
            url, pool_pre_ping=True, json_serializer=_json_dumps, json_deserializer=orjson.loads
        )
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.upgrade()
        return store

    def upgrade(self, revision: str = "head") -> None:
        """Alembic's ``upgrade`` on this database (to the newest revision by default)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed at the end of the block, rolled back on an error."""
        with self.sessions.begin() as session:
            yield session


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for a writer
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
