"""The alerts being served: read from the store, indexed once per change.

Every worker keeps an ``AlertLayer`` and asks the store at most every ``refresh_s`` seconds
whether the alerts changed (one small query); the worker that publishes a change rebuilds at
once. Whether an alert applies is decided at each question (``geo.trips.alerts.applies``), so an
alert ends on time without any change to the store.
"""

from __future__ import annotations

import threading
import time

from geo.trips.alerts import AlertLayer
from service.store import Store
from service.store.alerts import load_alerts, version
from service.store.db import utcnow

__all__ = ["LiveAlerts"]


class LiveAlerts:
    """The store and the current ``AlertLayer`` of one app."""

    def __init__(self, store: Store, refresh_s: float) -> None:
        self.store = store
        #: When this app started serving alerts (the feed's date while it is empty).
        self.started = utcnow()
        self._refresh_s = refresh_s
        self._lock = threading.Lock()
        self._stamp: tuple[int, str] | None = None
        self._checked = 0.0
        self._layer = AlertLayer()
        self._reload()

    def _reload(self) -> None:
        stamp = version(self.store)
        if stamp != self._stamp:
            self._layer = AlertLayer(load_alerts(self.store))
            self._stamp = stamp
        self._checked = time.monotonic()

    def layer(self) -> AlertLayer:
        """The alerts as of at most ``refresh_s`` seconds ago."""
        if time.monotonic() - self._checked >= self._refresh_s:
            with self._lock:
                if time.monotonic() - self._checked >= self._refresh_s:
                    self._reload()
        return self._layer

    def changed(self) -> None:
        """This worker changed the alerts: serve the change from the next question on."""
        with self._lock:
            self._reload()
