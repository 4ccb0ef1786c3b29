"""The failures measured in issue 11's "Why", re-measured through what users call.

`PYTHONPATH=. .venv/bin/python -m bench.trust_figures` prints one line per failure: what it
was, and what the same input gives now. The tests in ``tests/test_trust.py`` assert each
behaviour; this prints the figures for BENCHMARKS.md.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from geo.engine.index import default_index
from geo.errors import PackError
from geo.io.formats import Route, parse_route
from geo.trips.route import RouteChecker
from service import create_app

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)
ROUTES = Path(__file__).resolve().parents[1] / "tests" / "data" / "routes"
DAY = "2026-11-27"


def _median_ms(run: object, times: int = 7) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    client = create_app({"TESTING": True}).test_client()
    bomb = client.post("/v1/itinerary", data=BOMB, content_type="application/yaml")
    bomb_ms = _median_ms(lambda: client.post("/v1/itinerary", data=BOMB, content_type="application/yaml"))
    print(
        f"YAML alias bomb ({len(BOMB)} bytes), POST /v1/itinerary: {bomb.status_code} in {bomb_ms:.1f} ms "
        f"({bomb.get_json()['detail'][:50]}...); was 0.69 s of expansion at 292 bytes"
    )
    zones = client.get("/v1/zones")
    print(
        f"GET /v1/zones without date: ETag {zones.headers['ETag'][:20]}..., {zones.headers['Cache-Control']}"
    )
    bad = client.get("/v1/check?lat=-12&lon=-77&date=2026-12-01T10:00")
    print(f"date=2026-12-01T10:00: {bad.status_code}, field {bad.get_json().get('field')!r}; was a TypeError")
    index = default_index()
    checker = RouteChecker(index)
    boat = checker.check(
        parse_route((ROUTES / "iquitos-santa-rosa.gpx").read_bytes(), "gpx"), date="2025-01-01"
    )
    parent = next(z for z in boat.zones if z.id == "us-colombia-border")
    print(
        f"boat on the excepted Amazon (2023 U.S. text): us-colombia-border inside {parent.inside_km} km, "
        f"excepted {parent.excepted_km} km, {len(parent.crossings)} crossings; was 88 km inside"
    )
    lima = checker.check(Route((np.array([[-77.0428, -12.0464]]),)), date=DAY)
    print(f"one-vertex route in Lima: {lima.verdict}, level {lima.max_level}; was not_covered")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "pack"
        shutil.copytree(index.pack.path, copy)
        (copy / "gazetteer.json").write_text(json.dumps({"places": [["x"]]}))
        try:
            create_app({"TESTING": True, "PACK": str(copy)})
            print("corrupt gazetteer: start-up did NOT fail")
        except PackError as error:
            print(
                f"corrupt gazetteer: start-up refused ({str(error)[:70]}...); was a 503 on the first itinerary"
            )


if __name__ == "__main__":
    main()
