"""A real Valhalla for the router tests: its programs, a synthetic road network, a server.

Valhalla's programs (``valhalla_build_tiles``, ``valhalla_service``) are taken from the pinned
``pyvalhalla`` wheel on PyPI. The wheel is built for CPython 3.12 and later (abi3), so pip is
asked for that wheel as a file (``pip download --python-version 3.12 --platform ...``), its
checksum is verified, and only ``valhalla/bin``, the configuration script and the bundled
libraries (``pyvalhalla.libs``, found through the programs' RPATH) are unpacked: the programs
do not use the wheel's Python bindings, so they run beside any interpreter. Nothing is
installed. Where the wheel cannot be obtained the fixture fails, it never skips.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

VERSION = "3.9.1"
#: sha256 of pyvalhalla-3.9.1-cp312-abi3-manylinux_2_28_<arch>.whl on PyPI, by machine.
WHEELS = {
    "x86_64": "7b49c5e5f86cefd555b473aaaf34df3305889d30aa889b8abd3b4c2acc622271",
}
CACHE = Path(os.environ.get("RISKZONES_VALHALLA_CACHE", Path.home() / ".cache" / "riskzones-valhalla"))


def programs() -> Path:
    """The directory of Valhalla's programs, unpacked from the pinned wheel (cached)."""
    machine = platform.machine()
    if machine not in WHEELS:
        raise RuntimeError(f"no pinned pyvalhalla wheel for {machine}; add its sha256 to WHEELS")
    root = CACHE / f"{VERSION}-{machine}"
    binary = root / "valhalla" / "bin" / "valhalla_service"
    if binary.exists():
        return binary.parent
    CACHE.mkdir(parents=True, exist_ok=True)
    wheel = CACHE / f"pyvalhalla-{VERSION}-cp312-abi3-manylinux_2_28_{machine}.whl"
    if not wheel.exists():
        done = subprocess.run(
            [
                sys.executable, "-m", "pip", "download", f"pyvalhalla=={VERSION}", "--no-deps",
                "--only-binary=:all:", "--python-version", "3.12",
                "--platform", f"manylinux_2_28_{machine}", "-d", str(CACHE), "-q",
            ],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode or not wheel.exists():
            raise RuntimeError(f"pip could not download pyvalhalla {VERSION}: {done.stderr[-2000:]}")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEELS[machine]:
        wheel.unlink()
        raise RuntimeError(f"{wheel.name}: sha256 {digest} is not the pinned {WHEELS[machine]}")
    staging = root.with_name(root.name + ".part")
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(("valhalla/bin/", "pyvalhalla.libs/")) or name.endswith(
                "valhalla_build_config.py"
            ):
                archive.extract(name, staging)
    for program in (staging / "valhalla" / "bin").iterdir():
        program.chmod(0o755)
    staging.rename(root)
    return binary.parent


def write_network(path: Path, ways: Sequence[tuple[str, Sequence[tuple[float, float]]]]) -> None:
    """An OSM PBF file with one way per ``(highway tag, [(lon, lat), ...])``; ways sharing a
    position share its node, so they connect there."""
    import osmium

    ids: dict[tuple[float, float], int] = {}
    writer = osmium.SimpleWriter(str(path))
    try:
        for _highway, positions in ways:
            for position in positions:
                if position not in ids:
                    ids[position] = len(ids) + 1
                    writer.add_node(osmium.osm.mutable.Node(id=ids[position], location=position, version=1))
        for number, (highway, positions) in enumerate(ways, start=1):
            writer.add_way(
                osmium.osm.mutable.Way(
                    id=number,
                    nodes=[ids[p] for p in positions],
                    tags={"highway": highway, "name": f"road {number}"},
                    version=1,
                )
            )
    finally:
        writer.close()


def build_tiles(bin_dir: Path, work: Path, pbf: Path) -> Path:
    """Valhalla's default configuration and tiles for ``pbf`` (``with_limits`` changes the
    limits of a copy)."""
    config = work / "valhalla.json"
    made = subprocess.run(
        [
            sys.executable, str(bin_dir.parent / "valhalla_build_config.py"),
            "--mjolnir-tile-dir", str(work / "tiles"),
            "--mjolnir-tile-extract", str(work / "tiles.tar"),
            "--mjolnir-admin", str(work / "admins.sqlite"),
            "--mjolnir-timezone", str(work / "timezones.sqlite"),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    config.write_text(made.stdout)
    subprocess.run(
        [str(bin_dir / "valhalla_build_tiles"), "-c", str(config), str(pbf)],
        capture_output=True, text=True, check=True, cwd=work,
    )  # fmt: skip
    return config


def with_limits(config: Path, target: Path, **limits: int) -> Path:
    """A copy of ``config`` with other ``service_limits`` (same tiles)."""
    document = json.loads(config.read_text())
    document["service_limits"].update(limits)
    target.write_text(json.dumps(document))
    return target


@contextmanager
def serve(bin_dir: Path, config: Path) -> Iterator[str]:
    """``valhalla_service`` on 127.0.0.1 with ``config``: its base URL while the block runs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    document = json.loads(config.read_text())
    document["httpd"]["service"]["listen"] = f"tcp://127.0.0.1:{port}"
    served = config.with_name(f"served-{port}.json")
    served.write_text(json.dumps(document))
    log = (config.parent / f"valhalla-{port}.log").open("w")
    process = subprocess.Popen([str(bin_dir / "valhalla_service"), str(served), "1"], stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if process.poll() is not None:
                raise RuntimeError(
                    f"valhalla_service exited: {(config.parent / log.name).read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(base + "/status", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.kill()  # it does not stop on SIGTERM while its worker waits
        process.wait(timeout=10)
        log.close()


def route(base: str, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST ``request`` to ``/route``: the status and the JSON answer (an error's too)."""
    body = json.dumps(request).encode()
    ask = urllib.request.Request(base + "/route", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(ask, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
