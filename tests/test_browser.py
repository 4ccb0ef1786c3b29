"""The map page in a real browser: Debian's Chromium driven by Playwright.

In CI (``CI`` set) a missing Chromium fails these tests; elsewhere it skips them. Screenshots
go to test-output/ for people to look at.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from geo import dates
from service import create_app
from service.cli import main as cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
ROUTES = Path(__file__).parent / "data" / "routes"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; .ci/run installs it (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield ClockedBrowser(browser)
        browser.close()


class ClockedBrowser:
    """The browser, each new page's clock starting where the run's (``geo.dates.utc_now``) is:
    the page's "today" is the server's, on any day the suite runs as of (``--now``)."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def __getattr__(self, name: str) -> Any:
        return getattr(self.browser, name)

    def new_context(self, **options: Any) -> Any:
        context = self.browser.new_context(**options)
        context.clock.install(time=dates.utc_now())
        return context

    def new_page(self, **options: Any) -> Any:
        page = self.browser.new_page(**options)
        page.clock.install(time=dates.utc_now())
        return page


def wait_until_ready(page: Any, *, also: str = "true") -> None:
    """Wait until the map page's scripts have run and its offline bundle is read (and ``also``,
    a script expression, holds). Not "networkidle": a fresh context's service worker fetches the
    page and the bundle again as it installs, and on a loaded machine the network is not idle
    for half a second within the timeout (the --now=lapse pass of .ci/run failed on it)."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => window.riskzonesOffline && window.riskzonesOffline.info() !== null && (" + also + ")",
        timeout=90_000,
    )


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class Page:
    """A loaded map page that records console errors and every request it makes."""

    def __init__(self, browser: Any, url: str, *, map_page: bool = True) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        if map_page:
            wait_until_ready(self.page)
        else:
            self.page.wait_for_load_state("load")

    def click(self, lat: float, lon: float) -> str:
        x, y = self.page.evaluate(
            "([lat, lon]) => {"
            " const p = window.riskzonesMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
            [lat, lon],
        )
        box = self.page.locator(".folium-map").bounding_box()
        self.page.evaluate("() => { document.getElementById('rz-answer').textContent = ''; }")
        self.page.mouse.click(box["x"] + x, box["y"] + y)
        self.page.wait_for_selector("#rz-answer .rz-level")
        return str(self.page.locator("#rz-answer").inner_text())

    def screenshot(self, name: str) -> None:
        OUTPUT.mkdir(exist_ok=True)
        self.page.screenshot(path=str(OUTPUT / name))


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Page]:
    loaded = Page(browser, base_url + "/")
    yield loaded
    loaded.page.close()


def test_page_loads_clean_and_stays_on_its_origin(page: Page, base_url: str) -> None:
    assert page.errors == []
    assert page.requests and all(url.startswith(base_url) or url.startswith("data:") for url in page.requests)
    page.screenshot("map.png")


def _visible_paths(state: Any, layer: str) -> int:
    """Paths the page should draw with ``layer`` chosen: the country outline, that layer's
    features in Peru and in each neighbour served (a government's zones in force today there,
    or the disagreement areas), and the overlays of Peru's decrees and the research zones."""
    from geo.engine.compare import disagreement_areas

    pack = state.pack
    overlays = sum(1 for z in pack.zones if z.source not in pack.governments)
    drawn = 0
    for index in state.region.indexes:
        today = index.pack.date(None)
        if layer == "compare":
            drawn += len(disagreement_areas(index, today))
            continue
        hidden = index.on(today).hidden(layer)
        drawn += sum(1 for i, z in enumerate(index.pack.zones) if z.source == layer and i not in hidden)
    return 1 + drawn + overlays


