"""Cold start: a fresh process answering one point, through what users run.

`riskzones check -12.5 -73.8` (the installed command) and a fresh app answering its first
`GET /v1/check` (what a new gunicorn worker does), each against the peer `python -c "import
numpy, shapely"` in the same run; median of 7 fresh processes each.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def main() -> None:
    peer = _median(PEER)
    cli = _median(CLI, ok=(0, 3))  # 3: the point is at level 4
    app = _median(APP)
    print(f"peer: python -c 'import numpy, shapely'   {peer * 1000:6.0f} ms")
    print(
        f"riskzones check -12.5 -73.8 (cold)       {cli * 1000:6.0f} ms  {cli / peer:.1f}x the peer (target <= 3x)"
    )
    print(f"fresh app, first GET /v1/check           {app * 1000:6.0f} ms  (target <= 250 ms)")


if __name__ == "__main__":
    main()
