"""The compiled pack: the same answers as the GeoJSON, and never trusted when it does not match."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from geo.engine.index import ZoneIndex
from geo.pack import default_pack_dir, load_pack
from geo.pack.compiled import MAGIC, CompiledError, read_compiled
from tests.test_places import DAY, PLACES


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "pe"
    shutil.copytree(default_pack_dir(), copy)
    return copy


def _without_compiled(tmp_path: Path) -> Path:
    copy = _copy(tmp_path / "geojson")
    meta = json.loads((copy / "pack.json").read_text())
    del meta["files"]["compiled"]
    (copy / "pack.json").write_text(json.dumps(meta))
    (copy / "compiled.bin").unlink()
    return copy


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[ZoneIndex, ZoneIndex]:
    compiled = load_pack(default_pack_dir())
    plain = load_pack(_without_compiled(tmp_path_factory.mktemp("plain")))
    assert compiled.compiled is not None and plain.compiled is None
    return ZoneIndex(compiled), ZoneIndex(plain)


def test_the_packaged_pack_has_a_compiled_form_that_is_used() -> None:
    assert load_pack(default_pack_dir()).compiled is not None


def test_a_million_random_points_classify_the_same(both: tuple[ZoneIndex, ZoneIndex]) -> None:
    compiled, plain = both
    minx, miny, maxx, maxy = plain.pack.coverage.bounds
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(minx - 1, maxx + 1, 1_000_000), rng.uniform(miny - 1, maxy + 1, 1_000_000)
    a, b = compiled.classify(lon, lat, date=DAY), plain.classify(lon, lat, date=DAY)
    assert np.array_equal(a.level, b.level) and np.array_equal(a.covered, b.covered)
    assert a.zone_lists().tolist() == b.zone_lists().tolist()
    # The geometries are the same bit for bit, and so are the grid's tables.
    for x, y in zip(compiled.pack.zones, plain.pack.zones, strict=True):
        assert x.geometry.equals_exact(y.geometry, 0) and x.properties == y.properties
    assert np.array_equal(compiled.grid.pattern, plain.grid.pattern)
    assert np.array_equal(compiled.grid.full_table, plain.grid.full_table)


def test_the_named_places_answer_the_same(both: tuple[ZoneIndex, ZoneIndex]) -> None:
    compiled, plain = both
    for _name, _id, lon, lat, *_ in PLACES:
        assert compiled.check_point(lon=lon, lat=lat, date=DAY) == plain.check_point(
            lon=lon, lat=lat, date=DAY
        )


def test_a_corrupt_compiled_file_is_not_trusted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    copy = _copy(tmp_path)
    raw = bytearray((copy / "compiled.bin").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (copy / "compiled.bin").write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING, logger="riskzones"):
        pack = load_pack(copy)
    assert pack.compiled is None  # read from the GeoJSON instead
    assert "checksum" in caplog.text and "GeoJSON" in caplog.text
    assert ZoneIndex(pack).check_point(lon=-73.8, lat=-12.5, date=DAY).level == 4


def test_a_stale_compiled_file_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The GeoJSON changed (and pack.json with it) but the compiled file is the old one.
    copy = _copy(tmp_path)
    meta = json.loads((copy / "pack.json").read_text())
    zones = (copy / "zones.geojson").read_bytes().replace(b'"level":4', b'"level":3', 1)
    (copy / "zones.geojson").write_bytes(zones)
    import hashlib

    meta["files"]["zones"]["sha256"] = hashlib.sha256(zones).hexdigest()
    (copy / "pack.json").write_text(json.dumps(meta))
    with caplog.at_level(logging.WARNING, logger="riskzones"):
        pack = load_pack(copy)
    assert pack.compiled is None and "stale" in caplog.text


def test_only_numbers_are_read_from_a_compiled_file() -> None:
    header = json.dumps({"format": 1, "arrays": {"x": {"dtype": "|O", "shape": [1], "offset": 0}}}).encode()
    raw = MAGIC + len(header).to_bytes(8, "little") + header + bytes(128)
    with pytest.raises(CompiledError, match="only numbers"):
        read_compiled(raw, {})
    with pytest.raises(CompiledError, match="not a compiled pack"):
        read_compiled(b"PK\x03\x04", {})
