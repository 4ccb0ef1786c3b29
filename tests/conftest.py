"""Shared fixtures: the packaged pack once per session, a fresh app and client per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

from geo.pack import ZonePack, load_default_pack

# CI replays the same generated examples on every run, so a red build is reproducible;
# local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SOURCES = Path(os.environ.get("RISKZONES_SOURCES", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def pack() -> ZonePack:
    """The packaged Peru pack."""
    return load_default_pack()


@pytest.fixture(scope="session")
def sources() -> Path:
    """The research sources; their absence fails in CI and skips elsewhere."""
    if not (SOURCES / "zones" / "vraem_districts.csv").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"research sources not found at {SOURCES}; CI must provide shared/data")
        pytest.skip(f"research sources not found at {SOURCES}")
    return SOURCES


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
