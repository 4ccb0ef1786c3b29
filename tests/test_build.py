"""The pack build: reproducible from the research sources, and loud about malformed ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geo.build import build_pack
from geo.errors import SourceError
from geo.pack import default_pack_dir, load_pack
from service.cli import main

pytestmark = pytest.mark.sources
PACKAGED = default_pack_dir()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rebuilt(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rebuilt")
    build_pack(sources, out, reference=PACKAGED, log=lambda _line: None)
    return out


def test_committed_pack_is_what_the_build_produces(rebuilt: Path) -> None:
    assert _snapshot(rebuilt / "pe") == _snapshot(PACKAGED)
    assert (rebuilt / "README.md").read_bytes() == (PACKAGED.parent / "README.md").read_bytes()


def test_second_build_is_byte_identical(sources: Path, rebuilt: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    shutil.copytree(rebuilt, out)
    build_pack(sources, out, log=lambda _line: None)
    assert _snapshot(out) == _snapshot(rebuilt)


def test_build_checks_meet_the_acceptance_limits(rebuilt: Path) -> None:
    loaded = load_pack(rebuilt / "pe")
    report = json.loads((rebuilt / "pe" / "pack.json").read_text())["checks"]
    assert abs(report["vraem_vs_pcm_outline"]["area_difference_pct"]) <= 0.5
    assert abs(report["colombia_border_vs_candidate"]["area_difference_pct"]) <= 5
    assert report["district_layer"]["max_error_m"] <= 50
    assert report["exceptions_inside_parent"]["us-amazon-river-exception"]["outside_parent_km2"] < 0.01
    assert {z["id"] for z in report["zones"]} == {z.id for z in loaded.zones}


def _copy_sources(sources: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "sources"
    shutil.copytree(sources, copy)
    return copy


def _assert_fails_untouched(bad_sources: Path, tmp_path: Path, *fragments: str) -> None:
    out = tmp_path / "out"
    shutil.copytree(PACKAGED, out / "pe")
    before = _snapshot(out)
    with pytest.raises(SourceError) as caught:
        build_pack(bad_sources, out, log=lambda _line: None)
    message = str(caught.value)
    assert "Fix:" in message
    for fragment in fragments:
        assert fragment in message
    assert _snapshot(out) == before


def test_missing_column_names_file_and_fix(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "advisories" / "areas.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("geometry_rule", "rule", 1))
    _assert_fails_untouched(bad, tmp_path, "areas.csv", "line 1", "geometry_rule")


def test_unknown_ubigeo_names_file_row_and_fix(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "zones" / "low_presence_districts.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(k for k, line in enumerate(lines) if line.startswith("MIN-PATAZ,"))
    code = lines[row].split(",")[3]
    lines[row] = lines[row].replace(f",{code},", ",139999,", 1)
    csv.write_text("".join(lines), encoding="utf-8")
    _assert_fails_untouched(bad, tmp_path, "low_presence_districts.csv", f"line {row + 1}", "139999")


def test_invalid_geometry_names_file_feature_and_fix(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    gpkg = bad / "sources" / "mapsPERU" / "districts.gpkg"
    frame = gpd.read_file(gpkg)
    position = int(frame.index[frame["COD_DISTRITO"] == "080910"][0])
    bowtie = Polygon([(-73.9, -12.6), (-73.7, -12.4), (-73.7, -12.6), (-73.9, -12.4)])
    frame.loc[position, "geometry"] = bowtie
    gpkg.unlink()
    frame.to_file(gpkg, driver="GPKG")
    _assert_fails_untouched(bad, tmp_path, "districts.gpkg", "080910", "invalid geometry")


def test_cli_reports_a_bad_sources_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["zones", "build", "--sources", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--sources" in err and "Traceback" not in err
    assert not (tmp_path / "pe").exists()
