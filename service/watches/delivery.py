"""Webhook notifications: who may be called, how a body is signed, and the outbox deliverer.

Targets: ``https`` only (``http`` and private addresses only when allowed for development);
the host is resolved and every address must be public (no loopback, private, link-local,
metadata, carrier-grade NAT or reserved range), at creation and again at each delivery, and
the connection goes to the address just checked (a second lookup cannot swap it: DNS
rebinding). No redirects are followed, timeouts are short, and at most 64 KB of an answer is
read.

Signature: ``X-Riskzones-Signature: v1=<hex>``, the HMAC-SHA256, keyed with the watch's
secret, of ``<X-Riskzones-Timestamp>.<body>``. ``X-Riskzones-Delivery`` (also sent as
``Idempotency-Key``) is the same on every retry of one notification: deliveries are at least
once, and a receiver drops a key it has seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import logging
import math
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select, update

from geo.errors import InputFormatError
from geo.i18n import _
from service.store.db import Store, utcnow
from service.store.models import AttemptRow, OutboxRow, WatchRow

__all__ = ["CLAIM_S", "MAX_ATTEMPTS", "TargetError", "check_target", "deliver_due", "run_deliverer", "sign"]

MAX_ATTEMPTS = 12
TIMEOUT_S = 5.0
_READ_LIMIT = 64 * 1024
#: How long a deliverer holds the notifications it took; a killed one's are free after this.
CLAIM_S = 30.0
_log = logging.getLogger("riskzones.delivery")


class TargetError(InputFormatError):
    """A callback URL that may not be called."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


@dataclass(frozen=True)
class Target:
    """A vetted callback: where to connect, and what to call it (SNI, Host)."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def check_target(url: str, *, allow_private: bool = False, field: str = "callback_url") -> Target:
    """``url`` vetted for a call now (its host resolved and every address checked)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TargetError(_("{field} must be an https URL", field=field), field=field)
    if parts.scheme == "http" and not allow_private:
        raise TargetError(_("{field} must be https (http only in development)", field=field), field=field)
    if parts.username or parts.password:
        raise TargetError(_("{field} must not carry a user or password", field=field), field=field)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetError(
            _("{field}: the host {host} does not resolve", field=field, host=repr(parts.hostname)),
            field=field,
        ) from None
    addresses = sorted({str(info[4][0]) for info in found})
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global and not allow_private:
            raise TargetError(
                _(
                    "{field}: {host} resolves to {address}, a loopback, private, link-local or reserved "
                    "address; webhooks go to public addresses only",
                    field=field,
                    host=parts.hostname,
                    address=address,
                ),
                field=field,
            )
    path = parts.path or "/"
    return Target(
        parts.scheme, parts.hostname, port, path + (f"?{parts.query}" if parts.query else ""), addresses[0]
    )


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked against the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool) -> int:
    """POST ``body`` to ``url`` (vetted now); the status. No redirect is followed."""
    target = check_target(url, allow_private=allow_private)
    connection: http.client.HTTPConnection = (
        _PinnedHTTPS(target, TIMEOUT_S) if target.scheme == "https" else _PinnedHTTP(target, TIMEOUT_S)
    )
    try:
        connection.request("POST", target.path, body=body, headers={**headers, "Host": target.host})
        response = connection.getresponse()
        response.read(_READ_LIMIT)
        return response.status
    finally:
        connection.close()


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after ``attempts`` failed ones: 5 s, doubling, at most 1 h."""
    return dt.timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), 3600))


def _claim(store: Store, now: dt.datetime, limit: int, hold_s: float) -> list[int]:
    """Take up to ``limit`` due notifications for this deliverer (no other takes them for
    ``hold_s`` seconds: a deliverer killed mid-run leaves them to the next after that)."""
    with store.session() as session:
        due = session.scalars(
            select(OutboxRow.id)
            .where(
                OutboxRow.delivered_at.is_(None),
                OutboxRow.gave_up_at.is_(None),
                OutboxRow.next_attempt_at <= now,
                or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
            )
            .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
            .limit(limit)
        ).all()
    taken = []
    for row_id in due:
        with store.session() as session:
            claimed = session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == row_id,
                    or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
                    OutboxRow.delivered_at.is_(None),
                )
                .values(claimed_until=now + dt.timedelta(seconds=hold_s))
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                taken.append(row_id)
    return taken


def deliver_due(
    store: Store, *, allow_private: bool = False, limit: int = 100, hold_s: float = CLAIM_S
) -> int:
    """Attempt every notification due now (up to ``limit``); how many were delivered."""
    delivered = 0
    for row_id in _claim(store, utcnow(), limit, hold_s):
        with store.session() as session:
            row = session.get(OutboxRow, row_id)
            watch = session.get(WatchRow, row.watch_id) if row else None
            if row is None or watch is None:
                continue
            body, key, url, secret = row.body.encode(), row.idempotency_key, watch.callback_url, watch.secret
        timestamp = str(int(utcnow().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "riskzones-webhooks",
            "X-Riskzones-Delivery": key,
            "Idempotency-Key": key,
            "X-Riskzones-Timestamp": timestamp,
            "X-Riskzones-Signature": sign(secret, timestamp, body),
        }
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            status = post(url, body, headers, allow_private=allow_private)
        except (OSError, http.client.HTTPException, InputFormatError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        took = int((time.monotonic() - started) * 1000)
        ok = status is not None and 200 <= status < 300
        now = utcnow()
        with store.session() as session:
            row = session.get(OutboxRow, row_id)
            assert row is not None
            row.attempts += 1
            session.add(AttemptRow(outbox_id=row_id, at=now, status=status, error=error, milliseconds=took))
            if ok:
                row.delivered_at = now
                delivered += 1
            elif row.attempts >= MAX_ATTEMPTS:
                row.gave_up_at = now
            else:
                row.next_attempt_at = now + backoff(row.attempts)
            row.claimed_until = None
        _log.info(
            "delivery %s to %s: attempt %s, %s in %d ms",
            key,
            url,
            row.attempts,
            status if status is not None else error,
            took,
        )
    return delivered


def run_deliverer(
    store: Store,
    stop: threading.Event,
    *,
    allow_private: bool = False,
    interval_s: float = 1.0,
    hold_s: float = CLAIM_S,
    every_minute: Callable[[], object] | None = None,
) -> None:
    """Deliver due notifications until ``stop`` is set, looking every ``interval_s`` seconds;
    ``every_minute`` (the re-check after a new pack) runs at the start and once a minute."""
    last = -math.inf
    while not stop.is_set():
        try:
            if every_minute is not None and time.monotonic() - last >= 60:
                last = time.monotonic()
                every_minute()
            deliver_due(store, allow_private=allow_private, hold_s=hold_s)
        except Exception:  # a database hiccup must not end the loop; it is logged
            _log.exception("riskzones: delivery round failed")
        stop.wait(interval_s)
