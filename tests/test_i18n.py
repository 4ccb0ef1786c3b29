"""Answers in Spanish and English (geo.i18n, service.http.language): the catalog covers every
marked text, placeholders and all; the API and the command line answer in the language
asked; machine-readable values stay the same in both."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from geo.build.texts import GLOSSARY, localized, source_text
from geo.i18n import DEFAULT, LANGUAGES, LOCALE, best_language, read_catalog, speaking
from geo.pack import load_default_pack
from service.app import create_app
from tests.conftest import assert_problem

ROOT = Path(__file__).resolve().parents[1]
ROUTE = ROOT / "tests" / "data" / "routes" / "ayacucho-pichari.gpx"
TRIP = {"stops": [{"place": "Lima", "date": "2026-12-01"}, {"place": "Pichari", "date": "2026-12-03"}]}


def _marked() -> set[str]:
    """Every text the code marks for translation, where babel.cfg says to look (``_`` and
    ``N_`` in Python, ``t`` in the map's scripts), as ``pybabel extract`` finds them."""
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords={"_": None, "N_": None, "t": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_marked_text_has_a_translation(code: str) -> None:
    with (LOCALE / code / "LC_MESSAGES" / "riskzones.po").open("rb") as source:
        catalog = read_po(source)
    translated = {m.id: m for m in catalog if m.id}
    marked = _marked()
    assert marked, "no marked text found: the extraction is broken"
    assert sorted(marked - set(translated)) == []  # marked in the code, missing in the catalog
    assert sorted(set(translated) - marked) == []  # in the catalog, no longer in the code
    for message in translated.values():
        assert message.string and not message.fuzzy, message.id
        # A translation may leave a placeholder out (pydantic's English "List"), never invent one.
        assert _fields(message.string) <= _fields(message.id), message.id


OTHERS = [c for c in LANGUAGES if c != DEFAULT]


@pytest.mark.parametrize("code", OTHERS)
def test_every_pack_text_has_a_translation(code: str) -> None:
    # What a person reads from the pack: each zone's name, summary and advice, the country-wide
    # summary, advice and emergency contacts, each government's name. A text the build could not
    # translate is left out of the pack's translations (and read in English): caught here.
    pack = load_default_pack()
    for zone in pack.zones:
        translated = zone.properties["translations"].get(code) or {}
        assert sorted(translated) == ["advice", "name", "summary"], zone.id
        assert all(isinstance(v, str) and v.strip() for v in translated.values()), zone.id
    document = json.loads((pack.path / "pack.json").read_text())
    base = document["baseline"]
    translated = base["translations"][code]
    assert translated["summary"].strip() and len(translated["advice"]) == len(base["advice"])
    assert all(text.strip() for text in translated["advice"])
    # Numbers are the same in every language; only the names are translated.
    assert [c["number"] for c in translated["contacts"]] == [c["number"] for c in base["contacts"]]
    for government in document["advisories"].values():
        assert government["translations"][code]["name"].strip()


@pytest.mark.parametrize("code", OTHERS)
def test_the_glossary_of_source_texts_is_all_used(code: str) -> None:
    # Every translation of a source text (zone names, decrees' places) reaches the pack; the
    # committed pack is what the build makes (tests/test_build.py), so none is stale.
    glossary = read_catalog(GLOSSARY / code / "LC_MESSAGES" / "sources.po")
    assert glossary
    with speaking(code):
        pack_texts = " ".join(f"{z.name} {z.summary}" for z in load_default_pack().zones)
    assert [text for text in glossary.values() if text not in pack_texts] == []


def test_a_source_text_without_translation_leaves_the_language_out() -> None:
    made = localized(lambda: {"name": source_text("A place no glossary has")})
    assert made == {"name": "A place no glossary has", "translations": {}}
    made = localized(lambda: {"name": source_text("The Amazon River")})
    assert made == {"name": "The Amazon River", "translations": {"es": {"name": "El río Amazonas"}}}


def test_the_packs_texts_in_spanish(client: FlaskClient) -> None:
    pack = load_default_pack()
    vraem = pack.zone("us-vraem")
    point = client.get("/v1/check?lat=-12.5&lon=-73.8&date=2026-11-27&lang=es").get_json()
    listed = {z["id"]: z for z in point["zones"]}
    assert listed["us-vraem"]["name"] == vraem.texts["es"].name != vraem.texts["en"].name
    assert listed["us-vraem"]["summary"] == vraem.texts["es"].summary
    assert all(n["name"] == pack.zone(n["id"]).texts["es"].name for n in point["nearby"])
    advice = point["advice"]
    assert advice["baseline"] == list(pack.baseline.texts["es"].advice)
    assert {a["id"]: a["advice"] for a in advice["zones"]}["us-vraem"] == vraem.texts["es"].advice
    assert advice["contacts"][0]["name"] == "Policía (Policía Nacional del Perú)"
    assert point["advisories"][0]["name"] == "Estados Unidos (Departamento de Estado)"

    route = client.post(
        "/v1/route?lang=es&date=2026-11-27", data=ROUTE.read_bytes(), content_type="application/gpx+xml"
    ).get_json()
    assert any(vraem.texts["es"].name in r for r in route["reasons"])

    spanish = client.get("/v1/zones?lang=es&level_min=4")
    english = client.get("/v1/zones?level_min=4")
    assert spanish.headers["ETag"] != english.headers["ETag"]  # two representations
    for es, en in zip(spanish.get_json()["features"], english.get_json()["features"], strict=True):
        zone = pack.zone(en["id"])
        assert (es["properties"]["name"], en["properties"]["name"]) == (
            zone.texts["es"].name,
            zone.texts["en"].name,
        )
        assert es["properties"]["advice"] == zone.texts["es"].advice
        assert "translations" not in es["properties"]
        # Machine-readable values are the same.
        assert {
            k: v for k, v in es["properties"].items() if k not in ("name", "summary", "advice", "status_text")
        } == {
            k: v for k, v in en["properties"].items() if k not in ("name", "summary", "advice", "status_text")
        }


def test_language_tags() -> None:
    assert [best_language(t) for t in ("es", "es-PE", "es_PE.UTF-8", "EN", "fr", "C.UTF-8", None)] == [
        "es",
        "es",
        "es",
        "en",
        "en",
        "en",
        "en",
    ]


def _english_words(texts: list[str]) -> list[str]:
    """Texts still carrying the engine's English phrasing (zone names come from the pack)."""
    words = re.compile(r"\b(level|the route|stop|leg|in force|crosses|outside)\b")
    return [t for t in texts if words.search(t)]


def test_a_point_a_route_and_an_itinerary_in_spanish(client: FlaskClient) -> None:
    point = client.get("/v1/check?lat=-12.5&lon=-73.8&date=2026-11-27&lang=es")
    assert point.headers["Content-Language"] == "es"
    body = point.get_json()
    assert body["label"] == "No viajar" and body["level"] == 4
    english = client.get("/v1/check?lat=-12.5&lon=-73.8&date=2026-11-27").get_json()
    assert english["label"] == "Do not travel"
    # Machine-readable values are the same in both languages.
    same = ("level", "covered", "date")
    assert {k: body[k] for k in same} == {k: english[k] for k in same}
    assert [(z["id"], z["status"]) for z in body["zones"]] == [
        (z["id"], z["status"]) for z in english["zones"]
    ]
    assert all(z["status_text"].startswith("vigente") for z in body["zones"] if z["status"] == "in_force")

    route = client.post(
        "/v1/route?lang=es&date=2026-11-27", data=ROUTE.read_bytes(), content_type="application/gpx+xml"
    )
    answer = route.get_json()
    assert route.headers["Content-Language"] == "es" and answer["verdict"] == "do_not_travel"
    assert answer["label"] == "No viajar" and "la ruta la cruza por" in answer["reasons"][0]
    assert _english_words(answer["reasons"]) == []

    trip = client.post("/v1/itinerary", json=TRIP, headers={"Accept-Language": "es-PE,es;q=0.9,en;q=0.5"})
    plan = trip.get_json()
    assert trip.headers["Content-Language"] == "es" and "Accept-Language" in trip.headers["Vary"]
    assert plan["label"] == "No viajar" and plan["verdict"] == "do_not_travel"
    assert any(r.startswith("parada 2 (Pichari, 2026-12-03): nivel 4") for r in plan["reasons"])
    assert any("tramo 1 (Lima a Pichari, carretera, 2026-12-01)" in r for r in plan["reasons"])


def test_english_is_the_default_and_other_languages_are_refused(client: FlaskClient) -> None:
    answer = client.get("/v1/check?lat=-12.5&lon=-73.8", headers={"Accept-Language": "fr, de;q=0.5"})
    assert answer.headers["Content-Language"] == "en" and answer.get_json()["label"] == "Do not travel"
    assert_problem(client.get("/v1/check?lat=-12.5&lon=-73.8&lang=fr"), 400, "lang must be one of en, es")
    assert client.get("/healthz").headers["Content-Language"] == "en"


def test_the_command_line_answers_in_the_language_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    from service.cli import main

    assert main(["--lang", "es", "check", "-12.5", "-73.8", "--date", "2026-11-27"]) == 3
    out = capsys.readouterr().out
    assert "Nivel 4: No viajar" in out and "Zonas aquí:" in out and "Números de emergencia:" in out
    assert "Valle de los ríos Apurímac, Ene y Mantaro (VRAEM), incluida Vilcabamba" in out  # the pack's
    assert "Policía (Policía Nacional del Perú) 105" in out
    monkeypatch.setenv("LC_ALL", "es_PE.UTF-8")
    assert main(["check", "-12.5", "-73.8", "--date", "2026-11-27", "--json"]) == 3
    assert '"label": "No viajar"' in capsys.readouterr().out
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert main(["check", "-12.5", "-73.8", "--date", "2026-11-27", "--json"]) == 3
    assert '"label": "Do not travel"' in capsys.readouterr().out


def test_the_commonest_refusals_are_in_spanish(client: FlaskClient) -> None:
    # The field named stays the same; the sentence is in the language asked.
    assert_problem(client.get("/v1/check?lat=sur&lon=-73.8&lang=es"), 400, "lat 'sur' no es un número")
    assert_problem(client.get("/v1/check?lat=-12.5&lon=-73.8&date=mañana&lang=es"), 400, "no es una fecha")
    assert_problem(
        client.get("/v1/check?lat=-12.5&lon=-273.8&lang=es"), 400, "lon debe estar entre -180 y 180"
    )
    english = client.get("/v1/check?lat=sur&lon=-73.8")
    assert_problem(english, 400, "lat 'sur' is not a number")
    assert (
        english.get_json()["field"]
        == client.get("/v1/check?lat=sur&lon=-73.8&lang=es").get_json()["field"]
        == "lat"
    )


def test_itinerary_refusals_are_in_spanish(client: FlaskClient) -> None:
    # The engine's own refusals, and those of the body's shape (pydantic's, by error type).
    refused = client.post("/v1/itinerary?lang=es", json={"stops": [{"date": "2026-12-01"}]})
    assert_problem(refused, 400, "stops[0] necesita un nombre de lugar (place) o lat y lon")
    assert refused.get_json()["field"] == "stops[0]"
    legs = {"stops": [{"place": "Lima"}] * 3, "legs": [{}] * 3}
    assert_problem(client.post("/v1/itinerary?lang=es", json=legs), 400, "como máximo 2 tramos")
    shape = {"stops": [{"place": "Lima"}, {"place": "Cusco"}], "legs": [{"mode": "balloon"}]}
    refused = client.post("/v1/itinerary?lang=es", json=shape)
    assert_problem(refused, 400, "legs[0].mode: Debe ser 'flight'")
    english = client.post("/v1/itinerary", json=shape)
    assert_problem(english, 400, "legs[0].mode: Input should be 'flight'")  # pydantic's own words
    empty = client.post("/v1/itinerary?lang=es", json={"stops": []})
    assert_problem(empty, 400, "stops: Debe tener al menos 1 elementos, no 0")
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-73.8, -12.5]}, "id": 1.5}
    assert_problem(client.post("/v1/check?lang=es", json=point), 400, "un id debe ser un texto o un entero")