def test_every_zone_is_drawn_with_legend_and_layers(page: Page) -> None:
    state = create_app({"TESTING": True}).extensions["riskzones"]
    assert page.page.locator(".leaflet-overlay-pane path").count() == _visible_paths(state, "us")
    # The governments' scales fold inside the legend, which folds away itself.
    page.page.locator("#rz-legend .rz-scales > summary").click()
    legend = page.page.locator("#rz-legend").inner_text()
    assert "Level 4: Do not travel" in legend and "Level 3" in legend and "Exception" in legend
    layers = page.page.locator(".leaflet-control-layers").inner_text()
    for name in ("States of emergency", "Illegal mining", "Coca-growing areas", "Compare governments"):
        assert name in layers
    for government in state.pack.governments.values():
        # Each government is a choice; the legend names its scale and the date of its text.
        assert government.name in layers
        assert government.as_of.isoformat() in legend
        assert all(words in legend for words in government.scale.values())


def _choose(page: Page, name: str) -> None:
    page.page.locator(".leaflet-control-layers-base label", has_text=name).click()


def test_choosing_a_government_draws_its_zones_and_asks_with_its_advice(page: Page) -> None:
    state = create_app({"TESTING": True}).extensions["riskzones"]
    uk = state.pack.governments["uk"]
    _choose(page, uk.name)
    assert page.page.locator(".leaflet-overlay-pane path").count() == _visible_paths(state, "uk")
    # Caballococha: the UK excepts the tri-border area, the U.S. 2025 text does not.
    answer = page.click(-3.90583, -70.51639)
    assert "Level 4" not in answer.splitlines()[0]
    assert "Governments disagree here." in answer
    assert (
        "United States (Department of State): level 4" in answer
        and "last confirmed current on 2026-08-22" in answer
    )
    _choose(page, "Compare governments")
    zones = page.page.locator(".leaflet-overlay-pane path:not(.rz-marker)")
    assert zones.count() == _visible_paths(state, "compare")
    assert page.errors == []
    page.screenshot("compare.png")


def test_click_on_pichari_shows_level_4_and_the_vraem(page: Page) -> None:
    answer = page.click(-12.5, -73.81667)
    assert "Level 4: Do not travel" in answer and "VRAEM" in answer and "Pichari" in answer
    page.screenshot("click-pichari.png")


def test_click_on_cusco_shows_no_do_not_travel_zone(page: Page) -> None:
    answer = page.click(-13.53188, -71.96701)
    assert "Do not travel" not in answer and "Level 2" in answer


def test_uploading_a_gpx_shows_its_crossings(page: Page) -> None:
    page.page.set_input_files("#rz-route-file", str(ROUTES / "ayacucho-pichari.gpx"))
    page.page.wait_for_selector("#rz-answer >> text=Crossings")
    answer = page.page.locator("#rz-answer").inner_text()
    assert "do not travel" in answer and "VRAEM" in answer and "km inside" in answer
    assert page.page.locator("path.rz-crossing").count() >= 1
    assert page.errors == []
    page.screenshot("route-check.png")


def test_place_search(page: Page) -> None:
    page.page.fill("#rz-search-input", "Tingo Mar")
    page.page.press("#rz-search-input", "Enter")
    page.page.wait_for_selector("#rz-search-results li")
    assert "Tingo María" in page.page.locator("#rz-search-results").inner_text()


