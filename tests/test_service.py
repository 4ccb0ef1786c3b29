"""The service end to end through the Flask client, and the real server via `riskzones serve`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from geo.engine.index import default_index
from geo.errors import PackError
from geo.pack import ZonePack
from service import create_app
from tests.conftest import assert_problem


def test_healthz_names_the_pack(client: FlaskClient, pack: ZonePack) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "pack": {"id": "pe", "version": pack.version}}


def test_pack_summary(client: FlaskClient) -> None:
    body = client.get("/v1/pack").get_json()
    assert body["id"] == "pe"
    pack = default_index().pack
    assert body["zones"] == len(pack.zones)
    assert sum(body["zones_by_level"].values()) == len(pack.zones)
    assert "us-vraem" in body["zone_ids"]
    assert body["baseline"]["level"] == 2
    assert {s["licence"] for s in body["sources"]} >= {"GPL-3"}


def test_unknown_path_is_a_problem(client: FlaskClient) -> None:
    assert_problem(client.get("/v1/nothing"), 404, "/v1/nothing")


def test_wrong_method_is_a_problem(client: FlaskClient) -> None:
    assert_problem(client.post("/healthz"), 405)


def test_broken_pack_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"pack\.json"):
        create_app({"PACK": str(tmp_path)})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_riskzones_serve_starts_gunicorn() -> None:
    port = _free_port()
    riskzones = Path(sys.executable).with_name("riskzones")
    server = subprocess.Popen(
        [str(riskzones), "serve", "--port", str(port), "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "RISKZONES_HOST": "127.0.0.1"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    body = reply.read().decode()
                    server_header = reply.headers.get("Server", "")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    stderr = server.stderr.read().decode() if server.stderr else ""
                    raise AssertionError(f"gunicorn did not answer: {stderr}") from None
                time.sleep(0.2)
        assert '"status":"ok"' in body.replace(" ", "")
        assert "gunicorn" in server_header
    finally:
        server.terminate()
        server.wait(timeout=10)
        logged = server.stdout.read().decode() if server.stdout else ""
        for stream in (server.stdout, server.stderr):
            if stream:
                stream.close()
    access = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    assert any(a["path"] == "/healthz" and a["status"] == 200 for a in access)
