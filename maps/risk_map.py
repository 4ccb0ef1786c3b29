"""The risk map: zones coloured by level, popups, a legend.

Each government's zones in force on the day are one base layer (choose one: its own words in
the popups); "Compare governments" shows where they disagree (``geo.compare``); Peru's decrees
and the research zones are overlays, one per kind. The legend names each government's scale
and how current its text is.

Pure functions returning ``folium.Map``; nothing here reads configuration or writes files.
Display geometry is simplified for page size; lookups always use the full geometry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from html import escape

import folium
import shapely
from branca.element import Element, Figure
from shapely.geometry import mapping

from geo.advisories import currency
from geo.compare import disagreement_areas
from geo.index import ZoneIndex
from geo.pack import LEVEL_LABELS, Government, Zone, ZonePack
from geo.status import status_on, status_text

__all__ = ["COMPARE_LAYER", "LAYERS", "LEVEL_COLOURS", "government_layer", "risk_map", "zone_layer"]

#: Fill colours by level (ColorBrewer RdYlBu, red = most serious).
LEVEL_COLOURS = {4: "#b2182b", 3: "#ef8a62", 2: "#fdb863", 1: "#92c5de"}
EXCEPTION_COLOUR = "#2166ac"
DISPLAY_TOLERANCE_DEG = 0.004  # about 450 m, enough for a country-wide map

COMPARE_LAYER = "Compare governments: where they disagree"
COMPARE_COLOUR = "#762a83"

#: Zones that are not a government's advice are drawn in the first overlay whose test they pass.
LAYERS: tuple[tuple[str, Callable[[Zone], bool]], ...] = (
    ("States of emergency", lambda z: "emergency" in z.categories),
    ("Illegal mining", lambda z: "illegal_mining" in z.categories),
    ("Coca-growing areas", lambda z: "coca" in z.categories),
    ("Other zones", lambda z: True),
)


def government_layer(government: Government) -> str:
    """The name of a government's base layer."""
    return f"{government.name}: its advice"


def zone_layer(zone: Zone, pack: ZonePack) -> str:
    """The name of the layer a zone is drawn in."""
    if zone.source in pack.governments:
        return government_layer(pack.governments[zone.source])
    return next(name for name, test in LAYERS if test(zone))


def _level_line(zone: Zone, government: Government | None) -> str:
    """The level in the zone's own government's words, or the U.S. labels for Peru's zones."""
    if government is None:
        return f"Level {zone.level}: {escape(LEVEL_LABELS[zone.level])}"
    native = zone.properties.get("native_level") or government.scale.get(str(zone.level), "")
    return (
        f"Level {zone.level} ({escape(government.name)}: &ldquo;{escape(str(native))}&rdquo;), "
        f"text of {escape(str(zone.properties.get('version', '')))}"
    )


def _popup(zone: Zone, status: str, government: Government | None = None) -> str:
    sources = "".join(
        f'<li><a href="{escape(s.url)}" target="_blank" rel="noopener noreferrer">{escape(s.title)}</a>'
        f"{' (' + escape(s.date) + ')' if s.date else ''}</li>"
        for s in zone.sources
    )
    return (
        f'<div class="rz-popup"><h3>{escape(zone.name)}</h3>'
        f'<p class="rz-level rz-level-{zone.level}">{_level_line(zone, government)}'
        f"{' (exception: inside it the parent zone does not apply)' if zone.kind == 'exception' else ''}</p>"
        f'<p class="rz-status">Status today: {escape(status_text(zone, status))}</p>'
        f"<p>{escape(zone.summary)}</p><p><strong>Advice:</strong> {escape(zone.advice)}</p>"
        f'<p class="rz-confidence">Confidence: {escape(zone.confidence)}</p>'
        f"<details><summary>Sources</summary><ul>{sources}</ul></details></div>"
    )


def _style(zone: Zone, status: str) -> dict[str, object]:
    colour = EXCEPTION_COLOUR if zone.kind == "exception" else LEVEL_COLOURS[zone.level]
    return {
        "color": colour,
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.15 if status != "in_force" else 0.35,
        # A lapsed emergency that is probably renewed is drawn dashed: not confirmed.
        "dashArray": "6 6" if status in ("unconfirmed", "expired", "not_yet") else None,
    }


