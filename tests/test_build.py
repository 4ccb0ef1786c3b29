"""The pack build: reproducible from the definitions of this repository alone, and loud about
malformed ones (the file, the line and the fix)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, shape

from geo.build import build_pack
from geo.build.sources import SourceSet
from geo.errors import SourceError
from geo.pack import ZonePack, default_pack_dir, load_pack
from service.cli import main
from tests.conftest import VRAEM_OUTLINE

PACKAGED = default_pack_dir()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rebuilt(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packs rebuilt from geo/definitions alone (no VRAEM outline, no ../shared): Peru's
    and, beside it, each neighbour's."""
    out = tmp_path_factory.mktemp("rebuilt")
    build_pack(sources, out, reference=PACKAGED, outline=None, log=lambda _line: None)
    return out


def test_committed_pack_is_what_the_definitions_build(rebuilt: Path) -> None:
    assert _snapshot(rebuilt / "pe") == _snapshot(PACKAGED)
    assert (rebuilt / "README.md").read_bytes() == (PACKAGED.parent / "README.md").read_bytes()


def test_committed_neighbour_packs_are_what_the_definitions_build(rebuilt: Path) -> None:
    from geo.pack.load import NEIGHBOUR_PACKS, neighbour_pack_dirs

    assert [p.name for p in neighbour_pack_dirs()] == list(NEIGHBOUR_PACKS)  # all are packaged
    for committed in neighbour_pack_dirs():
        assert _snapshot(rebuilt / committed.name) == _snapshot(committed), committed.name


def test_the_build_reads_nothing_outside_the_definitions(sources: Path, rebuilt: Path) -> None:
    # Every input the pack lists is a file of geo/definitions, with the checksum it has there.
    listed = json.loads((rebuilt / "pe" / "pack.json").read_text())["sources"]
    assert listed and all(s["path"].startswith("geo/definitions/") for s in listed)
    for entry in listed:
        if "*" not in entry["path"]:
            path = sources.parent.parent / entry["path"]
            assert path.is_file(), entry["path"]
    assert all(p.is_relative_to(sources) for p in SourceSet(sources).inputs())


