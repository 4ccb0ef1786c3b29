"""The tests' clock in the programs a test starts (``riskzones serve``, ``watches deliver``).

A test that starts a program puts this folder on ``PYTHONPATH`` and ``RISKZONES_TEST_CLOCK``
in its environment (``tests.clock.child_environment``). Python imports this module at start,
and when the program imports ``geo.dates``, its ``utc_now`` is replaced by the test's clock:
it reads ``INSTANT@EPOCH``, the instant the test's clock showed when the wall clock read
``EPOCH`` (seconds), and ticks on from there. Without that variable nothing changes. Only the
standard library is used here: pip and fresh virtual environments start with it too.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import importlib.machinery
import os
import sys
import time
from collections.abc import Callable, Sequence
from types import ModuleType

VARIABLE = "RISKZONES_TEST_CLOCK"


def encode(instant: dt.datetime, epoch: float) -> str:
    """``RISKZONES_TEST_CLOCK``'s value: ``instant`` (aware) held at wall-clock ``epoch``."""
    return f"{instant.astimezone(dt.UTC).isoformat()}@{epoch!r}"


def ticking(value: str) -> Callable[[], dt.datetime]:
    """A clock (UTC) that read the instant of ``value`` (``encode``'s form) at its epoch."""
    instant, _, epoch = value.rpartition("@")
    offset = dt.datetime.fromisoformat(instant) - dt.datetime.fromtimestamp(float(epoch), dt.UTC)
    return lambda: dt.datetime.fromtimestamp(time.time(), dt.UTC) + offset


class _Loader(importlib.abc.Loader):
    """Runs ``geo.dates`` as usual, then sets its ``utc_now`` to the test's clock."""

    def __init__(self, loader: importlib.abc.Loader, clock: Callable[[], dt.datetime]) -> None:
        self.loader, self.clock = loader, clock

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        module.utc_now = self.clock  # type: ignore[attr-defined]


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``geo.dates`` like every other finder does, and wraps its loader."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "geo.dates":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader, self.clock)
        return spec


if os.environ.get(VARIABLE):
    sys.meta_path.insert(0, _Finder(ticking(os.environ[VARIABLE])))
