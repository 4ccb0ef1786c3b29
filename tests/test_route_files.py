"""Route files written by other software (tests/data/corpus: GPS apps' and libraries' public
test files, GDAL's, togeojson's and ogr2ogr's output), read the same way everywhere.

Each file's expected outcome is in tests/data/corpus/SOURCES.csv, with its source and licence.
Every accepted file is compared with GDAL (tests/gdal_routes.py): the same vertices, the same
length within 0.1 %. The command line and the API then give every file the same answer, or
the same refusal; tests/test_browser.py gives the map's device mode the same files.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient

from geo.errors import InputFormatError, UnsupportedFormatError
from geo.io.formats import format_hint, read_route
from geo.io.kmz import MAX_RATIO
from service.cli import main
from tests.gdal_routes import gdal_reading, geodesic_km

CORPUS = Path(__file__).parent / "data" / "corpus"
TABLE = list(csv.DictReader(io.StringIO((CORPUS / "SOURCES.csv").read_text(encoding="utf-8"))))
ROWS = {row["file"]: row for row in TABLE}
DAY = "2026-11-27"
MEDIA = {
    "gpx": "application/gpx+xml",
    "kml": "application/vnd.google-earth.kml+xml",
    "kmz": "application/vnd.google-earth.kmz",
    "csv": "text/csv",
}

AVEIRO = [
    (40.641, -8.654), (40.641, -8.654), (40.641, -8.656), (40.642, -8.656),
    (40.642, -8.655), (40.642, -8.655), (40.642, -8.655), (40.642, -8.653),
    (40.642, -8.653), (40.642, -8.653), (40.641, -8.653), (40.641, -8.654),
]  # fmt: skip
#: The polyline library's own expectations (frederickjansen/polyline, tests/test_polyline.py,
#: MIT): the (lat, lon) pairs its decoder must give for the encoded texts of made/polyline-*.
POLYLINE_EXPECTED = {
    "made/polyline-official-5.json": [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)],
    "made/polyline-official-6.json": [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)],
    "made/polyline-single-5.json": [(40.641, -8.653)],
    "made/polyline-aveiro-5.json": AVEIRO,
    # Precision 6 keeps the first point's fifth and sixth decimals.
    "made/polyline-aveiro-6.json": [(40.64112, -8.654), *AVEIRO[1:]],
}


def _read(name: str) -> Any:
    path = CORPUS / name
    return read_route(path.read_bytes(), format_hint(filename=path.name))


def test_the_corpus_is_the_files_its_table_lists() -> None:
    on_disk = {
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name not in ("SOURCES.csv", "README.md") and p.suffix != ".py"
    }
    assert on_disk == set(ROWS)
    others = [row for row in TABLE if row["project"] != "riskzones"]
    assert len(others) >= 60
    assert len({row["project"] for row in others}) >= 5
    for row in TABLE:
        assert row["source"] and row["licence"], row["file"]
        assert row["expect"] in ("route", "refused"), row["file"]
        assert bool(row["code"]) == (row["expect"] == "refused"), row["file"]
        assert bool(row["oracle"]) == (row["expect"] == "route"), row["file"]


@pytest.mark.parametrize("row", TABLE, ids=[row["file"] for row in TABLE])
def test_every_file_reads_as_its_table_says(row: dict[str, str]) -> None:
    if row["expect"] == "route":
        assert _read(row["file"]).vertices > 0
    else:
        with pytest.raises(InputFormatError) as refused:
            _read(row["file"])
        assert refused.value.code == row["code"]


_BY_GDAL = [row for row in TABLE if row["oracle"] == "gdal"]


@pytest.mark.parametrize("row", _BY_GDAL, ids=[row["file"] for row in _BY_GDAL])
def test_an_accepted_file_has_the_vertices_and_length_gdal_reads(row: dict[str, str]) -> None:
    route = _read(row["file"])
    gdal = gdal_reading(CORPUS / row["file"])
    lines = [line for line in gdal.lines if len(line)]
    if route.from_waypoints:  # no lines: the route is the waypoints in order
        assert not lines
        np.testing.assert_allclose(route.parts[0], np.array(gdal.points).reshape(-1, 2), atol=1e-9)
        return
    assert route.vertices == sum(len(line) for line in lines)
    assert len(route.parts) == len(lines)
    ours, theirs = geodesic_km(list(route.parts)), geodesic_km(lines)
    assert abs(ours - theirs) <= 0.001 * theirs + 1e-9
    assert route.empty_parts == len(gdal.lines) - len(lines)
    assert route.waypoints_ignored == len(gdal.points)


def test_a_utf16_file_reads_as_its_utf8_twin() -> None:
    # GDAL's GPX driver does not read UTF-16, so the twin stands in for it.
    assert ROWS["made/expertgps-overlay-utf16.gpx"]["oracle"] == "same-as:made/expertgps-overlay.gpx"
    wide, narrow = _read("made/expertgps-overlay-utf16.gpx"), _read("made/expertgps-overlay.gpx")
    np.testing.assert_array_equal(wide.parts[0], narrow.parts[0])
    assert wide.name == narrow.name == "Ayacucho - Pichari"


@pytest.mark.parametrize("name", sorted(POLYLINE_EXPECTED))
def test_a_polyline_decodes_as_the_polyline_librarys_tests_say(name: str) -> None:
    assert ROWS[name]["oracle"] == "polyline-tests"
    expected = [(lon, lat) for lat, lon in POLYLINE_EXPECTED[name]]
    np.testing.assert_allclose(_read(name).parts[0], expected, atol=1e-9)


# The command line and the API ---------------------------------------------------------------


def _api(client: FlaskClient, name: str) -> tuple[int, dict[str, Any]]:
    path = CORPUS / name
    media = MEDIA.get(path.suffix.lstrip("."), "application/json")
    response = client.post(f"/v1/route?date={DAY}", data=path.read_bytes(), content_type=media)
    return response.status_code, response.get_json()


def _cli(capsys: pytest.CaptureFixture[str], name: str, *more: str) -> tuple[int, str, str]:
    code = main(["route", str(CORPUS / name), "--date", DAY, *more])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("row", TABLE, ids=[row["file"] for row in TABLE])
def test_the_command_line_and_the_api_give_every_file_the_same_answer(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], row: dict[str, str]
) -> None:
    status, api = _api(client, row["file"])
    code, out, err = _cli(capsys, row["file"], "--json")
    if row["expect"] == "refused":
        assert status == (415 if row["code"] == "unsupported_format" else 400)
        assert api["code"] == row["code"]
        assert code == 2 and not out
        assert err.strip() == f"riskzones: error: {CORPUS / row['file']}: {api['detail']}"
        return
    assert status == 200, api
    mine = json.loads(out)
    for key in ("verdict", "max_level", "vertices", "input", "name", "zones", "near"):
        assert mine[key] == api[key], key
    assert mine["length_km"] == pytest.approx(api["length_km"], rel=1e-9)
    assert code == (3 if api["max_level"] == 4 else 0)
    read = _read(row["file"])
    assert (api["input"]["parts"], api["input"]["vertices"]) == (len(read.parts), read.vertices)


_ACCEPTED = [row for row in TABLE if row["expect"] == "route"]


@pytest.mark.parametrize("row", _ACCEPTED, ids=[row["file"] for row in _ACCEPTED])
def test_no_text_report_prints_none(capsys: pytest.CaptureFixture[str], row: dict[str, str]) -> None:
    code, out, _err = _cli(capsys, row["file"])
    assert code in (0, 3)
    assert "None" not in out


# The defects each of these files showed -----------------------------------------------------


def test_gpx_extension_points_are_not_vertices() -> None:
    # ExpertGPS's gpx_overlay labels hold <point lat lon>, one without attributes: none is a
    # vertex, and none refuses the file.
    route = _read("made/expertgps-overlay.gpx")
    assert route.vertices == 41 and len(route.parts) == 1
    assert route.parts[0][:, 1].min() >= -13.17 and route.parts[0][:, 1].max() <= -12.51


def test_the_vraem_track_is_measured_on_its_own_vertices(client: FlaskClient) -> None:
    status, api = _api(client, "made/expertgps-overlay.gpx")
    gdal = gdal_reading(CORPUS / "made/expertgps-overlay.gpx")
    assert status == 200
    assert api["length_km"] == pytest.approx(geodesic_km(gdal.lines), rel=0.001)
    assert api["max_level"] == 4  # it ends in the VRAEM


@pytest.mark.parametrize(
    ("name", "parts"),
    [("togeojson/gxtrack.kml", 1), ("togeojson/gxmultitrack.kml", 2), ("gdal/gx_track_without_when.kml", 1)],
)
def test_kml_tracks_are_read(name: str, parts: int) -> None:
    assert len(_read(name).parts) == parts


def test_a_collection_of_lines_and_waypoints_reads_the_lines(client: FlaskClient) -> None:
    status, api = _api(client, "togeojson-output/gdal-gpx.geojson")
    assert status == 200
    assert api["input"]["waypoints_ignored"] == 2 and not api["input"]["from_waypoints"]


def test_a_geometry_collection_of_lines_is_read() -> None:
    assert len(_read("togeojson-output/multigeometry-kml.geojson").parts) == 2


def test_empty_parts_are_skipped_and_counted(client: FlaskClient) -> None:
    status, api = _api(client, "ogr2ogr-output/test-gpx-tracks.geojson")
    assert status == 200
    assert api["input"]["empty_parts_skipped"] == 1  # [[]]: one empty line; [] holds none
    assert any("empty line(s)" in note for note in api["input"]["notes"])


def test_a_polyline_in_a_json_file_works_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _cli(capsys, "made/polyline-official-5.json", "--json")
    assert code == 0 and json.loads(out)["input"]["format"] == "polyline"


def test_a_bare_polyline_is_told_how_to_send_it(client: FlaskClient) -> None:
    status, api = _api(client, "made/polyline-bare.txt")
    assert status == 400 and api["code"] == "polyline_text"
    assert '{"polyline": "<the text>", "precision": 5}' in api["detail"]


@pytest.mark.parametrize(
    ("name", "fault"),
    [
        (
            "geojsonhint/stringcoord.geojson",
            "$.features[0].geometry.coordinates[0][1]: '39.36827914916011' is text; a coordinate is a number",
        ),
        (
            "geojsonhint/nofeaturetype.geojson",
            "$.features[0].type: \"type\" is 'Featre', which is not a GeoJSON type",
        ),
    ],
)
def test_strict_types_name_the_real_fault_everywhere(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], name: str, fault: str
) -> None:
    status, api = _api(client, name)
    code, _out, err = _cli(capsys, name)
    assert status == 400 and fault in api["detail"]
    assert code == 2 and fault in err


def test_a_bad_gpx_coordinate_names_its_line() -> None:
    with pytest.raises(InputFormatError, match=r"GPX line 5: lat or lon 'undefined' is not a number"):
        _read("togeojson/bad.gpx")


def test_csv_headers_are_quoted_as_written() -> None:
    with pytest.raises(InputFormatError, match=r"found 'Name', 'Lat'"):
        read_route("Name,Lat\nLima,-12\n", "csv")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"\x0e\x10\x98\x00\x00\x00\x00\x00.FIT....", "a FIT activity file"),
        (b"<?xml version='1.0'?><TrainingCenterDatabase/>", "a TCX file"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "root <svg>"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"just some words\n", "text starting 'just some words'"),
    ],
)
def test_an_unsupported_file_is_named_and_answered_415(client: FlaskClient, data: bytes, said: str) -> None:
    with pytest.raises(UnsupportedFormatError, match=said):
        read_route(data)
    response = client.post("/v1/route", data=data, content_type="application/octet-stream")
    assert response.status_code == 415 and said in response.get_json()["detail"]


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return packed.getvalue()


KML_LINE = (
    b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString><coordinates>'
    b"-74.2,-13.2 -73.8,-12.5</coordinates></LineString></Placemark></kml>"
)


def test_a_kmz_is_its_doc_kml_not_csv(client: FlaskClient) -> None:
    response = client.post(
        "/v1/route", data=_zip({"doc.kml": KML_LINE}), content_type="application/octet-stream"
    )
    assert response.status_code == 200 and response.get_json()["input"]["format"] == "kmz"
    empty = client.post("/v1/route", data=_zip({"readme.txt": b"x"}), content_type="text/csv")
    assert empty.status_code == 415 and "no .kml document" in empty.get_json()["detail"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    # 60 MB of one byte packs to about 60 KB: beyond any KML's ratio, refused by the header.
    bomb = _zip({"doc.kml": b"<kml>" + b" " * 60_000_000 + b"</kml>"})
    assert len(bomb) < 100_000
    with pytest.raises(InputFormatError, match=f"at most {MAX_RATIO} times") as refused:
        read_route(bomb)
    assert refused.value.code == "archive_limit"


def test_a_zip_whose_header_lies_is_refused() -> None:
    # The headers say 100 bytes; the stream holds 50 MB: no more than the header's size is
    # unpacked, and the entry's checksum then refuses it.
    honest = _zip({"doc.kml": b"<kml>" + b"0" * 50_000_000 + b"</kml>"})
    entry = zipfile.ZipFile(io.BytesIO(honest)).infolist()[0]
    lying = bytearray(honest)
    directory = honest.rindex(b"PK\x01\x02")
    lying[directory + 24 : directory + 28] = (100).to_bytes(4, "little")  # uncompressed size
    local = honest.index(b"PK\x03\x04")
    lying[local + 22 : local + 26] = (100).to_bytes(4, "little")
    assert entry.file_size > 100
    with pytest.raises(InputFormatError, match="cannot be unpacked"):
        read_route(bytes(lying))


def test_a_kmz_with_too_many_entries_is_refused() -> None:
    many = _zip({f"images/{i}.png": b"" for i in range(1_001)} | {"doc.kml": KML_LINE}, zipfile.ZIP_STORED)
    with pytest.raises(InputFormatError, match="entries; at most 1,000"):
        read_route(many)


def test_a_kmz_reads_the_documents_it_links_inside_the_archive_and_never_fetches() -> None:
    linked = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        b"<NetworkLink><Link><href>layers/a.kml</href></Link></NetworkLink>"
        b"<NetworkLink><Link><href>http://127.0.0.1:9/evil.kml</href></Link></NetworkLink>"
        b"<NetworkLink><Link><href>../../etc/passwd.kml</href></Link></NetworkLink>"
        b"</Document></kml>"
    )
    route = read_route(_zip({"doc.kml": linked, "layers/a.kml": KML_LINE}))
    assert route.vertices == 2 and route.format == "kmz"
