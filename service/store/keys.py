"""API keys: ``rz_`` and 43 random URL-safe characters, shown once; stored as a SHA-256 digest
(a key has 256 bits of entropy, so a fast digest is enough: nothing to guess)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from geo.errors import InputFormatError, RiskzonesError
from geo.i18n import _
from service.store.db import Store, utcnow
from service.store.models import ApiKey

__all__ = [
    "SCOPES",
    "AuthError",
    "KeyInfo",
    "ScopeError",
    "create_key",
    "list_keys",
    "revoke_key",
    "verify_key",
]

SCOPES = ("alerts", "watches")
_PREFIX = "rz_"


class AuthError(RiskzonesError):
    """A key is missing, unknown or revoked (HTTP 401)."""


class ScopeError(AuthError):
    """A live key of another scope than the one asked for (HTTP 403)."""


@dataclass(frozen=True)
class KeyInfo:
    """What may be shown of a key: never the key itself after creation."""

    id: str
    scope: str
    name: str
    created_at: str
    revoked_at: str | None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _info(row: ApiKey) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        scope=row.scope,
        name=row.name,
        created_at=row.created_at.isoformat(),
        revoked_at=row.revoked_at.isoformat() if row.revoked_at else None,
    )


def create_key(store: Store, scope: str, name: str) -> tuple[str, KeyInfo]:
    """A new key of ``scope``: the key (to show once) and what is kept of it."""
    if scope not in SCOPES:
        raise InputFormatError(_("scope must be one of {known}", known=", ".join(SCOPES)), field="scope")
    key = _PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id="key_" + secrets.token_hex(6),
        digest=_digest(key),
        scope=scope,
        name=name[:200],
        created_at=utcnow(),
    )
    with store.session() as session:
        session.add(row)
    return key, _info(row)


def verify_key(store: Store, key: str | None, scope: str) -> str:
    """The id of ``key`` when it is a live key of ``scope``; ``AuthError`` otherwise."""
    if not key or not key.startswith(_PREFIX):
        raise AuthError(
            _("an API key of scope {scope} is required (Authorization: Bearer rz_...)", scope=repr(scope))
        )
    with store.session() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.digest == _digest(key)))
        if row is None or row.revoked_at is not None:
            raise AuthError(_("the API key is unknown or revoked"))
        if row.scope != scope:
            raise ScopeError(
                _("the API key's scope is {has}; this needs {needs}", has=repr(row.scope), needs=repr(scope))
            )
        return row.id


def list_keys(store: Store) -> list[KeyInfo]:
    """Every key, oldest first (ids, scopes and names; never the keys)."""
    with store.session() as session:
        return [_info(r) for r in session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id))]


def revoke_key(store: Store, key_id: str) -> KeyInfo:
    """Revoke the key ``key_id`` (from now on it is refused)."""
    with store.session() as session:
        row = session.get(ApiKey, key_id)
        if row is None:
            raise InputFormatError(
                _("no key {id}; `riskzones keys list` shows the ids", id=repr(key_id)), field="id"
            )
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        return _info(row)
