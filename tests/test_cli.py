"""The riskzones command line: check and batch, output, exit codes and errors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from service.cli import main

TINY = str(Path(__file__).parent / "data" / "tiny")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_prints_a_readable_answer_and_exit_3_at_level_4(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "check", "-12.5", "-73.8", "--date", "2026-11-27")
    assert code == 3
    assert "Level 4: Do not travel" in out
    assert "[us-vraem]" in out and "Pichari, La Convención, Cusco (ubigeo 080910)" in out
    assert "Emergency numbers:" in out and "105" in out


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "check", "-12.04318", "-77.02824", "--json", "--date", "2026-11-27")
    body = json.loads(out)
    assert code == 0
    assert (body["level"], body["covered"]) == (2, True)
    # Lima's state of emergency is shown with its status; lapsed or unconfirmed, it does not raise.
    assert all(not z["raises_level"] and z["status"] != "in_force" for z in body["zones"])
    assert body["admin"]["department"] == "Lima"


def test_check_swapped_point_hints(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "check", "-73.8", "-12.5")
    assert code == 0
    assert "NOT COVERED" in out and "did you swap lat and lon?" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["check", "95", "-73.8"], "lat must be between -90 and 90, got 95"),
        (["check", "abc", "-73.8"], "lat 'abc' is not a number"),
        (["check", "-12.5", "-73.8", "--date", "tomorrow"], "YYYY-MM-DD"),
        (["check", "-12.5", "-73.8", "--radius-km", "-3"], "radius_km"),
        (["check", "-12.5", "-73.8", "--pack", "/nonexistent"], "pack.json"),
    ],
)
def test_check_bad_input_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert fragment in err and "Traceback" not in err
    assert out == ""


@pytest.fixture
def points(tmp_path: Path) -> Path:
    path = tmp_path / "points.csv"
    path.write_text(
        "name,latitude,longitude\n"
        "square,-13.5,-73.8\n"
        "river,-13.5,-73.5\n"
        "plain,-12.5,-74.5\n"
        "outside,-12.0,-76.0\n"
    )
    return path


def test_batch_csv_with_custom_columns(
    capsys: pytest.CaptureFixture[str], points: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    code, stdout, _ = _run(
        capsys,
        "batch",
        str(points),
        str(out),
        "--lat-col",
        "latitude",
        "--lon-col",
        "longitude",
        "--pack",
        TINY,
        "--date",
        "2026-01-01",
        "--district",
    )
    assert code == 3
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["name"].tolist() == ["square", "river", "plain", "outside"]
    assert table["level"].tolist() == ["4", "2", "2", ""]
    assert table["zones"].tolist() == ["t-square", "t-square;t-river", "", ""]
    assert table["ubigeo"].tolist() == ["010101", "010101", "010101", ""]
    assert "4 of 4 rows checked" in stdout and "not covered by the pack: 1" in stdout


def test_batch_missing_column_names_the_columns_and_flag(
    capsys: pytest.CaptureFixture[str], points: Path, tmp_path: Path
) -> None:
    code, _, err = _run(capsys, "batch", str(points), str(tmp_path / "o.csv"), "--pack", TINY)
    assert code == 2
    assert "no column 'lon'" in err and "name,latitude,longitude" in err.replace(", ", ",")
    assert "--lon-col" in err
    assert not (tmp_path / "o.csv").exists()


def test_batch_bad_rows_stop_the_run_with_line_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("lat,lon\n-13.5,-73.8\nnorth,-73.8\n-13.5,\n-95,-73.8\n")
    out = tmp_path / "out.csv"
    code, _, err = _run(capsys, "batch", str(source), str(out), "--pack", TINY)
    assert code == 2
    assert "3 rows have no valid coordinates" in err
    assert "line 3 (lon='-73.8', lat='north')" in err and "line 4" in err and "line 5" in err
    assert "--skip-invalid" in err
    assert not out.exists() and list(tmp_path.glob(".out*")) == []


def test_batch_skip_invalid_reports_what_it_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("lat,lon\n-12.5,-74.5\nnorth,-73.8\n")
    out = tmp_path / "out.csv"
    code, stdout, _ = _run(capsys, "batch", str(source), str(out), "--pack", TINY, "--skip-invalid")
    assert code == 0
    assert "1 of 2 rows checked" in stdout and "skipped 1 invalid rows: line 3" in stdout
    assert len(pd.read_csv(out)) == 1


@pytest.mark.parametrize("suffix", [".geojson", ".parquet"])
def test_batch_geo_formats_round_trip(
    capsys: pytest.CaptureFixture[str], points: Path, tmp_path: Path, suffix: str
) -> None:
    first = tmp_path / f"first{suffix}"
    _run(
        capsys,
        "batch",
        str(points),
        str(first),
        "--lat-col",
        "latitude",
        "--lon-col",
        "longitude",
        "--pack",
        TINY,
        "--date",
        "2026-01-01",
    )
    table = gpd.read_file(first) if suffix == ".geojson" else gpd.read_parquet(first)
    assert table["level"].tolist()[:3] == [4, 2, 2]
    assert table.geometry.x.tolist()[0] == -73.8
    # Geometry-only input: the points come from the geometry column.
    second = tmp_path / "second.csv"
    table[["name", "geometry"]].to_parquet(tmp_path / "geom.parquet")
    code, _, _ = _run(
        capsys,
        "batch",
        str(tmp_path / "geom.parquet"),
        str(second),
        "--pack",
        TINY,
        "--date",
        "2026-01-01",
    )
    assert code == 3
    assert pd.read_csv(second)["zones"].fillna("").tolist() == [
        "t-square",
        "t-square;t-river",
        "",
        "",
    ]


def test_batch_flags_swapped_columns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "swapped.csv"
    source.write_text("lat,lon\n-73.8,-12.5\n-74.2,-11.0\n")
    code, stdout, _ = _run(capsys, "batch", str(source), str(tmp_path / "o.csv"), "--pack", TINY)
    assert code == 0
    assert "2 uncovered rows would be covered with lat and lon swapped" in stdout


def test_batch_unknown_format(capsys: pytest.CaptureFixture[str], points: Path, tmp_path: Path) -> None:
    code, _, err = _run(capsys, "batch", str(points), str(tmp_path / "out.xlsx"), "--pack", TINY)
    assert code == 2 and "unknown format '.xlsx'" in err


ROUTES = Path(__file__).parent / "data" / "routes"


def test_route_command_prints_crossings_and_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "route", str(ROUTES / "ayacucho-pichari.gpx"), "--date", "2026-11-27")
    assert code == 3
    assert "Verdict: DO NOT TRAVEL" in out and "[us-vraem]" in out and "enters at km" in out


def test_route_command_json_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "route", str(ROUTES / "cusco-puno.gpx"), "--json", "--date", "2026-11-27")
    assert code == 0 and json.loads(out)["verdict"] == "caution"


def test_route_command_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.gpx"
    bad.write_text("<gpx><trk>")
    code, _, err = _run(capsys, "route", str(bad))
    assert code == 2 and "GPX line 1" in err
    code, _, err = _run(capsys, "route", str(tmp_path / "missing.gpx"))
    assert code == 2 and "cannot read" in err


def test_itinerary_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    trip = tmp_path / "trip.yaml"
    trip.write_text("stops:\n  - place: Lima\n    date: 2026-12-01\n  - place: Cusco\n    date: 2026-12-02\n")
    code, out, _ = _run(capsys, "itinerary", str(trip))
    assert code == 0 and "Verdict: CAUTION (needs review)" in out and "check the actual route" in out
    ambiguous = tmp_path / "santa.json"
    ambiguous.write_text('{"stops": [{"place": "Santa Rosa"}]}')
    code, _, err = _run(capsys, "itinerary", str(ambiguous))
    assert code == 2 and "Santa Rosa, Santa Rosa, La Mar, Ayacucho" in err


@pytest.mark.parametrize("argv", [["check", "-12.5", "-73.8"], ["route", "ROUTE"]])
def test_commands_import_only_what_they_use(argv: list[str]) -> None:
    # A cold `riskzones check` or `route` loads neither the web framework, the map nor pandas;
    # neither reads YAML or an encoded polyline here, so neither loads their libraries.
    import subprocess
    import sys
    from pathlib import Path

    route = str(Path(__file__).parent / "data" / "routes" / "cusco-puno.gpx")
    code = (
        "import sys; from service.cli import main; "
        f"main({[route if a == 'ROUTE' else a for a in argv]!r}); "
        "print(sorted(m for m in ('flask', 'folium', 'pandas', 'maps', 'yaml', 'polyline') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
