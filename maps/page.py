"""Turn a folium map into a page that runs under a strict Content-Security-Policy.

folium writes its set-up code and styles inline; the page keeps only markup and refers to
the extracted script and style sheet, which the caller serves (or, for a static export,
inlines back together with every asset).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import folium

from geo.engine.words import words
from geo.i18n import _, language, translations
from geo.io.formats import ROUTE_FILE_RULES
from maps.colours import colour_css, level_colours

__all__ = ["STATIC", "TURF", "MapPage", "page", "static_page"]

STATIC = Path(str(resources.files("maps") / "static"))
#: Turf (turfjs.org), pinned and served from maps/static/vendor with its licence and checksums.
TURF = "turf-7.4.0.min.js"
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _panel() -> str:
    """The side panel, in the current language."""
    find, find_label = _("Find a place in Peru"), _("Find a place")
    route, device = _("Check a route (GPX, GeoJSON, KML)"), _("Check on this device")
    private = _("Checked on this device: your position is not sent anywhere.")
    locate, hint = _("My location"), _("Click the map to check a point.")
    return f"""
<div id="rz-panel" class="rz-panel">
<details id="rz-panel-fold" class="rz-fold" open>
  <summary>riskzones</summary>
  <form id="rz-search" class="rz-search" autocomplete="off" role="search">
    <input id="rz-search-input" type="search" placeholder="{find}" aria-label="{find_label}">
  </form>
  <ul id="rz-search-results" class="rz-results"></ul>
  <label class="rz-upload">{route}
    <input id="rz-route-file" type="file" accept=".gpx,.geojson,.json,.kml">
  </label>
  <label class="rz-device"><input id="rz-device" type="checkbox"> {device}</label>
  <p id="rz-device-note" class="rz-note" hidden>{private}</p>
  <button id="rz-locate" type="button" class="rz-locate">{locate}</button>
  <p id="rz-offline" class="rz-note"></p>
  <div id="rz-answer" class="rz-answer" aria-live="polite">{hint}</div>
{_trip_panel()}
</details>
</div>
"""


def _trip_panel() -> str:
    """The itinerary panel (maps/static/itinerary.js), in the current language."""
    title, where = _("Plan an itinerary"), _("Add a stop: a place, an airport code or lat, lon")
    example = _("Cusco, CUZ or -12.5, -73.8")
    pick, link = _("Add stops by clicking the map or a place found"), _("Link to this itinerary")
    add, listed, check = _("Add stop"), _("Stops and legs"), _("Check itinerary")
    report, report_html, share = _("Trip report (PDF)"), _("Trip report (web page)"), _("Share link")
    load = _("Load an itinerary (JSON, YAML, CSV or iCalendar)")
    return f"""
<details id="rz-trip" class="rz-trip">
  <summary>{title}</summary>
  <form id="rz-trip-add" autocomplete="off">
    <input id="rz-trip-where" type="text" placeholder="{example}" aria-label="{where}">
    <button type="submit">{add}</button>
  </form>
  <button id="rz-trip-pick" type="button" aria-pressed="false">{pick}</button>
  <ol id="rz-trip-stops" aria-label="{listed}"></ol>
  <div class="rz-trip-actions">
    <button id="rz-trip-check" type="button">{check}</button>
    <button id="rz-trip-report" class="rz-trip-report" type="button" data-format="pdf">{report}</button>
    <button id="rz-trip-report-html" class="rz-trip-report" type="button"
      data-format="html">{report_html}</button>
    <button id="rz-trip-share" type="button">{share}</button>
  </div>
  <input id="rz-trip-link" class="rz-trip-link" type="url" readonly hidden aria-label="{link}">
  <label class="rz-upload">{load}
    <input id="rz-trip-file" type="file" accept=".json,.yaml,.yml,.csv,.ics">
  </label>
  <div id="rz-trip-answer" class="rz-answer" aria-live="polite"></div>
</details>"""


@dataclass(frozen=True)
class MapPage:
    """The page's HTML, and the script and style sheet taken out of it."""

    html: str
    script: str
    style: str


