"""Writing a user's output file whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["staged"]


@contextlib.contextmanager
def staged(target: Path, suffix: str = ".part") -> Iterator[Path]:
    """A path beside ``target`` (no file there yet) to write the output to: renamed onto
    ``target`` when the block ends, removed when it fails, so a failed run leaves neither a
    partial file nor a stray one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    staging = Path(name)
    staging.unlink()  # writers such as GDAL create the file themselves
    try:
        yield staging
        os.replace(staging, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staging.unlink()