def test_route_refusals_are_in_spanish(client: FlaskClient) -> None:
    gpx = b'<gpx><trk><trkseg><trkpt lat="-12.5"/></trkseg></trk></gpx>'
    refused = client.post("/v1/route?lang=es", data=gpx, content_type="application/gpx+xml")
    assert_problem(refused, 400, "GPX línea 1: <trkpt> necesita los atributos lat y lon")
    english = client.post("/v1/route", data=gpx, content_type="application/gpx+xml")
    assert_problem(english, 400, "GPX line 1: <trkpt> needs lat and lon attributes")
    assert refused.get_json()["field"] == english.get_json()["field"] == "route"


def test_alert_refusals_are_in_spanish() -> None:
    import datetime as dt

    from geo.errors import InputFormatError
    from geo.i18n import speaking
    from geo.pack import load_default_pack
    from geo.trips.alert_body import alert_from_json

    body = {"category": "blockade", "level": 9, "ends": "2026-12-03T20:00:00-05:00"}
    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    coverage = load_default_pack().coverage
    with (
        speaking("es"),
        pytest.raises(InputFormatError, match="level debe ser un entero de 1 a 4") as refused,
    ):
        alert_from_json(body, alert_id="a", publisher="p", coverage=coverage, now=now)
    assert refused.value.field == "level"
    with pytest.raises(InputFormatError, match="level must be an integer from 1 to 4"):
        alert_from_json(body, alert_id="a", publisher="p", coverage=coverage, now=now)