def _legend(pack: ZonePack, day: dt.date) -> Element:
    rows = "".join(
        f'<li><span class="rz-swatch rz-swatch-{level}"></span>'
        f"Level {level}: {escape(LEVEL_LABELS[level])}</li>"
        for level in (4, 3, 2)
    )
    current = {c.source: c for c in currency(pack, day)}
    scales = "".join(
        f"<li><strong>{escape(g.name)}</strong>, text as of {escape(g.as_of.isoformat())}"
        f"{' (possibly outdated)' if current[code].possibly_outdated else ''}: "
        + "; ".join(f"{level} = {escape(words)}" for level, words in sorted(g.scale.items(), reverse=True))
        + "</li>"
        for code, g in pack.governments.items()
    )
    others = "".join(
        f"<li>{escape(c.source)}: newest source {escape(c.as_of or 'unknown')}"
        f"{' (possibly outdated)' if c.possibly_outdated else ''}</li>"
        for c in current.values()
        if c.source not in pack.governments
    )
    return Element(
        '<div id="rz-legend" class="rz-legend"><h4>Risk level</h4><ul>'
        f"{rows}"
        '<li><span class="rz-swatch rz-swatch-exception"></span>Exception (parent zone does not apply)</li>'
        '<li><span class="rz-swatch rz-swatch-dashed"></span>Emergency not confirmed in force</li>'
        '<li><span class="rz-swatch rz-swatch-compare"></span>Governments disagree (compare view)</li>'
        "</ul>"
        '<details class="rz-scales" open><summary>Each government&#39;s words and date</summary>'
        f"<ul>{scales}{others}</ul></details></div>"
    )


def _feature(zone: Zone, status: str, government: Government | None) -> folium.GeoJson:
    style = _style(zone, status)
    geometry = shapely.simplify(zone.geometry, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    # Popup and tooltip travel as properties; maps/static/popups.js binds them. folium's own
    # popups need jQuery and inline styles, which the page's policy does not allow.
    properties = {
        "id": zone.id,
        "level": zone.level,
        "status": status,
        "popup": _popup(zone, status, government),
        "tooltip": f"{zone.name} (level {zone.level})",
    }
    return folium.GeoJson(
        {"type": "Feature", "id": zone.id, "properties": properties, "geometry": mapping(geometry)},
        name=zone.name,
        style_function=lambda _f, style=style: style,
    )


def risk_map(
    index: ZoneIndex,
    *,
    date: str | dt.date | None = None,
    tiles: str | None = None,
    attribution: str | None = None,
    asset_base: str = "/assets",
) -> folium.Map:
    """The risk map of ``index``'s pack on ``date`` (default today).

    ``tiles`` is a tile URL template (none: zones and the country outline on a plain
    background); Leaflet is loaded from ``asset_base``, which the caller serves.
    """
    pack = index.pack
    day = pack.date(date)
    minx, miny, maxx, maxy = pack.coverage.bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=5,
        tiles=tiles,
        attr=attribution if tiles else None,
        control_scale=True,
    )
    # Only Leaflet, from the app: folium's other default assets come from CDNs.
    fmap.default_js = [("leaflet", f"{asset_base}/leaflet/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{asset_base}/leaflet/leaflet.css")]
    outline = shapely.simplify(pack.coverage, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    folium.GeoJson(
        mapping(outline),
        name="Country outline",
        style_function=lambda _f: {
            "color": "#555555",
            "weight": 1,
            "fillColor": "#f7f7f7",
            "fillOpacity": 0.6,
        },
        interactive=False,
        control=False,
    ).add_to(fmap)
    # One base layer per government (its zones of the text in force), the default shown.
    default = index.rule.default_advisory
    bases = {
        code: folium.FeatureGroup(name=government_layer(g), overlay=False, show=code == default)
        for code, g in pack.governments.items()
    }
    overlays = {name: folium.FeatureGroup(name=name) for name, _ in LAYERS}
    for code, group in bases.items():
        hidden = index.hidden(code, day)
        for position, zone in enumerate(pack.zones):
            if zone.source == code and position not in hidden:
                _feature(zone, status_on(zone, day), pack.governments[code]).add_to(group)
    for zone in pack.zones:
        if zone.source not in pack.governments:
            _feature(zone, status_on(zone, day), None).add_to(overlays[zone_layer(zone, pack)])
    compare = folium.FeatureGroup(name=COMPARE_LAYER, overlay=False, show=False)
    names = {code: g.name for code, g in pack.governments.items()}
    for area in disagreement_areas(index, day, DISPLAY_TOLERANCE_DEG):
        words = ", ".join(
            f"{names[code]} {level if level is not None else '-'}" for code, level in area.levels
        )
        folium.GeoJson(
            {
                "type": "Feature",
                "properties": {
                    "popup": '<div class="rz-popup"><h3>Governments disagree</h3>'
                    f"<p>{escape(words)}</p></div>",
                    "tooltip": f"Governments disagree: {words}",
                    "compare": True,
                },
                "geometry": mapping(area.geometry),
            },
            name="disagreement",
            style_function=lambda _f: {
                "color": COMPARE_COLOUR,
                "weight": 1,
                "fillColor": COMPARE_COLOUR,
                "fillOpacity": 0.45,
            },
        ).add_to(compare)
    for group in [*bases.values(), compare, *overlays.values()]:
        if group._children:
            group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.html.add_child(_legend(pack, day))
    # The page's script asks the API for the government whose layer is chosen.
    layers = {government_layer(g): code for code, g in pack.governments.items()}
    root.html.add_child(Element(f"<script>window.riskzonesGovernments = {json.dumps(layers)};</script>"))
    return fmap
