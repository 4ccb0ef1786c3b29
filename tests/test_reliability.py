"""Start-up integrity, graceful pack reload under load, hostile input, limits, properties."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.engine.index import ZoneIndex, default_index
from geo.pack import default_pack_dir
from service import create_app
from tests.conftest import assert_problem
from tests.test_index import TINY

RISKZONES = str(Path(sys.executable).with_name("riskzones"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_broken_pack_stops_start_up_with_a_message(tmp_path: Path) -> None:
    pack = tmp_path / "pe"
    shutil.copytree(default_pack_dir(), pack)
    (pack / "zones.geojson").write_bytes(b'{"type": "FeatureCollection", "features": [')  # truncated
    env = {**os.environ, "RISKZONES_PACK": str(pack)}
    result = subprocess.run(
        [RISKZONES, "serve", "--port", str(_free_port()), "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "riskzones: cannot start:" in result.stderr and "zones.geojson: checksum" in result.stderr
    assert "Traceback" not in result.stderr


def _get(port: int, path: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
        return reply.status, reply.read()


@contextlib.contextmanager
def _serving(workers: int, **env: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`riskzones serve` on a free port, once it answers; stopped afterwards."""
    port = _free_port()
    server = subprocess.Popen(
        [RISKZONES, "serve", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, "RISKZONES_ACCESS_LOG": "/dev/null", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_pack_swap_with_graceful_reload_drops_no_request(tmp_path: Path) -> None:
    live = tmp_path / "live"
    shutil.copytree(default_pack_dir(), live)
    with _serving(2, RISKZONES_PACK=str(live)) as (port, server):
        failures: list[str] = []
        done = threading.Event()
        served = [0]

        def load() -> None:
            while not done.is_set():
                try:
                    status, _ = _get(port, "/v1/check?lat=-12.5&lon=-73.8")
                    served[0] += 1
                    if status != 200:
                        failures.append(str(status))
                except Exception as exc:  # every kind of failure counts
                    failures.append(repr(exc))

        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        # Swap in another pack in one rename, then ask gunicorn for a graceful reload.
        staged = tmp_path / "staged"
        shutil.copytree(TINY, staged)
        os.rename(live, tmp_path / "old")
        os.rename(staged, live)
        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        swapped = False
        while time.monotonic() < deadline and not swapped:
            swapped = b'"tiny"' in _get(port, "/healthz")[1]
            time.sleep(0.2)
        time.sleep(1.0)
        done.set()
        for thread in threads:
            thread.join()
        assert swapped
        assert served[0] > 50
        assert failures == []


def test_a_broken_pack_at_reload_keeps_the_current_one_serving(tmp_path: Path) -> None:
    live = tmp_path / "live"
    shutil.copytree(TINY, live)
    with _serving(1, RISKZONES_PACK=str(live)) as (port, server):
        assert b'"tiny"' in _get(port, "/healthz")[1]
        (live / "zones.geojson").write_bytes(b'{"type": "FeatureCollection", "features": [')
        server.send_signal(signal.SIGHUP)
        time.sleep(3.0)  # the master tries the broken pack, keeps the current app, restarts workers
        assert server.poll() is None
        assert _get(port, "/v1/check?lat=-12.5&lon=-74.5")[0] == 200
        assert b'"tiny"' in _get(port, "/healthz")[1]


def test_oversized_headers_are_refused_by_the_server() -> None:
    with _serving(1) as (port, _server):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("GET", "/healthz")
        connection.putheader("X-Big", "a" * 20_000)
        connection.endheaders()
        assert connection.getresponse().status in (400, 431)
        assert _get(port, "/healthz")[0] == 200  # and it keeps serving


def test_compressed_bodies_are_not_inflated(client: FlaskClient) -> None:
    bomb = gzip.compress(b'{"points": [' + b'{"lat": 1, "lon": 1},' * 200_000 + b'{"lat": 1, "lon": 1}]}')
    response = client.post(
        "/v1/check", data=bomb, headers={"Content-Encoding": "gzip"}, content_type="application/json"
    )
    assert_problem(response, 400, "not UTF-8")


def test_gigantic_gpx_attribute_is_handled(client: FlaskClient) -> None:
    gpx = (
        '<gpx><rte note="'
        + "x" * 3_000_000
        + '"><rtept lat="-12.5" lon="-73.8"/><rtept lat="-12.6" lon="-73.8"/></rte></gpx>'
    )
    response = client.post("/v1/route", data=gpx, content_type="application/gpx+xml")
    assert response.status_code == 200 and response.get_json()["verdict"] == "do_not_travel"


def test_hostile_text_is_never_reflected_as_html(client: FlaskClient) -> None:
    script = "<script>alert(1)</script>"
    for response in (
        client.get(f"/v1/places?q={script}"),
        client.get(f"/v1/check?lat={script}&lon=1"),
        client.get(f"/{script}"),
    ):
        assert response.mimetype in ("application/json", "application/problem+json")
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_debug_mode_even_when_asked() -> None:
    assert create_app({"DEBUG": True}).debug is False


def test_rate_limit_is_off_by_default_and_429_when_set(client: FlaskClient) -> None:
    assert all(client.get("/healthz").status_code == 200 for _ in range(50))
    limited = create_app({"TESTING": True, "RATE_LIMIT": "3/minute"}).test_client()
    statuses = [limited.get("/healthz").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    assert_problem(limited.get("/healthz"), 429, "the limit is 3 per 1 minute")


_TINY_INDEX = ZoneIndex.from_path(TINY)


@settings(max_examples=200, deadline=None)
@given(st.floats(-74, -73), st.floats(-14, -13))
def test_points_inside_a_zone_by_construction_are_covered(lon: float, lat: float) -> None:
    result = _TINY_INDEX.check_point(lon=lon, lat=lat, date="2026-01-01")
    assert "t-square" in [z.id for z in result.zones]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(-81.5, -68.5), st.floats(-18.5, 0.2)), min_size=1, max_size=30))
def test_vectorised_and_single_paths_agree_on_the_real_pack(points: list[tuple[float, float]]) -> None:
    index = default_index()
    lon, lat = np.array(points).T
    batch = index.classify(lon, lat, date="2026-11-27")
    for i, (x, y) in enumerate(points):
        single = index.check_point(lon=x, lat=y, date="2026-11-27")
        assert (single.level or 0) == batch.level[i]