def test_key_and_watch_refusals_are_in_spanish(tmp_path: Path) -> None:
    from service import create_app

    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}", "KEY_RATE_LIMIT": ""}
    )
    try:
        api = app.test_client()
        assert_problem(
            api.get("/v1/watches?lang=es"), 401, "se necesita una clave de API de alcance 'watches'"
        )
        assert_problem(api.get("/v1/watches"), 401, "an API key of scope 'watches' is required")
        wrong = {"Authorization": "Bearer rz_nope"}
        assert_problem(api.get("/v1/watches?lang=es", headers=wrong), 401, "desconocida o fue revocada")
    finally:
        app.extensions["riskzones"].alerts.store.engine.dispose()


def test_place_and_query_refusals_are_in_spanish(client: FlaskClient) -> None:
    trip = {"stops": [{"place": "Atlantis", "date": "2026-12-01"}]}
    refused = client.post("/v1/itinerary?lang=es", json=trip)
    assert_problem(refused, 400, "ningún lugar se llama 'Atlantis' en el nomenclátor")
    assert refused.get_json()["field"] == "stops[0].place"
    assert_problem(client.get("/v1/zones?bbox=1,2,3&lang=es"), 400, "debe ser cuatro números")
    assert_problem(client.get("/v1/places?lang=es"), 400, "falta q")


