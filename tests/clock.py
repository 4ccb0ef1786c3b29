"""The one clock in the tests: ``geo.dates.utc_now``, set by a test or moved for a whole run.

A test whose answer depends on "now" sets the clock with ``Clock`` (or derives its dates from
the clock it set); it never reads the wall clock. ``pytest --now=WHEN`` runs the whole suite as
of another instant: ``geo.dates.utc_now`` starts at WHEN and ticks on, in this process, in the
programs the tests start (``tests/site/sitecustomize.py``) and in the browser's pages. A test
that read the wall clock instead would disagree with the answers it checks, and fail.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import geo.dates
from tests.site.sitecustomize import VARIABLE, encode, ticking

__all__ = ["Clock", "child_environment", "parse_when", "run_as_of"]

SITE = Path(__file__).parent / "site"
_RELATIVE = re.compile(r"([+-]\d+)([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_when(text: str, now: dt.datetime) -> dt.datetime:
    """The instant ``--now`` names, from ``now``: ``+400d``, ``-3h``, ``+30m``, ``lapse`` (23:30
    in the pack's time zone on the last day of the packaged pack's newest decree, when "today"
    there is not yet "today" in UTC) or an ISO 8601 date and time with its offset.

    Examples
    --------
    >>> parse_when("+1d", dt.datetime(2026, 12, 2, tzinfo=dt.UTC)).isoformat()
    '2026-12-03T00:00:00+00:00'
    >>> parse_when("2027-01-06T04:30Z", dt.datetime(2026, 12, 2, tzinfo=dt.UTC)).isoformat()
    '2027-01-06T04:30:00+00:00'
    """
    relative = _RELATIVE.fullmatch(text.strip())
    if relative:
        return now + dt.timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
    if text.strip() == "lapse":
        return _decree_lapse()
    try:
        instant = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise pytest.UsageError(
            f"--now {text!r}: write +400d, -3h, +30m, lapse, or a date and time with its offset "
            "such as 2027-01-06T04:30Z"
        )
    return instant.astimezone(dt.UTC)


def _decree_lapse() -> dt.datetime:
    from geo.pack import load_default_pack

    pack = load_default_pack()
    last = max(z.valid_until for z in pack.zones if z.basis == "government-decree" and z.valid_until)
    evening = dt.datetime.combine(last, dt.time(23, 30), tzinfo=geo.dates.time_zone(pack.timezone))
    return evening.astimezone(dt.UTC)


def run_as_of(instant: dt.datetime) -> None:
    """Move the clock of this whole run (and of the programs it starts) to ``instant``."""
    os.environ[VARIABLE] = encode(instant, time.time())
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SITE), os.environ.get("PYTHONPATH")]))
    geo.dates.utc_now = ticking(os.environ[VARIABLE])


def child_environment(now: Callable[[], dt.datetime] | None = None) -> dict[str, str]:
    """The environment for a program a test starts: its clock starts where ``now`` (by default
    this run's clock) is, and ticks on."""
    instant = (now or geo.dates.utc_now)()
    path = os.pathsep.join(filter(None, [str(SITE), os.environ.get("PYTHONPATH")]))
    return {**os.environ, VARIABLE: encode(instant, time.time()), "PYTHONPATH": path}


class Clock:
    """``geo.dates.utc_now``, stopped at ``now`` (aware); a test moves it by setting ``now``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, now: dt.datetime) -> None:
        self.now = now
        monkeypatch.setattr(geo.dates, "utc_now", lambda: self.now.astimezone(dt.UTC))

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock on by ``delta``."""
        self.now += delta

    def environment(self) -> dict[str, str]:
        """``child_environment`` starting at this clock's instant."""
        return child_environment(lambda: self.now)
