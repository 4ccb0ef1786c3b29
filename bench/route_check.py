"""A 100,000-vertex route, end to end: parse and check (RouteChecker).

The track runs from Ayacucho into the VRAEM to Pichari, one point every few metres with
GPS-like jitter. It is written as GPX with <ele> and <time> on every point (as a GPS logger
writes them), as GPX with points only, and as GeoJSON. The peer is gpxpy.parse of the same
GPX file, parsing alone, measured in the same run.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import gpxpy
import numpy as np
import polyline

from geo.engine.index import default_index
from geo.io.formats import Route, parse_route
from geo.trips.route import RouteChecker

VERTICES = 100_000
RUNS = 5


def _points() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    t = np.linspace(0, 1, VERTICES)
    lon = -74.22345 + (-73.81667 + 74.22345) * t + 0.02 * np.sin(t * 40) + rng.normal(0, 2e-6, VERTICES)
    lat = -13.1638 + (-12.5 + 13.1638) * t + 0.02 * np.cos(t * 30) + rng.normal(0, 2e-6, VERTICES)
    return lon, lat


def _gpx(extras: bool) -> bytes:
    lon, lat = _points()
    extra = "<ele>2750.0</ele><time>2026-12-01T08:00:00Z</time>" if extras else ""
    points = "".join(
        f'<trkpt lat="{y:.6f}" lon="{x:.6f}">{extra}</trkpt>' for x, y in zip(lon, lat, strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="bench" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>bench</name><trkseg>{points}</trkseg></trk></gpx>'
    ).encode()


def _kml() -> bytes:
    lon, lat = _points()
    coordinates = " ".join(f"{x:.6f},{y:.6f},2750" for x, y in zip(lon, lat, strict=True))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<Placemark><name>bench</name><LineString><coordinates>{coordinates}</coordinates></LineString>"
        "</Placemark></Document></kml>"
    ).encode()


def _polyline() -> bytes:
    lon, lat = _points()
    return json.dumps(
        {"polyline": polyline.encode(list(zip(lat, lon, strict=True)), 6), "precision": 6}
    ).encode()


def _geojson() -> bytes:
    lon, lat = _points()
    coordinates = np.round(np.column_stack([lon, lat]), 6).tolist()
    return json.dumps({"type": "LineString", "coordinates": coordinates}).encode()


def _median(run: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _report(label: str, data: bytes, fmt: str, checker: RouteChecker) -> None:
    route = parse_route(data, fmt)
    parse = _median(lambda: parse_route(data, fmt))
    check = _median(lambda: checker.check(route, date="2026-11-27"))
    result = checker.check(route, date="2026-11-27")
    peer = ""
    if fmt == "gpx":
        seconds = _median(lambda: gpxpy.parse(data.decode()))
        peer = f"; peer gpxpy.parse alone {seconds * 1000:.0f} ms, ratio {seconds / (parse + check):.1f}x"
    print(
        f"{VERTICES:,}-vertex {label} ({len(data) / 1e6:.1f} MB): parse {parse * 1000:.0f} ms + "
        f"check {check * 1000:.0f} ms = {(parse + check) * 1000:.0f} ms end to end (target <= 200 ms){peer}; "
        f"{result.verdict}, {result.zones[0].inside_km:.1f} km in {result.zones[0].id}"
    )


def _http(
    label: str, data: bytes, content_type: str, peer: Callable[[], object] | None = None, peer_name: str = ""
) -> None:
    """The same route through POST /v1/route of the app (Flask test client): what users call."""
    from geo.engine.index import keep_for_process
    from service import create_app

    client = create_app({"TESTING": True}).test_client()
    keep_for_process()  # as a served worker does after start-up (service/gunicorn_conf.py)

    def post() -> None:
        response = client.post("/v1/route?date=2026-11-27", data=data, content_type=content_type)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]

    ours = _median(post)
    line = f"HTTP POST /v1/route, {VERTICES:,}-vertex {label}: {ours * 1000:.0f} ms end to end (target <= 250 ms)"
    if peer is not None:
        theirs = _median(peer)
        line += f"; peer {peer_name} {theirs * 1000:.0f} ms, ratio {ours / theirs:.1f}x"
    print(line)


def _cli(files: dict[str, bytes]) -> None:
    """`riskzones route FILE` in a fresh process, as users run it (start-up and pack included)."""
    riskzones = str(Path(sys.executable).with_name("riskzones"))
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, data in files.items():
            path = Path(tmp) / f"route{suffix}"
            path.write_bytes(data)
            seconds = _median(
                lambda path=path: subprocess.run([riskzones, "route", str(path)], capture_output=True)
            )
            print(
                f"riskzones route, 100,000-vertex {suffix[1:]} file, fresh process: {seconds * 1000:.0f} ms"
            )


def _curve(checker: RouteChecker) -> None:
    """How the check's cost grows with the route: the same track cut to 1k, 10k and 100k vertices."""
    route = parse_route(_geojson(), "geojson")
    for count in (1_000, 10_000, 100_000):
        part = route.parts[0][:: VERTICES // count]
        seconds = _median(lambda part=part: checker.check(Route((part,)), date="2026-11-27"))
        print(f"cost curve: route check of {len(part):>7,} vertices: {seconds * 1000:6.1f} ms")


def _served() -> None:
    """The HTTP figures, in a process that only serves (as a gunicorn worker does)."""
    geojson, gpx, kml, encoded = _geojson(), _gpx(True), _kml(), _polyline()
    _http("GeoJSON LineString", geojson, "application/json", lambda: json.loads(geojson), "json.loads")
    _http(
        "GPX with <ele> and <time>",
        gpx,
        "application/gpx+xml",
        lambda: ElementTree.fromstring(gpx),
        "ElementTree.fromstring",
    )
    _http("KML LineString", kml, "application/vnd.google-earth.kml+xml")
    text = json.loads(encoded)["polyline"]
    _http(
        "encoded polyline",
        encoded,
        "application/json",
        lambda: polyline.decode(text, 6),
        "polyline.decode alone",
    )


def main() -> None:
    # The HTTP figures first, in a fresh process: the parse figures below leave gpxpy's
    # millions of objects behind, which no served worker carries.
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "bench.route_check", "served"], cwd=root, check=True)
    checker = RouteChecker(default_index())
    _curve(checker)
    _report("GPX with <ele> and <time>", _gpx(True), "gpx", checker)
    _report("GPX points only", _gpx(False), "gpx", checker)
    _report("GeoJSON LineString", _geojson(), "geojson", checker)
    _cli({".gpx": _gpx(True), ".kml": _kml(), ".geojson": _geojson()})


if __name__ == "__main__":
    if sys.argv[1:] == ["served"]:
        _served()
    else:
        main()
