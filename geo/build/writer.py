"""Deterministic, atomic writing of a zone pack directory."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.dates import utc_now

__all__ = ["data_version", "feature_collection", "geometry_json", "write_pack", "write_text_atomic"]

_DECIMALS = 6


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, _DECIMALS)
    return [_round(v) for v in value]


def geometry_json(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry with coordinates rounded to 1e-6 degrees.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> geometry_json(Point(-73.816666666, -12.5))
    {'type': 'Point', 'coordinates': [-73.816667, -12.5]}
    """
    shape = mapping(geometry)
    return {"type": shape["type"], "coordinates": _round(shape["coordinates"])}


def feature_collection(features: Iterable[dict[str, Any]]) -> bytes:
    """A FeatureCollection with one feature per line, so that diffs of the pack stay readable."""
    lines = [
        json.dumps(
            {
                "type": "Feature",
                "properties": feature["properties"],
                "geometry": geometry_json(feature["geometry"]),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for feature in features
    ]
    body = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    return body.encode("utf-8")


def write_pack(
    out_dir: Path,
    files: dict[str, bytes],
    metadata: dict[str, Any],
    reference: Path | None = None,
    change: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``files`` and ``pack.json`` into ``out_dir``, all or nothing.

    ``built`` and the data ``version`` are kept from the reference pack (by default the pack
    being replaced) when the content is unchanged, so a rebuild of the same definitions is
    byte-identical; otherwise the version is the next of the build's month (``data_version``).
    ``change`` (what changed since the reference pack, ``geo.pack.changes.PackDiff.as_json``)
    heads the pack's ``changelog`` when the content changed; the log is carried from pack to pack.
    """
    entries = {
        name.split(".")[0]: {"path": name, "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    }
    content = json.dumps({"metadata": metadata, "files": entries}, sort_keys=True)
    content_sha256 = hashlib.sha256(content.encode()).hexdigest()
    previous = _read_previous(reference or out_dir / "pack.json")
    same = previous.get("content_sha256") == content_sha256 and "version" in previous
    built = previous["built"] if same else utc_now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    version = previous["version"] if same else data_version(previous.get("version"), built[:10])
    changelog = list(previous.get("changelog") or [])
    if not same and change is not None:
        changelog.insert(0, {"version": version, "built": built, **change, "new_version": version})
    pack = {
        "format": 1,
        **{k: metadata[k] for k in ("id", "name")},
        "version": version,
        "built": built,
        "content_sha256": content_sha256,
        "files": entries,
        **{k: v for k, v in metadata.items() if k not in ("id", "name", "version")},
        # Not part of the content checksum: it describes how this content came to be.
        "changelog": changelog,
    }
    files = {**files, "pack.json": _json_bytes(pack)}
    _replace_dir(out_dir, files)
    return pack


def data_version(previous: str | None, day: str) -> str:
    """The data version of a pack built on ``day`` (YYYY-MM-DD) whose content differs from the
    pack of version ``previous``: year.month.n, n counting the month's releases from 1.

    Examples
    --------
    >>> data_version(None, "2026-12-02"), data_version("2026-06-22", "2026-12-02")
    ('2026.12.1', '2026.12.1')
    >>> data_version("2026.12.1", "2026-12-20"), data_version("2026.12.3", "2027-01-05")
    ('2026.12.2', '2027.1.1')
    """
    year, month = int(day[:4]), int(day[5:7])
    prefix = f"{year}.{month}."
    if previous and previous.startswith(prefix) and previous[len(prefix) :].isdigit():
        return f"{prefix}{int(previous[len(prefix) :]) + 1}"
    return f"{prefix}1"


def _json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _read_previous(path: Path) -> dict[str, Any]:
    if path.is_dir():
        path = path / "pack.json"
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _replace_dir(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write into a sibling temporary directory, then swap it in with renames."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
            os.chmod(staging / name, 0o644)
        os.chmod(staging, 0o755)
        retired = out_dir.parent / f".{out_dir.name}-old"
        shutil.rmtree(retired, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(retired)
        staging.rename(out_dir)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Replace a text file in one rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
