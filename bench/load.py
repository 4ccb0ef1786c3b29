"""HTTP load: GET /v1/check on gunicorn (2 workers) with wrk on the same machine, against a bare
Flask endpoint doing one shapely test (the ceiling), both measured in this run.

wrk (Debian package, installed with apt-get when missing) sends random points over Peru's
bounding box, 2 threads, 32 connections, 20 s per server after a 3 s warm-up.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

DURATION = "20s"
CONNECTIONS = 32
LUA = """
math.randomseed(7)
request = function()
  local lat = -18.35 + math.random() * 18.35
  local lon = -81.33 + math.random() * 12.67
  return wrk.format("GET", string.format("/v1/check?lat=%.5f&lon=%.5f&date=2026-11-27", lat, lon))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return "wrk"


def _serve(app: str, port: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--preload",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "/dev/null",
            app,
        ],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/check?lat=-12.5&lon=-73.8", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"{app} did not start")


def _wrk(wrk: str, port: int, script: Path, duration: str) -> dict[str, float]:
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "--latency", "-s", str(script)]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True
    ).stdout
    return wrk_figures(out)


def wrk_figures(out: str) -> dict[str, float]:
    """Requests/s, p99 (ms), errors (socket errors and non-2xx) and requests from wrk's report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in match.groups())
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p99_ms": float(p99.group(1)) * scale, "errors": errors, "requests": total}


BARE = "bare Flask + one shapely test"


def measure(ours: str, env: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """wrk against riskzones (served with ``env`` added) and then the bare ceiling, each after a
    warm-up; each one's figures printed and returned by label."""
    wrk = _ensure_wrk()
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA)
    results = {}
    for label, app, extra in (
        (ours, "service:create_app()", env or {}),
        (BARE, "bench.bare_app:create_app()", {}),
    ):
        saved = dict(os.environ)
        os.environ.update(extra)
        try:
            port = _free_port()
            server = _serve(app, port)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        try:
            _wrk(wrk, port, script, "3s")
            results[label] = _wrk(wrk, port, script, DURATION)
        finally:
            server.terminate()
            server.wait(timeout=15)
    script.unlink()
    for label, r in results.items():
        print(
            f"{label:40} {r['rps']:8.0f} req/s  p99 {r['p99_ms']:6.2f} ms  errors {r['errors']} of {r['requests']}"
        )
    return results


def main() -> None:
    results = measure("riskzones GET /v1/check")
    ours, bare = results["riskzones GET /v1/check"], results[BARE]
    print(
        f"riskzones / bare ceiling: {ours['rps'] / bare['rps']:.2f} (targets: >= 3000 req/s, p99 <= 20 ms, 0 errors)"
    )


if __name__ == "__main__":
    main()
