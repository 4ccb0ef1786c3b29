"""The pack on one day (geo.engine.day): built once per day and shared by every check of that
day; once built, a check asks it and nothing else about the day."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import numpy as np
import pytest

from geo.engine.advisories import currency
from geo.engine.day import PackDay
from geo.engine.index import ZoneIndex
from geo.io.formats import Route
from geo.pack import Government, load_default_pack
from geo.pack.status import status_on
from geo.trips.route import RouteChecker

DAY = dt.date(2026, 11, 27)
# What depends on the day, asked of the pack itself: only a PackDay being built may ask.
DAY_QUESTIONS = {status_on.__code__, Government.version_on.__code__, currency.__code__}


@contextmanager
def _calls(codes: set[Any]) -> Iterator[list[str]]:
    """The calls of the functions whose code objects are ``codes``, each as the name of the
    function that made it."""
    seen: list[str] = []

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call" and frame.f_code in codes:
            seen.append(frame.f_back.f_code.co_qualname if frame.f_back else "?")

    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(None)


@pytest.fixture
def index() -> ZoneIndex:
    return ZoneIndex(load_default_pack())  # its own: no day built yet


def _built(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    days: list[dt.date] = []
    build: Callable[..., None] = PackDay.__init__

    def counting(self: PackDay, rule: Any, day: dt.date) -> None:
        days.append(day)
        build(self, rule, day)

    monkeypatch.setattr(PackDay, "__init__", counting)
    return days


def test_a_day_is_built_once_and_shared(index: ZoneIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _built(monkeypatch)
    route = Route((np.array([[-74.22, -13.16], [-73.8, -12.5], [-73.5, -12.2]]),))
    index.check_point(lon=-73.8, lat=-12.5, date=DAY)
    index.check_point(lon=-77.03, lat=-12.05, date=DAY, advisory="uk")
    index.classify([-73.8, -77.03, -69.94], [-12.5, -12.04, -4.21], date=DAY)
    RouteChecker(index).check(route, date=DAY)
    assert built == [DAY] and index.on(DAY) is index.on(DAY)
    index.check_point(lon=-73.8, lat=-12.5, date=DAY + dt.timedelta(days=1))
    assert built == [DAY, DAY + dt.timedelta(days=1)]


def test_once_built_a_check_asks_the_day_and_nothing_else(index: ZoneIndex) -> None:
    route = Route((np.array([[-74.22, -13.16], [-73.8, -12.5], [-73.5, -12.2]]),))
    with _calls(DAY_QUESTIONS) as building:
        index.on(DAY)
    assert building and all(caller.startswith("PackDay.__init__") for caller in building)
    with _calls(DAY_QUESTIONS) as asked:
        index.check_point(lon=-73.8, lat=-12.5, date=DAY)
        index.classify([-73.8, -77.03], [-12.5, -12.04], date=DAY)
        RouteChecker(index).check(route, date=DAY, advisory="ca")
    assert asked == []


def test_the_profiler_sees_a_question_asked_outside_the_day(index: ZoneIndex) -> None:
    # The check above can fail: a status asked of the zone itself is seen.
    with _calls(DAY_QUESTIONS) as asked:
        status_on(index.pack.zones[0], DAY)
    assert asked == ["test_the_profiler_sees_a_question_asked_outside_the_day"]


def test_the_day_answers_as_the_pack_does(index: ZoneIndex) -> None:
    pack = index.pack
    for day in (dt.date(2020, 1, 1), dt.date(2025, 7, 16), dt.date(2025, 7, 17), DAY, dt.date(2031, 1, 1)):
        today = index.on(day)
        assert today.status == tuple(status_on(zone, day) for zone in pack.zones)
        assert today.currency == currency(pack, day)
        for code, government in pack.governments.items():
            assert today.versions[code] == government.version_on(day)
            assert today.baseline(code) == government.version_on(day).level
            counted = today.counted(code)
            # A government's zones count only while their text is the one in force.
            shown = {
                i
                for i, zone in enumerate(pack.zones)
                if (zone.source == code and status_on(zone, day) == "in_force")
                or zone.source not in pack.governments
            }
            assert counted == shown
            assert today.hidden(code) == frozenset(range(len(pack.zones))) - shown
