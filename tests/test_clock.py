"""One clock: nothing but ``geo.dates.utc_now`` reads the wall clock, and ``--now`` moves it for
the tests, the programs they start and the pages they open (``tests/clock.py``)."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from geo import dates
from tests.clock import Clock, child_environment, parse_when

ROOT = Path(__file__).resolve().parents[1]
# The wall clock, read where it is the right clock: the one clock itself, the tests' clock in
# the programs they start (which pair it with the test's instant), and the time a log line was
# written on the machine.
READERS = {"geo/dates.py", "tests/clock.py", "tests/site/sitecustomize.py", "service/gunicorn_log.py"}
WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}
WALL_CLOCK |= {("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime")}


def _wall_clock_reads(path: Path) -> list[str]:
    """``owner.function`` calls in ``path`` that read the wall clock (the pairs of
    ``WALL_CLOCK``, with or without a module before the owner), as ``line: call``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in WALL_CLOCK:
                found.append(f"{node.lineno}: {ast.unparse(node.func)}()")
    return found


def test_only_the_one_clock_reads_the_wall_clock() -> None:
    files = [p for folder in ("geo", "service", "maps", "tests") for p in (ROOT / folder).rglob("*.py")]
    reads = {
        str(p.relative_to(ROOT)): calls
        for p in files
        if (calls := _wall_clock_reads(p)) and str(p.relative_to(ROOT)) not in READERS
    }
    assert reads == {}, "read geo.dates.utc_now (tests: set it with tests.clock.Clock)"


def test_the_scan_finds_each_way_of_reading_the_wall_clock(tmp_path: Path) -> None:
    # Every read the table names, plain and behind a module (dt.datetime...), then calls that
    # read no clock: a parse, a duration.
    reads = [f"{owner}.{name}" for owner, name in sorted(WALL_CLOCK)]
    calls = [*reads, *(f"dt.{call}" for call in reads), "dt.datetime.fromisoformat", "time.monotonic"]
    source = tmp_path / "reads.py"
    source.write_text("".join(f"x = {call}()\n" for call in calls))
    assert _wall_clock_reads(source) == [f"{line}: {call}()" for line, call in enumerate(calls[:-2], 1)]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("+1d", "2026-12-03T14:00:00+00:00"),
        ("+400d", "2028-01-06T14:00:00+00:00"),
        ("-3h", "2026-12-02T11:00:00+00:00"),
        ("+30m", "2026-12-02T14:30:00+00:00"),
        ("2026-04-05T23:30-05:00", "2026-04-06T04:30:00+00:00"),
    ],
)
def test_now_names_an_instant(when: str, expected: str) -> None:
    assert parse_when(when, dt.datetime(2026, 12, 2, 14, tzinfo=dt.UTC)).isoformat() == expected


@pytest.mark.parametrize("when", ["tomorrow", "2026-12-02T10:00", "+1y", "400d"])
def test_now_refuses_what_it_cannot_read(when: str) -> None:
    with pytest.raises(pytest.UsageError, match="--now"):
        parse_when(when, dt.datetime(2026, 12, 2, tzinfo=dt.UTC))


def test_lapse_is_the_last_evening_of_a_decree_in_lima(pack: object) -> None:
    # 23:30 in Lima is 04:30 the next day in UTC: "today" differs between the two.
    instant = parse_when("lapse", dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
    lima = instant.astimezone(dates.time_zone("America/Lima"))
    assert (lima.hour, lima.minute, instant.hour, instant.minute) == (23, 30, 4, 30)
    lapsed = [z for z in pack.zones if z.valid_until == lima.date()]  # type: ignore[attr-defined]
    assert lapsed and all(z.basis == "government-decree" for z in lapsed)


def test_a_started_program_reads_the_tests_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    code = "from geo import dates; print(dates.utc_now().isoformat()); print(dates.today('America/Lima'))"

    def started(environment: dict[str, str]) -> list[str]:
        run = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    # This run's clock, as it is (moved by --now or not), reaches a program it starts.
    own = started(child_environment())
    assert abs(dt.datetime.fromisoformat(own[0]) - dates.utc_now()) < dt.timedelta(seconds=60)
    clock = Clock(monkeypatch, dt.datetime(2031, 5, 6, 7, 8, tzinfo=dt.UTC))
    shown = started(clock.environment())
    elapsed = dt.datetime.fromisoformat(shown[0]) - clock.now
    assert dt.timedelta(0) <= elapsed < dt.timedelta(seconds=60)  # ticking on from the test's instant
    assert shown[1] == "2031-05-06"
