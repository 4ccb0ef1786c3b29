"""Shared fixtures: the packaged pack once per session, a fresh app and client per test."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

from geo import dates
from geo.pack import ZonePack, load_default_pack
from tests import clock

# CI replays the same generated examples on every run, so a red build is reproducible;
# local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        metavar="WHEN",
        help="run the suite as of another instant: +1d, +400d, -3h, lapse (23:30 in Lima on a "
        "decree's last day), or a date and time with its offset such as 2027-01-06T04:30Z",
    )


def pytest_configure(config: pytest.Config) -> None:
    when = config.getoption("--now")
    if when:
        clock.run_as_of(clock.parse_when(when, dates.utc_now()))


def pytest_report_header(config: pytest.Config) -> str:
    moved = " (moved with --now)" if config.getoption("--now") else ""
    return f"clock: geo.dates.utc_now() is {dates.utc_now().isoformat(timespec='seconds')}{moved}"


ROOT = Path(__file__).resolve().parents[1]
# Apps built by tests keep their keys and alerts in a throwaway SQLite file, not ./instance.
os.environ.setdefault("RISKZONES_INSTANCE", tempfile.mkdtemp(prefix="riskzones-instance-"))
#: The zone definitions of this checkout: what the pack is built from.
DEFINITIONS = ROOT / "geo" / "definitions"
#: PCM's VRAEM outline, which the repository may not hold (no stated licence): the one check
#: that runs only where it is present (../shared/data, or RISKZONES_VRAEM_OUTLINE).
VRAEM_OUTLINE = Path(
    os.environ.get(
        "RISKZONES_VRAEM_OUTLINE", ROOT.parent / "shared/data/sources/geoperu-vraem/vraem_outline.geojson"
    )
)


@pytest.fixture(scope="session")
def pack() -> ZonePack:
    """The packaged Peru pack."""
    return load_default_pack()


@pytest.fixture(scope="session")
def sources() -> Path:
    """The zone definitions (``geo/definitions``)."""
    return DEFINITIONS


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    """A throwaway PostgreSQL server on 127.0.0.1 (Debian's packages; ``.ci/run`` installs
    them). Its absence fails, never skips: the storage tests run on SQLite and PostgreSQL."""
    from bench.postgis import server

    with server() as running:
        yield running


_databases = itertools.count()


def new_database(postgres: Any) -> str:
    """A fresh, empty database on the ``postgres`` server, as a SQLAlchemy URL."""
    name = f"riskzones_{os.getpid()}_{next(_databases)}"
    postgres.psql(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://postgres@127.0.0.1:{postgres.port}/{name}"


def stored_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, **config: Any
) -> Iterator[Flask]:
    """An app on a fresh database of the kind ``request.param`` names (``sqlite`` or
    ``postgresql``), alerts refreshed on every question; its connections closed afterwards."""
    from service import create_app

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'riskzones.db'}"
    else:
        url = new_database(request.getfixturevalue("postgres"))
    # No per-key rate limit here (tests publish in bursts; test_watches tests the limit).
    settings = {"TESTING": True, "DATABASE_URL": url, "ALERTS_REFRESH_S": 0, "KEY_RATE_LIMIT": ""}
    built = create_app({**settings, **config})
    yield built
    built.extensions["riskzones"].alerts.store.engine.dispose()  # before the server stops


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    """An app serving the packaged pack (its state is immutable, so one serves every test)."""
    yield _create_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


def _create_app() -> Flask:
    from service import create_app

    return create_app({"TESTING": True})


def assert_problem(response: object, status: int, *fragments: str) -> dict[str, object]:
    """Assert an RFC 9457 problem response with this status whose detail has every fragment."""
    assert response.status_code == status, response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.mimetype == "application/problem+json"  # type: ignore[attr-defined]
    body = response.get_json()  # type: ignore[attr-defined]
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert "Traceback" not in body["detail"]
    for fragment in fragments:
        assert fragment in body["detail"]
    return dict(body)
