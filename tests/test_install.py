"""``pip install .`` without extras gives a working command line and server (issue 11).

The wheel is built and installed into a fresh virtual environment; the commands run from
another directory, so they answer from the installed package and its packaged data only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GPX = ROOT / "tests" / "data" / "routes" / "ayacucho-pichari.gpx"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the riskzones wheel and its runtime dependencies."""
    where = tmp_path_factory.mktemp("install")
    run = {"check": True, "capture_output": True, "text": True, "cwd": where}
    # Built from the files a clone has (tracked, or new and not ignored), never from the working
    # tree itself: setuptools reuses a stale build/ directory there, which can carry files the
    # package data no longer lists and hide that a clean clone's wheel lacks them.
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], **{**run, "cwd": ROOT}
    ).stdout
    source = where / "source"
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where), str(source)], **run
    )
    (wheel,) = where.glob("riskzones-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(where / "venv")], **run)
    pip = where / "venv" / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], **run)
    return where


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_installed_cli_checks_a_point_and_a_route(installed: Path) -> None:
    cli = str(installed / "venv" / "bin" / "riskzones")
    point = subprocess.run(
        [cli, "check", "-12.5", "-73.8", "--json"], capture_output=True, text=True, cwd=installed
    )
    assert point.returncode == 3, point.stderr
    assert json.loads(point.stdout)["level"] == 4
    route = subprocess.run([cli, "route", str(GPX), "--json"], capture_output=True, text=True, cwd=installed)
    assert route.returncode == 3, route.stderr
    assert json.loads(route.stdout)["verdict"] == "do_not_travel"


def test_the_installed_server_answers(installed: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKZONES_")}
    server = subprocess.Popen(
        [str(installed / "venv" / "bin" / "riskzones"), "serve", "--port", str(port), "--workers", "1"],
        cwd=installed,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        for _ in range(120):
            try:
                url = f"http://127.0.0.1:{port}/v1/check?lat=-12.5&lon=-73.8"
                with urllib.request.urlopen(url, timeout=2) as response:
                    body = json.load(response)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the installed server exited: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
                time.sleep(0.5)
        assert body is not None and body["level"] == 4
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stderr.close()  # type: ignore[union-attr]


def test_the_installed_package_carries_every_data_and_page_file(installed: Path) -> None:
    # Everything the source tree ships beside the code: the pack (its compiled form too, or a
    # fresh process reads the GeoJSON for seconds), the map's scripts and vendored libraries.
    (site,) = (installed / "venv" / "lib").glob("python3*/site-packages")
    for folder in (
        "geo/data/pe",
        "geo/locale/es/LC_MESSAGES",
        "maps/static",
        "maps/static/vendor",
        "service/static",
    ):
        shipped = sorted(p.name for p in (ROOT / folder).iterdir() if p.is_file())
        assert shipped and sorted(p.name for p in (site / folder).iterdir() if p.is_file()) == shipped, folder