def test_second_build_is_byte_identical(sources: Path, rebuilt: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    shutil.copytree(rebuilt, out)
    build_pack(sources, out, outline=None, log=lambda _line: None)
    assert _snapshot(out) == _snapshot(rebuilt)


def test_build_checks_meet_the_acceptance_limits(rebuilt: Path) -> None:
    loaded = load_pack(rebuilt / "pe")
    report = json.loads((rebuilt / "pe" / "pack.json").read_text())["checks"]
    assert abs(report["colombia_border_vs_candidate"]["area_difference_pct"]) <= 5
    assert report["district_layer"]["max_error_m"] <= 50
    assert report["exceptions_inside_parent"]["us-amazon-river-exception"]["outside_parent_km2"] < 0.01
    assert {z["id"] for z in report["zones"]} == {z.id for z in loaded.zones}


@pytest.mark.skipif(
    not VRAEM_OUTLINE.is_file(),
    reason=f"PCM's VRAEM outline (no stated licence, not in the repository) is not at {VRAEM_OUTLINE}",
)
def test_legal_vraem_matches_pcm_outline_where_the_outline_is_present(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo.build.vraem import compare_outline

    zone = load_pack(PACKAGED).zone("us-vraem-2023")
    check = compare_outline(zone.geometry, VRAEM_OUTLINE)
    assert abs(check["area_difference_pct"]) <= 0.5
    # The build runs the same check and prints it, but writes nothing of it.
    shutil.copytree(PACKAGED, tmp_path / "pe")
    lines: list[str] = []
    build_pack(sources, tmp_path, outline=VRAEM_OUTLINE, log=lines.append)
    assert any("PCM GeoPerú outline" in line for line in lines)
    assert _snapshot(tmp_path / "pe") == _snapshot(PACKAGED)


def test_a_decree_is_a_change_to_the_definitions_only(
    sources: Path, rebuilt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DS 143-2025-PCM: without its row the definitions build the pack before it; with it, the
    shipped one. The diff and the data changelog name it, and the places it changes."""
    without = _copy_sources(sources, tmp_path)
    chain = without / "decrees" / "pe-emg-vraem-drugs.csv"
    chain.write_text(
        "".join(
            line
            for line in chain.read_text(encoding="utf-8").splitlines(keepends=True)
            if "DS 143-2025-PCM" not in line
        ),
        encoding="utf-8",
    )
    build_pack(without, tmp_path / "before", outline=None, log=lambda _line: None)
    assert main(["zones", "diff", str(tmp_path / "before" / "pe"), str(rebuilt / "pe"), "--json"]) == 1
    diff = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in diff["changed"]] == ["pe-emg-vraem-drugs"]
    periods = diff["changed"][0]["fields"]["periods"]
    assert ["2025-12-20", "2026-02-17", "DS 143-2025-PCM"] in periods["new"]
    assert ["2025-12-20", "2026-02-17", "DS 143-2025-PCM"] not in periods["old"]
    assert {"from": "2025-10-13", "until": "2026-02-17", "zones": ["pe-emg-vraem-drugs"]} in diff["days"]
    # Echarate is outside every government's VRAEM: the decree raises it for all four.
    echarate = next(p for p in diff["places"] if p["name"] == "Echarate")
    assert echarate["day"] == "2025-12-20"
    assert set(echarate["levels"]) == {"au", "ca", "uk", "us"}
    assert all(old < 3 and new == 3 for old, new in echarate["levels"].values())
    # The shipped pack's data changelog says so too.
    changelog = load_pack(PACKAGED).changelog
    assert any(
        ["2025-12-20", "2026-02-17", "DS 143-2025-PCM"] in c["fields"]["periods"]["new"]
        for entry in changelog
        for c in entry["changed"]
        if c["id"] == "pe-emg-vraem-drugs"
    )


def _copy_sources(sources: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "definitions"
    shutil.copytree(sources, copy)
    return copy


def _assert_fails_untouched(bad_sources: Path, tmp_path: Path, *fragments: str) -> str:
    out = tmp_path / "out"
    shutil.copytree(PACKAGED, out / "pe")
    before = _snapshot(out)
    with pytest.raises(SourceError) as caught:
        build_pack(bad_sources, out, outline=None, log=lambda _line: None)
    message = str(caught.value)
    assert "Fix:" in message
    for fragment in fragments:
        assert fragment in message, message
    assert _snapshot(out) == before
    return message


def _replace_in_line(path: Path, starts: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the first line starting with ``starts``; its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(k for k, line in enumerate(lines) if line.startswith(starts))
    assert old in lines[number]
    lines[number] = lines[number].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


def test_missing_column_names_file_and_fix(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "advisories" / "us.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("geometry_rule", "rule", 1))
    _assert_fails_untouched(bad, tmp_path, "us.csv", "line 1", "geometry_rule")


def test_unknown_ubigeo_names_file_row_and_fix(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "zones" / "low_presence_districts.csv"
    line = _replace_in_line(csv, "MIN-PATAZ,130802", ",130802,", ",139999,")
    _assert_fails_untouched(bad, tmp_path, "low_presence_districts.csv", f"line {line}", "139999")


def test_unknown_ubigeo_in_a_decree_names_its_chain_file(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "decrees" / "pe-emg-vraem-drugs.csv"
    line = _replace_in_line(csv, "DS 143-2025-PCM", "080917 ", "089999 ")
    _assert_fails_untouched(bad, tmp_path, "pe-emg-vraem-drugs.csv", f"line {line}", "089999")


def test_a_date_that_is_not_a_date(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "decrees" / "pe-emg-vraem-drugs.csv"
    line = _replace_in_line(csv, "DS 143-2025-PCM", ",2025-12-20,", ",2025-12-32,")
    _assert_fails_untouched(bad, tmp_path, "pe-emg-vraem-drugs.csv", f"line {line}", "2025-12-32", "YYYY-MM")
    bad = _copy_sources(sources, tmp_path / "2")
    csv = bad / "advisories" / "uk.csv"
    line = _replace_in_line(
        csv, "2026-06-22,2025-03-20,", "2026-06-22,2025-03-20,", "2026-06-22,20 March 2025,"
    )
    _assert_fails_untouched(bad, tmp_path / "2", "uk.csv", f"line {line}", "'20 March 2025' is not a date")


def test_overlapping_versions_name_both_lines_and_the_fix(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "advisories" / "us.csv"
    # The 2023 text said to last until 2025-06-01, after the 2025 text came into force.
    line = _replace_in_line(
        csv, "2023-11-15,2023-11-15,2025-05-16,us-country", ",2025-05-16,", ",2025-06-01,"
    )
    message = _assert_fails_untouched(
        bad, tmp_path, "us.csv", "overlap", "set superseded_on of text 2023-11-15"
    )
    assert f"(line {line})" in message


def test_an_exception_outside_its_parent(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "advisories" / "uk.csv"
    # The tri-border box moved to the Pacific coast: nothing of it is inside the border band.
    _replace_in_line(
        csv,
        "2026-06-22,2025-03-20,,uk-tri-border-exception",
        "box:-70.55,-4.60,-69.90,-3.60",
        "box:-81,-6,-80,-5",
    )
    _assert_fails_untouched(
        bad, tmp_path, "uk.csv", "uk-tri-border-exception", "inside its parent uk-colombia-border"
    )


def test_a_missing_source(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "decrees" / "pe-emg-vraem-drugs.csv"
    url = "https://www.exitosanoticias.pe/actualidad/gobierno-establece-estado-emergencia-60-dias-calendario-distritos-ayacucho-cusco-junin-n165062"
    line = _replace_in_line(csv, "DS 143-2025-PCM", url, "")
    _assert_fails_untouched(
        bad, tmp_path, "pe-emg-vraem-drugs.csv", f"line {line}", "source_urls", "fill it in"
    )


def test_a_verification_of_a_text_that_does_not_exist(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    csv = bad / "advisories" / "verified.csv"
    line = _replace_in_line(csv, "us,2025-05-16,", "us,2025-05-16,", "us,2025-05-17,")
    _assert_fails_untouched(bad, tmp_path, "verified.csv", f"line {line}", "no text 2025-05-17")


def test_a_chain_file_with_no_chain(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    shutil.copy(bad / "decrees" / "pe-emg-ambo.csv", bad / "decrees" / "pe-emg-huanuco.csv")
    _assert_fails_untouched(bad, tmp_path, "pe-emg-huanuco.csv", "not a known decree chain", "CHAINS")


def test_invalid_geometry_names_file_feature_and_fix(sources: Path, tmp_path: Path) -> None:
    bad = _copy_sources(sources, tmp_path)
    gpkg = bad / "boundaries" / "mapsPERU" / "districts.gpkg"
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


def test_the_base_layer_is_built_from_the_definitions(pack: ZonePack) -> None:
    features = json.loads(pack.read_file("basemap"))["features"]
    kinds = {f["properties"]["kind"] for f in features}
    assert kinds == {"country", "department", "river", "lake", "town"}
    departments = {f["properties"]["name"] for f in features if f["properties"]["kind"] == "department"}
    assert departments == {d.department for d in pack.districts}
    countries = {f["properties"]["iso_n3"] for f in features if f["properties"]["kind"] == "country"}
    assert countries == {"068", "076", "152", "170", "218"}  # the neighbours; Peru is the outline
    # Lake Titicaca lies across the Peru-Bolivia border: in both the coverage and Bolivia.
    lakes = {
        f["properties"]["name"]: shape(f["geometry"]) for f in features if f["properties"]["kind"] == "lake"
    }
    bolivia = next(shape(f["geometry"]) for f in features if f["properties"].get("iso_n3") == "068")
    titicaca = lakes["Lago Titicaca"]
    assert titicaca.intersects(pack.coverage) and titicaca.intersects(bolivia)
    assert titicaca.area > 0.5  # square degrees: the whole lake, not a fragment