def test_static_export_opens_offline(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    assert cli(["map", str(out), "--date", "2026-11-27"]) == 0
    context = browser.new_context(offline=True)
    offline = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    offline.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    offline.on("pageerror", lambda e: errors.append(str(e)))
    offline.on("request", lambda r: requests.append(r.url))
    offline.goto(out.as_uri())
    offline.wait_for_selector(".leaflet-overlay-pane path")
    assert errors == []
    assert all(url.startswith(("file:", "data:")) for url in requests)
    assert offline.locator(".leaflet-overlay-pane path").count() > 20
    context.close()


def _drop(page: Any, name: str) -> None:
    """Drop the test route ``name`` on the map, as a person drags a file onto it."""
    page.evaluate(
        """([text, name]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, { type: "application/gpx+xml" }));
            const map = document.querySelector(".folium-map");
            map.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
        }""",
        [(ROUTES / name).read_text(), name],
    )


def test_dropping_a_route_file_checks_it(page: Page) -> None:
    _drop(page.page, "putumayo.gpx")
    page.page.wait_for_selector("#rz-answer >> text=Crossings")
    assert "do not travel" in page.page.locator("#rz-answer").inner_text()


def test_api_docs_render_under_the_policy(browser: Any, base_url: str) -> None:
    docs = Page(browser, base_url + "/docs", map_page=False)
    docs.page.wait_for_selector(".opblock")
    assert docs.errors == []
    assert all(url.startswith(base_url) or url.startswith("data:") for url in docs.requests)
    assert docs.page.locator(".opblock").count() >= 9  # every documented operation
    docs.page.close()


def test_alerts_have_their_own_layer_and_are_listed_on_click(browser: Any, base_url: str) -> None:
    import datetime as dt
    import time

    from geo.pack import load_default_pack
    from geo.trips.alert_body import alert_from_json
    from service.store import Store, default_url
    from service.store.alerts import end_alert, new_alert_id, publish_alert

    now = dates.utc_now()
    body = {
        "category": "blockade",
        "level": 3,
        "ends": (now + dt.timedelta(days=1)).isoformat(),
        "summary": "Browser-test blockade near Ica",
        "source_url": "https://example.org/blockade",
        "point": [-75.73, -14.07],
        "radius_km": 15,
    }
    alert = alert_from_json(
        body, alert_id=new_alert_id(), publisher="Test desk", coverage=load_default_pack().coverage, now=now
    )
    store = Store.open(default_url())  # the database the served app uses
    publish_alert(store, alert, None)
    time.sleep(2.2)  # the served app looks for changed alerts every 2 s
    loaded = Page(browser, base_url + "/")
    try:
        loaded.page.wait_for_selector("path.rz-alert-area", state="attached")
        text = loaded.click(-14.07, -75.73)
        assert "Alerts here:" in text and "Browser-test blockade near Ica" in text
        assert "Level 3: Reconsider travel" in text  # the alert raises the level
        assert loaded.errors == []
    finally:
        loaded.page.close()
        end_alert(store, alert.id, None)  # the database is shared by the session's apps
        store.engine.dispose()


def _api_points(base_url: str, points: list[tuple[float, float]], day: str, advisory: str) -> list[Any]:
    import json
    import urllib.request

    body = json.dumps({"points": [{"lon": x, "lat": y} for x, y in points], "date": day}).encode()
    request = urllib.request.Request(
        f"{base_url}/v1/check?advisory={advisory}", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return [
            [r["level"], [[z["id"], z["excepted"], z["raises_level"]] for z in r["zones"]], r["country"]]
            for r in json.load(response)["results"]
        ]


def _same_on_device(point: tuple[float, float], device: list[Any], api: list[Any]) -> bool:
    """Whether the device answered as the API did: the same level and zones in Peru; in a
    neighbour, "ask the server" where the API answered in that country. The bundle's outlines
    of the neighbours are simplified (``ELSEWHERE_SIMPLIFY_DEG``): within that of a neighbour's
    edge, the two may disagree on whether the point is in it."""
    from shapely.geometry import Point

    from geo.engine.region import default_region
    from geo.exports.offline import ELSEWHERE_SIMPLIFY_DEG

    level, zones, elsewhere = device
    country = api[2] if api[2] != "PER" else None
    if elsewhere is None and country is None:
        return [level, zones] == api[:2]
    if elsewhere == country:
        return True
    edges = [default_region().country(c) for c in (elsewhere, country) if c]
    return level is None and all(
        i is not None and i.pack.coverage.boundary.distance(Point(point)) <= ELSEWHERE_SIMPLIFY_DEG * 1.1
        for i in edges
    )


_ON_DEVICE = """([points, day, advisory]) => points.map((p) => {
  const a = window.riskzonesOffline.check(p[0], p[1], day, advisory);
  return [a.level, a.zones.map((z) => [z.id, z.excepted, z.raises_level]), a.elsewhere];
})"""


def test_device_checks_give_the_apis_answer(browser: Any, base_url: str) -> None:
    # Oracle: POST /v1/check on the same points and day, for two governments' advice.
    import random

    import shapely

    from geo.engine.index import default_index

    pack = default_index().pack
    rng = random.Random(15)
    points = [(rng.uniform(-81.4, -68.6), rng.uniform(-18.4, 0.0)) for _ in range(1_000)]
    # A point in each zone too, so that every zone and exception is met.
    points += [(p.x, p.y) for p in (shapely.point_on_surface(z.geometry) for z in pack.zones)]
    page = browser.new_page()
    try:
        page.goto(base_url + "/")
        page.evaluate("() => window.riskzonesOffline.ready.then(() => true)")
        day = page.evaluate("() => window.riskzonesOffline.today()")
        assert day == pack.date(None).isoformat()
        levels, excepted, neighbours = set(), False, set()
        for advisory in ("us", "uk"):
            local = page.evaluate(_ON_DEVICE, [points, day, advisory])
            api = _api_points(base_url, points, day, advisory)
            differ = [
                (p, a, b) for p, a, b in zip(points, local, api, strict=True) if not _same_on_device(p, a, b)
            ]
            assert differ == [], differ[:3]
            levels |= {level for level, _, where in local if where is None}
            excepted |= any(e for _, zones, _ in local for _, e, _ in zones)
            neighbours |= {where for _, _, where in local if where}
        assert {None, 4} <= levels and len(levels) >= 4  # outside, level 4 and between
        assert {"COL", "ECU", "BRA", "BOL", "CHL"} <= neighbours  # and the device left those to the server
        assert excepted  # and places where an exception holds
    finally:
        page.close()


def test_the_map_opens_and_answers_offline(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now under the worker, which keeps what the page loads
        wait_until_ready(page)
        page.evaluate("() => window.riskzonesOffline.ready.then(() => true)")
        context.set_offline(True)
        page.reload()
        page.wait_for_load_state("load")
        page.wait_for_function(
            "() => document.getElementById('rz-offline').textContent.startsWith('Offline')"
        )
        assert page.locator("#rz-device").is_checked()  # on by default offline
        offline_page = Page.__new__(Page)
        offline_page.page = page
        text = offline_page.click(-11.97, -74.15)  # Pichari, in the VRAEM
        assert "Level 4" in text and "Checked on this device" in text
        page.fill("#rz-search-input", "Pichari")
        page.press("#rz-search-input", "Enter")
        page.wait_for_selector("#rz-search-results li")
        assert "Pichari" in page.locator("#rz-search-results").inner_text()
        offline_page.screenshot("map-offline.png")
    finally:
        context.close()


def test_device_mode_sends_no_coordinates(browser: Any, base_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 1200, "height": 900},
        geolocation={"latitude": -12.6543, "longitude": -73.9876},
        permissions=["geolocation"],
    )
    sent: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: sent.append(r.url + " " + (r.post_data or "")))
        page.goto(base_url + "/")
        wait_until_ready(page)
        page.evaluate("() => window.riskzonesOffline.ready.then(() => true)")
        page.check("#rz-device")
        assert page.locator("#rz-device-note").is_visible()
        sent.clear()
        loaded = Page.__new__(Page)
        loaded.page = page
        clicked = loaded.click(-11.97, -74.15)
        assert "Level 4" in clicked
        page.evaluate("() => { document.getElementById('rz-answer').textContent = ''; }")
        page.click("#rz-locate")
        page.wait_for_selector("#rz-answer .rz-level")
        assert "Checked on this device" in page.locator("#rz-answer").inner_text()
        page.fill("#rz-search-input", "Ayacucho")
        page.press("#rz-search-input", "Enter")
        page.wait_for_selector("#rz-search-results li")
        page.locator("#rz-search-results li").first.click()
        page.wait_for_selector("#rz-answer .rz-level")
        _drop(page, "putumayo.gpx")
        page.wait_for_selector("#rz-answer >> text=Zones crossed")
        answer = page.locator("#rz-answer").inner_text()
        assert "do not travel" in answer and "the route was not sent" in answer
        page.wait_for_timeout(500)
        # Whatever the page asked for meanwhile (map assets), none of it carries a position,
        # a place typed, a route, or a question to the API.
        for request in sent:
            assert "/v1/check" not in request and "/v1/places" not in request and "/v1/route" not in request
            for value in ("-11.97", "-74.15", "-12.65", "-73.98", "Ayacucho"):
                assert value not in request, request
    finally:
        context.close()


def test_device_route_checks_give_the_apis_verdict(browser: Any, base_url: str) -> None:
    # Oracle: POST /v1/route for each test route, same day and advice.
    import json
    import re
    import urllib.request

    page = browser.new_page()
    try:
        page.goto(base_url + "/")
        page.evaluate("() => window.riskzonesOffline.ready.then(() => true)")
        day = page.evaluate("() => window.riskzonesOffline.today()")
        verdicts = set()
        for path in sorted(ROUTES.glob("*.gpx")):
            text = path.read_text()
            coords = [[float(x), float(y)] for y, x in re.findall(r'lat="([-\d.]+)" lon="([-\d.]+)"', text)]
            for advisory in ("us", "uk"):
                request = urllib.request.Request(
                    f"{base_url}/v1/route?date={day}&advisory={advisory}",
                    data=text.encode(),
                    headers={"Content-Type": "application/gpx+xml"},
                )
                with urllib.request.urlopen(request, timeout=60) as response:
                    api = json.load(response)
                local = page.evaluate(
                    "([c, d, a]) => window.riskzonesOffline.checkRoute([c], d, a)", [coords, day, advisory]
                )
                where = (path.name, advisory)
                if set(api["countries"]) - {"PER"}:  # into a neighbour: the device leaves it to the server
                    assert local["elsewhere"], where
                    continue
                assert (local["verdict"], local["max_level"]) == (api["verdict"], api["max_level"]), where
                raising = sorted(z["id"] for z in local["zones"] if z["raises_level"])
                assert raising == sorted(z["id"] for z in api["zones"] if z["raises_level"]), where
                for zone in api["zones"]:
                    mine = next((z for z in local["zones"] if z["id"] == zone["id"]), None)
                    if mine is not None and zone["inside_km"] > 1:  # the ellipsoid vs Turf's sphere
                        tolerance = 0.01 * zone["inside_km"] + 0.05
                        assert abs(mine["inside_km"] - zone["inside_km"]) <= tolerance, where
                verdicts.add(api["verdict"])
        assert len(verdicts) >= 2  # the routes differ in what they meet
    finally:
        page.close()


CORPUS = Path(__file__).parent / "data" / "corpus"
_READ_ON_DEVICE = """async ([files, day]) => {
  const out = {};
  for (const [name, encoded] of Object.entries(files)) {
    const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    try {
      const route = await window.riskzonesRouteFiles.read(bytes, name, window.riskzonesRouteRules);
      const check = window.riskzonesOffline.checkRoute(route.parts, day, "us");
      out[name] = { route: { ...route, parts: route.parts.map((p) => p.length) }, check: check };
    } catch (e) {
      out[name] = { code: e.code || String(e), message: e.message };
    }
  }
  return out;
}"""


def test_device_mode_reads_every_corpus_file_as_the_api_does(browser: Any, base_url: str) -> None:
    # Every file of tests/data/corpus, read by maps/static/routefiles.js and checked on the
    # device, against POST /v1/route: the same parts and vertices, the same refusal (its code),
    # the same verdict and km (Turf's sphere against the ellipsoid: within 1 %).
    import base64
    import csv
    import io
    import json
    import urllib.error
    import urllib.request

    rows = list(csv.DictReader(io.StringIO((CORPUS / "SOURCES.csv").read_text(encoding="utf-8"))))
    files = {row["file"]: base64.b64encode((CORPUS / row["file"]).read_bytes()).decode() for row in rows}
    page = browser.new_page()
    try:
        page.goto(base_url + "/")
        page.evaluate("() => window.riskzonesOffline.ready.then(() => true)")
        day = page.evaluate("() => window.riskzonesOffline.today()")
        device = page.evaluate(_READ_ON_DEVICE, [files, day])
    finally:
        page.close()
    for row in rows:
        name = row["file"]
        request = urllib.request.Request(
            f"{base_url}/v1/route?date={day}&advisory=us",
            data=(CORPUS / name).read_bytes(),
            headers={"Content-Type": "application/octet-stream"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                api = json.load(response)
        except urllib.error.HTTPError as error:
            api = json.load(error)
        mine = device[name]
        if "code" in api:  # a refusal
            assert mine.get("code") == api["code"], (name, mine, api["detail"])
            continue
        assert "route" in mine, (name, mine)
        route, check = mine["route"], mine["check"]
        read = api["input"]
        assert (len(route["parts"]), sum(route["parts"])) == (read["parts"], read["vertices"]), name
        for key in ("format", "empty_parts_skipped", "waypoints_ignored", "areas_ignored", "from_waypoints"):
            assert route[key] == read[key], (name, key)
        assert route["name"] == api["name"], name
        if set(api["countries"]) - {"PER"}:  # into a neighbour: the device leaves it to the server
            assert check["elsewhere"], name
            continue
        assert (check["verdict"], check["max_level"]) == (api["verdict"], api["max_level"]), name
        # The API gives km to 3 places.
        assert abs(check["length_km"] - api["length_km"]) <= 0.01 * api["length_km"] + 0.001, name


def test_the_map_is_installable(browser: Any, base_url: str, tmp_path: Path) -> None:
    # Chromium's own installability check (a profile of its own: not in an incognito context).
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS
    )
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        wait_until_ready(page)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getAppManifest")["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_the_map_in_spanish(browser: Any, base_url: str) -> None:
    spanish = Page(browser, base_url + "/?lang=es")
    try:
        page = spanish.page
        assert page.locator("html").get_attribute("lang") == "es"
        assert "Verificar en este dispositivo" in page.locator("#rz-panel").inner_text()
        assert "Nivel de riesgo" in page.locator("#rz-legend").inner_text()
        text = spanish.click(-11.97, -74.15)  # Pichari, in the VRAEM: the API answers in Spanish too
        assert "Nivel 4: No viajar" in text and "Zonas aquí:" in text
        vraem = "Valle de los ríos Apurímac, Ene y Mantaro (VRAEM), incluida Vilcabamba"  # the pack's
        assert vraem in text
        page.evaluate("() => window.riskzonesOffline.ready.then(() => true)")
        page.check("#rz-device")  # on the device too, labels included
        page.evaluate("() => window.riskzonesMap.closePopup()")  # the first click opened a zone's
        text = spanish.click(-11.97, -74.15)
        assert "Nivel 4: No viajar" in text and "Verificado en este dispositivo" in text and vraem in text
        assert spanish.errors == []
        spanish.screenshot("map-es.png")
    finally:
        spanish.page.close()
    # A browser that prefers Spanish gets it without asking.
    context = browser.new_context(locale="es-PE")
    try:
        preferred = context.new_page()
        preferred.goto(base_url + "/")
        assert preferred.locator("html").get_attribute("lang") == "es"
    finally:
        context.close()
