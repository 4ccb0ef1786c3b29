"""Who may publish: API keys in ``Authorization: Bearer rz_...`` (``service.store.keys``)."""

from __future__ import annotations

from flask import request

from geo.i18n import _
from service.state import state
from service.store.keys import AuthError, verify_key

__all__ = ["require_key"]


def require_key(scope: str) -> str:
    """The id of the request's key, which must be live and of ``scope``; 401 or 403 otherwise."""
    header = request.headers.get("Authorization", "")
    kind, _space, key = header.partition(" ")
    if header and kind.lower() != "bearer":
        raise AuthError(_("send the API key as Authorization: Bearer rz_..."))
    return verify_key(state().alerts.store, key.strip() or None, scope)
