"""Faults under load: wrk against gunicorn (2 workers) while one worker is killed with SIGKILL.

Reports requests, errors (socket errors and non-2xx) and the recovery time: from the kill
until gunicorn's replacement worker has loaded the pack and serves (its "worker ... ready"
log line, watched every 10 ms). Traffic goes to 127.0.0.1 only; the run is bounded (30 s of
load) and stops by itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.load import LUA, _ensure_wrk, _free_port, wrk_figures

DURATION_S = 30
KILL_AT_S = 10


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _ready_count(log: Path) -> int:
    return log.read_text().count("ready")


def main() -> None:
    wrk = _ensure_wrk()
    port = _free_port()
    log = Path(tempfile.mkstemp(suffix=".log")[1])
    riskzones = Path(sys.executable).with_name("riskzones")
    with log.open("w") as stream:
        server = subprocess.Popen(
            [str(riskzones), "serve", "--port", str(port), "--workers", "2"],
            env={**os.environ, "RISKZONES_ACCESS_LOG": "/dev/null"},
            stdout=subprocess.DEVNULL,
            stderr=stream,
        )
    timing: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 60
        while _ready_count(log) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)

        def kill_and_watch() -> None:
            time.sleep(KILL_AT_S)
            victim = _children(server.pid)[0]
            timing["pid"] = victim
            timing["killed"] = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            while _ready_count(log) < 3 and time.monotonic() - timing["killed"] < 20:
                time.sleep(0.01)
            timing["ready"] = time.monotonic()

        watcher = threading.Thread(target=kill_and_watch, daemon=True)
        watcher.start()
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(LUA)
        out = subprocess.run(
            [
                wrk,
                "-t2",
                "-c32",
                f"-d{DURATION_S}s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        script.unlink()
        watcher.join(timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.unlink()
    figures = wrk_figures(out)
    total, errors, rps = int(figures["requests"]), int(figures["errors"]), figures["rps"]
    recovery = timing["ready"] - timing["killed"]
    print(
        f"requests {total:,} ({rps:,.0f}/s), errors {errors} ({100 * errors / total:.3f} %), worker "
        f"{timing['pid']} killed at {KILL_AT_S} s, replacement serving after {recovery:.2f} s "
        "(targets: errors < 0.1 %, recovery <= 0.5 s)"
    )


if __name__ == "__main__":
    main()
