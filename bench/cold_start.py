"""Cold start: a fresh process answering one point, through what users run.

`riskzones check -12.5 -73.8` (the installed command) and a fresh app answering its first
`GET /v1/check` (what the gunicorn master does at start and on a pack reload), each against
the peer `python -c "import numpy, shapely"` in the same run; median of 7 fresh processes
each. Worker start: `riskzones serve --workers 1`, its one worker killed with SIGKILL, and the
time from the kill to the replacement's first answer to `GET /v1/check` (median of 7 kills).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.load import _free_port
from bench.reliability import _children

RUNS = 7
CLI = [str(Path(sys.executable).with_name("riskzones")), "check", "-12.5", "-73.8"]
PEER = [sys.executable, "-c", "import numpy, shapely"]
APP = [
    sys.executable,
    "-c",
    "from service import create_app; "
    "assert create_app().test_client().get('/v1/check?lat=-12.5&lon=-73.8').status_code == 200",
]


def _median(command: list[str], ok: tuple[int, ...] = (0,)) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        code = subprocess.run(command, capture_output=True, check=False).returncode
        times.append(time.perf_counter() - start)
        assert code in ok, f"{command} exited with {code}"
    return statistics.median(times)


def _answer(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as reply:
        assert reply.status == 200


def _worker_start() -> float:
    """Median time from SIGKILL of the only worker to the replacement's first answer."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/v1/check?lat=-12.5&lon=-73.8"
    server = subprocess.Popen(
        [CLI[0], "serve", "--port", str(port), "--workers", "1"],
        env={**os.environ, "RISKZONES_ACCESS_LOG": "/dev/null"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _answer(url)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        for _ in range(RUNS):
            worker = _children(server.pid)[0]
            start = time.perf_counter()
            os.kill(worker, signal.SIGKILL)
            while True:  # the request waits in the listen queue until a worker accepts it
                try:
                    _answer(url)
                    break
                except OSError:  # the dying worker's connection was reset
                    time.sleep(0.002)
            times.append(time.perf_counter() - start)
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return statistics.median(times)


def main() -> None:
    peer = _median(PEER)
    cli = _median(CLI, ok=(0, 3))  # 3: the point is at level 4
    app = _median(APP)
    print(f"peer: python -c 'import numpy, shapely'   {peer * 1000:6.0f} ms")
    print(
        f"riskzones check -12.5 -73.8 (cold)       {cli * 1000:6.0f} ms  {cli / peer:.1f}x the peer (target <= 3x)"
    )
    worker = _worker_start()
    print(
        f"fresh app, first GET /v1/check           {app * 1000:6.0f} ms  (the master's start and pack reload)"
    )
    print(f"worker killed -> replacement's first answer {worker * 1000:6.0f} ms  (target <= 250 ms)")


if __name__ == "__main__":
    main()
