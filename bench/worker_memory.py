"""Memory per served worker: the app served as `make run` serves it (gunicorn with
``service.gunicorn_conf``, ``service.wsgi:served_app()``, 2 workers), after 400 `GET /v1/check`
answers over Peru and its neighbours; against the bare-Flask ceiling app (``bench.bare_app``)
served by gunicorn with 2 workers in the same run.

Each worker's resident set (RSS) and proportional set (PSS: pages shared with the master after
the fork counted once, split among the processes sharing them) come from
/proc/<pid>/smaps_rollup. The target (../shared/DESIGN.md) is <= 250 MB per worker.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.load import _free_port
from bench.reliability import _children

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 400


def _served(port: int) -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [str(gunicorn), "--config", "python:service.gunicorn_conf", "service.wsgi:served_app()"]


def _bare(port: int) -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [
        str(gunicorn),
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--preload",
        "--access-logfile",
        "/dev/null",
        "bench.bare_app:create_app()",
    ]


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def measure(command: list[str], port: int) -> list[tuple[float, float]]:
    """(RSS MB, PSS MB) of each worker after ``REQUESTS`` answers."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RISKZONES_PORT": str(port),
        "RISKZONES_HOST": "127.0.0.1",
        "RISKZONES_WORKERS": "2",
        "RISKZONES_DELIVERER": "0",
        "RISKZONES_INSTANCE": str(Path(os.environ.get("TMPDIR", "/tmp")) / f"rz-memory-{port}"),
    }
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rng = random.Random(7)
        url = f"http://127.0.0.1:{port}/v1/check"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}?lat=-12.5&lon=-73.8", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command} did not start") from None
                time.sleep(0.2)
        for _ in range(REQUESTS):
            lat, lon = rng.uniform(-34.0, 8.0), rng.uniform(-81.0, -45.0)
            urllib.request.urlopen(f"{url}?lat={lat:.5f}&lon={lon:.5f}", timeout=10).read()
        workers = _children(server.pid)
        return [(_kb(pid, "Rss") / 1024, _kb(pid, "Pss") / 1024) for pid in workers]
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    ours = measure(_served(port := _free_port()), port)
    bare = measure(_bare(port := _free_port()), port)
    for label, figures in (("riskzones (make run)", ours), ("bare Flask + one shapely test", bare)):
        text = ", ".join(f"RSS {rss:.0f} MB / PSS {pss:.0f} MB" for rss, pss in figures)
        print(f"{label}: {len(figures)} workers: {text}")
    worst = max(rss for rss, _ in ours)
    print(
        f"worst riskzones worker RSS {worst:.0f} MB (target <= 250 MB); "
        f"ratio to the bare app's worst {worst / max(rss for rss, _ in bare):.1f}x"
    )


if __name__ == "__main__":
    main()
