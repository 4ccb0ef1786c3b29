"""The trip planner's desk in a real browser (Debian's Chromium, Playwright): an itinerary file
loaded, a stop edited, the link shared and opened again, with the verdicts POST /v1/itinerary
gives, in English and Spanish; the answer card; the phone viewport; keyboard use; and
axe-core run in the page. Screenshots go to test-output/ (docs/ keeps copies for the README)."""

# The browser fixtures are test_browser's, imported by name: pytest finds them here, and each
# test's parameter of that name is the fixture (not a redefinition).
# ruff: noqa: F811

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import base_url, browser, wait_until_ready  # noqa: F401 - the fixtures

DOCS = Path(__file__).resolve().parents[1] / "test-output"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
CALENDAR = Path(__file__).parent / "data" / "calendars" / "made" / "outlook.ics"
TRIP = {
    "stops": [
        {"place": "Lima", "date": "2027-01-10"},
        {"airport": "AYP", "date": "2027-01-11"},
        {"lat": -12.4667, "lon": -73.9167, "name": "Pichari", "date": "2027-01-13"},
    ],
    "legs": [{"mode": "flight"}, {"mode": "road"}],
}


def _open(browser: Any, url: str, **options: Any) -> tuple[Any, list[str]]:
    DOCS.mkdir(exist_ok=True)
    context = browser.new_context(
        **{"viewport": {"width": 1200, "height": 900}, "accept_downloads": True, **options}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    wait_until_ready(page, also="window.riskzonesTrip")
    return page, errors


def _answer(page: Any) -> str:
    page.wait_for_selector("#rz-trip-answer .rz-trip-results")
    return str(page.locator("#rz-trip-answer").inner_text())


def _verdict_words(page: Any, verdict: str) -> str:
    return str(page.evaluate("(v) => window.riskzonesUi.verdictText(v)", verdict))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_load_edit_share_and_reopen_give_the_apis_verdicts(
    browser: Any, base_url: str, lang: str, tmp_path: Path
) -> None:
    page, errors = _open(browser, f"{base_url}/?lang={lang}")
    page.locator("#rz-trip > summary").click()
    source = tmp_path / "trip.json"
    source.write_text(json.dumps(TRIP))
    page.set_input_files("#rz-trip-file", str(source))
    text = _answer(page)
    api = page.evaluate(
        "(doc) => fetch('/v1/itinerary', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        " body: JSON.stringify(doc)}).then(r => r.json())",
        TRIP,
    )
    assert _verdict_words(page, api["verdict"]) in text
    assert api["stops"][0]["name"] in text
    # Edit: the last stop moves a day; the answer is the API's for the edited trip.
    last = page.locator("#rz-trip-stops li.rz-trip-stop").nth(2).locator("input[type=date]")
    last.fill("2027-01-14")
    last.dispatch_event("change")
    page.click("#rz-trip-check")
    page.wait_for_function("() => document.querySelector('#rz-trip-answer').innerText.includes('2027-01-14')")
    edited = json.loads(json.dumps(TRIP))
    edited["stops"][2]["date"] = "2027-01-14"
    sent = page.evaluate("() => window.riskzonesTrip.document()")
    assert sent["stops"][2]["date"] == "2027-01-14" and [s.get("airport") for s in sent["stops"]][1] == "AYP"
    # Share: the link carries the itinerary in its fragment, which the server never sees.
    page.click("#rz-trip-share")
    link = page.input_value("#rz-trip-link")
    fragment = link.split("#trip=", 1)[1]
    carried = json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))
    assert carried == sent
    # Reopen the link in a fresh page: the same check, the same verdicts as the API's.
    again, again_errors = _open(browser, link)
    reopened = _answer(again)
    api_edited = again.evaluate(
        "(doc) => fetch('/v1/itinerary?lang=" + lang + "', {method: 'POST', headers: "
        "{'Content-Type': 'application/json'}, body: JSON.stringify(doc)}).then(r => r.json())",
        sent,
    )
    assert _verdict_words(again, api_edited["verdict"]) in reopened
    for stop in api_edited["stops"]:
        assert stop["date"] in reopened
    # The stops are drawn coloured by level: one marker per stop.
    assert again.locator(".rz-trip-stop-marker").count() == len(sent["stops"])
    if lang == "en":
        again.screenshot(path=str(DOCS / "itinerary-panel.png"))
    assert errors == [] and again_errors == []


def test_a_calendar_loads_through_the_server_and_can_be_edited(browser: Any, base_url: str) -> None:
    page, errors = _open(browser, base_url + "/")
    page.locator("#rz-trip > summary").click()
    page.set_input_files("#rz-trip-file", str(CALENDAR))
    text = _answer(page)
    assert "Caballococha" in text and "Visita a Santa Rosa" in text  # the unplaced event is said
    assert page.locator("#rz-trip-stops li.rz-trip-stop").count() == 4
    assert errors == []