def page(
    fmap: folium.Map, *, script_url: str, style_url: str, static_url: str, interactive: bool = True
) -> MapPage:
    """The map as HTML that loads its code from ``script_url`` and ``style_url``."""
    html = fmap.get_root().render()
    scripts = _SCRIPT.findall(html)
    styles = _STYLE.findall(html)
    html = _SCRIPT.sub("", html)
    html = _STYLE.sub("", html)
    # The page's own code finds the map through this name.
    script = "\n".join(scripts) + f"\nwindow.riskzonesMap = {fmap.get_name()};\n"
    # The map's own scripts look their texts up here (``geo.i18n``; none in English).
    script += f"window.riskzonesText = {json.dumps(translations(language()), ensure_ascii=False)};\n"
    # The words for verdicts and statuses, from the table the command line uses too.
    script += f"window.riskzonesWords = {json.dumps(words(), ensure_ascii=False)};\n"
    # The level colours, from the table the report's map and chips use too (maps/colours.py).
    script += f"window.riskzonesColours = {json.dumps(level_colours())};\n"
    # The namespaces route files are read in (geo.io.formats), for maps/static/routefiles.js.
    script += f"window.riskzonesRouteRules = {json.dumps(ROUTE_FILE_RULES)};\n"
    title = _("riskzones: risk zones of Peru")
    extra = f"<title>{title}</title>\n"
    extra += f'<link rel="stylesheet" href="{style_url}">\n'
    extra += f'<link rel="stylesheet" href="{static_url}/riskmap.css">\n'
    # No favicon request: an empty data: icon (allowed by img-src data:).
    extra += '<link rel="icon" href="data:,">\n'
    html = html.replace("</head>", extra + "</head>", 1)
    html = html.replace("<html>", f'<html lang="{language()}">', 1)
    panel = _panel() if interactive else ""
    code = f'<script src="{script_url}"></script>\n<script src="{static_url}/popups.js"></script>\n'
    code += f'<script src="{static_url}/labels.js"></script>\n'
    if interactive:
        code += f'<script src="{static_url}/vendor/{TURF}"></script>\n'
        code += f'<script src="{static_url}/offline.js"></script>\n'
        code += f'<script src="{static_url}/routefiles.js"></script>\n'
        code += f'<script src="{static_url}/riskmap.js"></script>\n'
        code += f'<script src="{static_url}/itinerary.js"></script>\n'
        html = html.replace("</head>", '<link rel="manifest" href="/manifest.webmanifest">\n</head>', 1)
    html = html.replace("</body>", panel + code + "</body>", 1)
    return MapPage(html=html, script=script, style="\n".join([*styles, colour_css()]))


def static_page(fmap: folium.Map, assets: dict[str, Path]) -> str:
    """One self-contained HTML file: every script and style inlined; opens offline."""
    built = page(
        fmap, script_url="rz:script", style_url="rz:style", static_url="rz:static", interactive=False
    )
    html = built.html
    for url, path in assets.items():
        text = path.read_text(encoding="utf-8")
        if url.endswith(".js"):
            html = html.replace(f'<script src="{url}"></script>', f"<script>{text}</script>")
        else:
            link = re.compile(rf'<link[^>]*href="{re.escape(url)}"[^>]*>')
            html = link.sub(lambda _match: f"<style>{text}</style>", html)  # noqa: B023 - used at once
    html = html.replace('<script src="rz:script"></script>', f"<script>{built.script}</script>")
    html = html.replace('<link rel="stylesheet" href="rz:style">', f"<style>{built.style}</style>")
    css = (STATIC / "riskmap.css").read_text(encoding="utf-8")
    for name in ("popups.js", "labels.js"):
        code = (STATIC / name).read_text(encoding="utf-8")
        html = html.replace(f'<script src="rz:static/{name}"></script>', f"<script>{code}</script>")
    return html.replace('<link rel="stylesheet" href="rz:static/riskmap.css">', f"<style>{css}</style>")
