"""The trip report: a five-stop itinerary across the VRAEM and the Colombian border, as PDF and
HTML, in English and Spanish, read back (pypdf) and looked at page by page (pdftoppm); every
text from the request is escaped and the PDF renderer fetches nothing."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader

from geo.i18n import speaking
from geo.pack import load_default_pack
from maps.colours import LEVEL_COLOURS
from service.cli import main
from service.report import REPORT_POLICY, pdf_from_html
from tests.clock import Clock
from tests.conftest import assert_problem

NOW = dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC)
HOSTILE = 'Caballococha <img src="http://127.0.0.1:{port}/leak"> <b>bold</b> & <script>x()</script>'


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    Clock(monkeypatch, NOW)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that records every request: the renderer must send none."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], asked
    server.shutdown()
    server.server_close()


def trip(port: int = 9) -> dict[str, Any]:
    """Lima, Ayacucho, Pichari (VRAEM), Iquitos, Caballococha (the Colombian border area)."""
    return {
        "stops": [
            {"place": "Lima", "date": "2027-01-10"},
            {"airport": "AYP", "date": "2027-01-11"},
            {"place": "Pichari, Cusco", "date": "2027-01-13"},
            {"airport": "IQT", "date": "2027-01-16"},
            {"place": "Caballococha", "date": "2027-01-18", "name": HOSTILE.format(port=port)},
        ],
        "legs": [
            {"mode": "flight"},
            {"mode": "road", "depart": "18:00", "arrive": "23:30"},
            {"mode": "flight"},
            {"mode": "river"},
        ],
    }


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pdf_report_carries_every_item(client: FlaskClient, lang: str, listener: Any) -> None:
    port, asked = listener
    answer = client.post("/v1/itinerary", json=trip(port)).get_json()
    response = client.post(
        "/v1/itinerary",
        json=trip(port),
        headers={"Accept": "application/pdf", "Accept-Language": lang},
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = _text(response.data)
    pack = load_default_pack()
    words = {
        "en": [
            "Trip report",
            "Overall verdict",
            "DO NOT TRAVEL",
            "Stops and legs",
            "Emergency numbers",
            "Sources",
            "About this report",
            "Checked on 2026-12-20 10:00",
            "does not say that a place is safe",
        ],
        "es": [
            "Informe del viaje",
            "Veredicto general",
            "NO VIAJAR",
            "Paradas y tramos",
            "Números de emergencia",
            "Fuentes",
            "Sobre este informe",
            "Comprobado el 2026-12-20 10:00",
            "no dice que un lugar sea seguro",
        ],
    }[lang]
    for word in words:
        assert word in text, word
    assert answer["verdict"] == "do_not_travel"
    assert f"{pack.version}" in text  # the data version
    for stop in answer["stops"][:4]:
        assert stop["date"] in text
    assert "Pichari" in text and "Caballococha" in text
    # Each government's level: the codes, and the names under the table.
    with speaking(lang):
        names = [government.name for government in pack.governments.values()]
    for name in names:
        assert name.split(" (")[0] in text
    for contact in pack.baseline.texts[lang].contacts:
        assert contact["number"] in text
    # Sources with their dates and how current they are.
    assert "travel.state.gov" in text
    # The hostile stop name is text, and nothing was fetched.
    assert "<img src=" in text and "<script>" in text
    assert asked == []


def _pages(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    assert shutil.which("pdftoppm"), "pdftoppm (Debian's poppler-utils) is needed: .ci/run installs it"
    (tmp_path / "trip.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(tmp_path / "trip.pdf"), str(tmp_path / "page")], check=True
    )
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def _has(image: Image.Image, colour: str) -> bool:
    wanted = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image, dtype=int).reshape(-1, 3)
    return bool((np.abs(pixels - wanted).max(axis=1) <= 3).any())


def test_the_pdf_pages_look_like_a_report(client: FlaskClient, tmp_path: Path) -> None:
    pdf = client.post("/v1/itinerary?format=pdf", json=trip()).data
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 2
    first = pages[0]
    width, height = first.size
    assert height > width  # A4 portrait
    # The headline chip and the map draw the level-4 red; the level-2 orange is drawn for Lima.
    assert _has(first, LEVEL_COLOURS[4]) and _has(first, LEVEL_COLOURS[2])
    # Every page has something on it (not blank white).
    for page in pages:
        extrema = page.convert("L").getextrema()
        assert extrema[0] < 128, "a blank page"


def test_the_html_report_escapes_every_text_and_fetches_nothing(client: FlaskClient) -> None:
    response = client.post("/v1/itinerary", json=trip(8123), headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == REPORT_POLICY
    assert "script-src" not in REPORT_POLICY and "default-src 'none'" in REPORT_POLICY
    html = response.get_data(as_text=True)
    assert "<img" not in html and "<script" not in html and "<b>bold" not in html
    assert "&lt;img src=&#34;http://127.0.0.1:8123/leak&#34;&gt;" in html
    assert "<svg" in html and 'src="http' not in html and "<title>Caballococha &lt;img" in html


def test_the_renderer_fetches_nothing_even_from_raw_markup(listener: Any) -> None:
    port, asked = listener
    html = (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
        f'<link rel="stylesheet" href="file:///etc/passwd"></head><body><p>hello</p>'
        f'<img src="http://127.0.0.1:{port}/img.png"><img src="file:///etc/hostname">'
        f'<object data="http://127.0.0.1:{port}/obj"></object></body></html>'
    )
    pdf = pdf_from_html(html)
    assert asked == []
    assert "hello" in _text(pdf) and "root:" not in _text(pdf)


def test_the_answer_format_is_negotiated(client: FlaskClient) -> None:
    assert client.post("/v1/itinerary", json=trip()).mimetype == "application/json"
    wildcard = client.post("/v1/itinerary", json=trip(), headers={"Accept": "*/*"})
    assert wildcard.mimetype == "application/json"
    assert client.post("/v1/itinerary?format=html", json=trip()).mimetype == "text/html"
    assert_problem(client.post("/v1/itinerary?format=docx", json=trip()), 400, "format", "json, html or pdf")


def test_the_command_line_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    source = tmp_path / "trip.json"
    source.write_text(json.dumps(trip()))
    out = tmp_path / "trip.html"
    assert main(["itinerary", str(source), "--report", str(out)]) == 3
    html = out.read_text()
    assert "Caballococha &lt;img" in html and "<img" not in html
    wrong = tmp_path / "trip.docx"
    assert main(["itinerary", str(source), "--report", str(wrong)]) == 2
    assert "name the file .pdf or .html" in capsys.readouterr().err
    assert not wrong.exists()