def test_each_stop_and_leg_shows_its_reasons_and_the_report_buttons_give_pdf_and_html(
    browser: Any, base_url: str
) -> None:
    page, errors = _open(browser, base_url + "/")
    page.locator("#rz-trip > summary").click()
    page.evaluate("(doc) => window.riskzonesTrip.load(doc)", TRIP)
    page.click("#rz-trip-check")
    _answer(page)
    api = page.evaluate(
        "(doc) => fetch('/v1/itinerary', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        " body: JSON.stringify(doc)}).then(r => r.json())",
        TRIP,
    )
    items = page.locator("#rz-trip-answer .rz-trip-results > li")
    answered = [*api["stops"], *api["legs"]]
    assert items.count() == len(answered)
    # Stops and legs alternate in the panel; each lists its own reasons from the answer.
    order = [api["stops"][0], *[x for pair in zip(api["legs"], api["stops"][1:], strict=True) for x in pair]]
    assert any(item["reasons"] for item in order)
    for position, item in enumerate(order):
        shown = items.nth(position).locator(".rz-trip-why > li").all_inner_texts()
        assert shown == item["reasons"]
    for button, magic in (("#rz-trip-report", "%PDF-"), ("#rz-trip-report-html", "<!DOCTYPE html>")):
        page.click(button)
        link = page.locator("#rz-trip-answer a.rz-trip-report-link").last
        link.wait_for()
        with page.expect_download() as download:
            link.click()
        head = Path(download.value.path()).read_bytes()[:15].decode("ascii", "replace")
        assert head.startswith(magic), (button, head)
    assert errors == []


def test_device_mode_checks_the_stops_here_and_says_what_needs_the_server(
    browser: Any, base_url: str
) -> None:
    page, errors = _open(browser, base_url + "/")
    page.wait_for_function("() => window.riskzonesOffline.info() !== null")
    page.check("#rz-device")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.locator("#rz-trip > summary").click()
    page.evaluate("(doc) => window.riskzonesTrip.load(doc)", TRIP)
    page.click("#rz-trip-check")
    text = _answer(page)
    assert "Checked on this device" in text and "Level 4" in text  # Pichari, by its coordinates
    assert "needs the server" in text
    assert not [u for u in asked if "/v1/itinerary" in u]
    assert errors == []
    # The device finds a stop's place as the server resolves it, or leaves it to the server.
    found_here = set()
    for query in ("Lima", "cusco", "AYP", "Pichari", "Santa Rosa", "Santa Rosa, Loreto", "Nowhere Town"):
        here = page.evaluate("(q) => window.riskzonesOffline.lookup(q)", query)
        stop = {"airport": query} if query.isupper() else {"place": query}
        server = page.evaluate(
            "(s) => fetch('/v1/itinerary', {method: 'POST', headers: {'Content-Type': 'application/json'},"
            " body: JSON.stringify({stops: [{...s, date: '2027-01-10'}]})}).then(r => r.json())",
            stop,
        )
        if here is None:  # ambiguous or unknown here: the server must not have a single answer
            assert "stops" not in server or server["stops"][0]["also_named"], (query, server)
        else:
            found_here.add(query)
            check = server["stops"][0]["check"]
            assert (round(here["lat"], 4), round(here["lon"], 4)) == (
                round(check["lat"], 4),
                round(check["lon"], 4),
            ), query
    assert {"Lima", "cusco", "AYP"} <= found_here and "Nowhere Town" not in found_here


def test_the_answer_card_and_the_legend(browser: Any, base_url: str) -> None:
    page, _errors = _open(browser, base_url + "/")
    page.evaluate("() => window.riskzonesMap.setView([-12.2, -75.0], 8)")
    page.wait_for_timeout(300)
    page.evaluate("() => window.riskzonesMap.fire('click', {latlng: L.latLng(-11.5, -75.2)})")
    page.wait_for_selector("#rz-answer .rz-card")
    card = page.locator("#rz-answer .rz-card")
    rows = card.locator(".rz-governments li")
    assert rows.count() == 4  # one row per government, each with its chip
    assert card.locator(".rz-governments .rz-chip").count() == 4
    text = str(card.inner_text())
    assert "((" not in text  # a government's own words without doubled brackets
    assert card.locator(".rz-currency").count() == 1  # one line about how current the data is
    legend = page.locator("#rz-legend")
    assert legend.evaluate("d => d.open")
    legend.locator("summary").first.click()
    assert not legend.evaluate("d => d.open")