def test_the_command_lines_store_messages_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.cli import main

    database = ["--database", f"sqlite:///{tmp_path / 'cli.db'}"]
    assert main(["--lang", "es", "keys", "create", "--scope", "watches", *database]) == 0
    assert "se muestra una sola vez" in capsys.readouterr().out
    assert main(["--lang", "es", "alerts", "list", *database]) == 0
    assert capsys.readouterr().out.strip() == "no hay alertas"
    assert main(["--lang", "es", "watches", "show", "wa_nope", *database]) == 2
    assert "no hay ninguna vigilancia 'wa_nope'" in capsys.readouterr().err


def test_document_and_http_refusals_are_in_spanish(client: FlaskClient) -> None:
    bad_json = client.post("/v1/itinerary?lang=es", data=b'{"stops": [', content_type="application/json")
    assert_problem(bad_json, 400, "el itinerario no es JSON válido", "línea 1")
    alias = client.post("/v1/itinerary?lang=es", data=b"a: &x [1]\nb: *x\n", content_type="application/yaml")
    assert_problem(alias, 400, "no se aceptan alias de YAML (*x en la línea 2)")
    missing = assert_problem(client.get("/v1/nothing?lang=es"), 404, "no hay ningún recurso en /v1/nothing")
    assert missing["title"] == "No encontrado"  # the status phrase, localised (RFC 9457)
    assert client.get("/v1/nothing").get_json()["title"] == "Not Found"
    assert_problem(client.delete("/v1/check?lang=es"), 405, "DELETE no está permitido en /v1/check")
    small = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 100}).test_client()
    too_big = small.post("/v1/check?lang=es", data="x" * 200, content_type="application/json")
    assert_problem(too_big, 413, "el cuerpo de la solicitud supera el límite de 100 bytes")
    english = client.post("/v1/itinerary", data=b'{"stops": [', content_type="application/json")
    assert_problem(english, 400, "the itinerary is not valid JSON")


