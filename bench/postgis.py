"""A throwaway PostgreSQL/PostGIS server on 127.0.0.1 for the benchmarks.

Installs Debian's postgresql-15 and postgresql-15-postgis-3 with apt-get when they are
missing (needs root), creates a cluster in a temporary directory owned by the postgres user,
starts it on a free loopback port with trust authentication, and removes it on exit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
PACKAGES = ["postgresql-15", "postgresql-15-postgis-3"]


def ensure_installed() -> None:
    if (BIN / "postgres").exists() and Path("/usr/share/postgresql/15/extension/postgis.control").exists():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], check=True, env=env)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A running cluster; ``psql`` runs SQL and returns its standard output."""

    def __init__(self, port: int) -> None:
        self.port = port

    def _run(self, extra: list[str], stdin: bytes | None) -> str:
        command = [str(BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        command += ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", *extra]
        return subprocess.run(command, input=stdin, capture_output=True, check=True).stdout.decode()

    def psql(self, sql: str, *, stdin: bytes | None = None) -> str:
        """One statement (``-c``), with optional data on standard input (for COPY)."""
        return self._run(["-c", sql], stdin)

    def script(self, sql: str) -> str:
        """Several statements and psql commands, read from standard input."""
        return self._run([], sql.encode())


def _as_postgres(*argv: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


@contextlib.contextmanager
def server() -> Iterator[Server]:
    ensure_installed()
    root = Path(tempfile.mkdtemp(prefix="riskzones-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(
            _as_postgres(str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=256MB"
        subprocess.run(
            _as_postgres(
                str(BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(root / "log"),
                "start",
            ),
            check=True,
            capture_output=True,
        )
        yield Server(port)
    finally:
        subprocess.run(
            _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