def test_a_phone_viewport_folds_the_panels_and_keeps_the_map(browser: Any, base_url: str) -> None:
    page, errors = _open(
        browser, base_url + "/", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    assert not page.locator("#rz-panel-fold").evaluate("d => d.open")
    assert not page.locator("#rz-legend").evaluate("d => d.open")
    panel = page.locator("#rz-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    # The map stays usable: most of the screen is map, not panel.
    assert panel["height"] < 844 * 0.3
    page.screenshot(path=str(DOCS / "phone.png"))
    page.locator("#rz-panel-fold > summary").click()
    page.locator("#rz-trip > summary").click()
    box = page.locator("#rz-panel").bounding_box()
    assert box["x"] + box["width"] <= 390 and box["height"] <= 844 * 0.56
    assert errors == []


def test_every_control_is_reachable_by_keyboard_and_named(browser: Any, base_url: str) -> None:
    page, _errors = _open(browser, base_url + "/")
    page.locator("#rz-trip > summary").focus()
    page.keyboard.press("Enter")  # open the itinerary panel by keyboard
    assert page.locator("#rz-trip").evaluate("d => d.open")
    page.locator("#rz-trip-where").focus()
    page.keyboard.type("Cusco")
    page.keyboard.press("Enter")
    assert page.locator("#rz-trip-stops li.rz-trip-stop").count() == 1
    # Tab through the whole page: every control of the panels gets the focus.
    controls = page.evaluate(
        "() => [...document.querySelectorAll('#rz-panel button, #rz-panel input:not([hidden]), "
        "#rz-panel select, #rz-panel summary, #rz-legend summary')].filter(e => e.offsetParent !== null)"
        ".map(e => e.id || e.textContent.trim() || e.getAttribute('aria-label'))"
    )
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id || e.textContent.trim() || e.getAttribute('aria-label'); }"
            )
        )
    assert set(controls) <= reached, set(controls) - reached
    unnamed = page.evaluate(
        "() => [...document.querySelectorAll('button, input, select')].filter(e => e.offsetParent !== null)"
        ".filter(e => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim() || e.title"
        " || e.placeholder)).map(e => e.outerHTML)"
    )
    assert unnamed == []


@pytest.mark.parametrize("size", [(1200, 900), (390, 844)], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(
    browser: Any, base_url: str, size: tuple[int, int]
) -> None:
    # The page's policy allows no script but its own; the checker is injected for the test only.
    page, _errors = _open(
        browser, base_url + "/", viewport={"width": size[0], "height": size[1]}, bypass_csp=True
    )
    page.locator("#rz-panel-fold").evaluate("d => d.open = true")
    page.locator("#rz-trip").evaluate("d => d.open = true")
    page.evaluate("(doc) => window.riskzonesTrip.load(doc)", TRIP)
    page.evaluate("() => window.riskzonesMap.fire('click', {latlng: L.latLng(-12.47, -73.92)})")
    page.wait_for_selector("#rz-answer .rz-card")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    if size == (1200, 900):
        page.screenshot(path=str(DOCS / "desktop.png"))


def test_the_offline_base_layer_gives_bearings_from_packaged_data(browser: Any, base_url: str) -> None:
    page, errors = _open(browser, base_url + "/")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    countries = page.locator(".rz-label-country").all_inner_texts()
    assert sorted(countries) == ["BOLIVIA", "BRAZIL", "CHILE", "COLOMBIA", "ECUADOR"]
    assert page.locator(".leaflet-rz-base-pane path").count() > 25  # neighbours, departments, rivers
    few = page.locator(".rz-label-town").count()
    page.evaluate("() => window.riskzonesMap.setView([-13.5, -72.5], 9)")
    page.wait_for_timeout(400)
    many = page.locator(".rz-label-town").count()
    assert 0 < few < many  # more towns are named as one zooms in
    assert "Cusco" in page.locator(".rz-label-department").all_text_contents()
    # Names do not overlap: of two that would, the later one (a smaller town) is hidden.
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.rz-label')]"
        ".filter(n => getComputedStyle(n).visibility !== 'hidden')"
        ".map(n => { const b = n.getBoundingClientRect();"
        " return [n.textContent, b.left, b.top, b.right, b.bottom]; })"
    )
    hidden = page.locator(".rz-label").count() - len(shown)
    for i, (name, left, top, right, bottom) in enumerate(shown):
        for other, left2, top2, right2, bottom2 in shown[i + 1 :]:
            overlap = left < right2 and right > left2 and top < bottom2 and bottom > top2
            assert not overlap, (name, other)
    assert hidden > 0 and "Cusco" in [s[0] for s in shown]
    # Lake Titicaca is drawn and named near Puno.
    page.evaluate("() => window.riskzonesMap.setView([-15.8, -69.6], 8)")
    page.wait_for_timeout(400)
    assert "Lago Titicaca" in page.locator(".rz-label-lake").all_inner_texts()
    assert all(url.startswith(base_url) for url in asked)  # no tiles, no third party
    assert errors == []