def test_batch_summaries_and_refusals_in_spanish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    points = tmp_path / "points.csv"
    points.write_text("lat,lon\n-12.5,-73.8\n-12.05,-77.04\n")
    out = tmp_path / "out.csv"
    assert main(["--lang", "es", "batch", str(points), str(out), "--no-alerts"]) == 3
    said = capsys.readouterr().out
    assert f"se escribió {out}" in said and "2 de 2 filas verificadas" in said
    assert "  nivel 4 (No viajar): 1" in said and "fuera de la cobertura del paquete: 0" in said
    # The output file's values are machine-readable: the same in every language.
    assert main(["batch", str(points), str(tmp_path / "en.csv"), "--no-alerts"]) == 3
    assert out.read_text() == (tmp_path / "en.csv").read_text()
    capsys.readouterr()
    missing = ["--lang", "es", "batch", str(points), str(out), "--lat-col", "latitud", "--no-alerts"]
    assert main(missing) == 2
    assert "no hay columna 'latitud'; las columnas son lat, lon; indique la correcta con --lat-col" in (
        capsys.readouterr().err
    )


def test_the_command_lines_help_and_usage_errors_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--lang", "es", "check", "--help"])
    assert done.value.code == 0
    said = capsys.readouterr().out
    assert said.startswith("uso: riskzones check") and "argumentos posicionales:" in said
    assert "latitud en grados decimales (negativa al sur)" in said and "muestra este mensaje de ayuda" in said
    with pytest.raises(SystemExit) as done:
        main(["--lang", "es", "check"])
    assert done.value.code == 2
    assert "riskzones check: error: faltan los argumentos obligatorios: lat, lon" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "es", "check", "1", "2", "--advisory", "us", "--bogus"])
    assert "argumentos no reconocidos: --bogus" in capsys.readouterr().err
    # English stays argparse's own wording.
    with pytest.raises(SystemExit):
        main(["--lang", "en", "check", "--help"])
    english = capsys.readouterr().out
    assert english.startswith("usage: riskzones check") and "options:" in english
    with pytest.raises(SystemExit):
        main(["--lang", "en", "check"])
    assert "error: the following arguments are required: lat, lon" in capsys.readouterr().err
