"""The risk map: zones coloured by level, one layer per kind of zone, popups, a legend.

Pure functions returning ``folium.Map``; nothing here reads configuration or writes files.
Display geometry is simplified for page size; lookups always use the full geometry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

import folium
import shapely
from branca.element import Element, Figure
from shapely.geometry import mapping

from geo.pack import LEVEL_LABELS, Zone, ZonePack
from geo.status import status_on, status_text

__all__ = ["LAYERS", "LEVEL_COLOURS", "risk_map", "zone_layer"]

#: Fill colours by level (ColorBrewer RdYlBu, red = most serious).
LEVEL_COLOURS = {4: "#b2182b", 3: "#ef8a62", 2: "#fdb863", 1: "#92c5de"}
EXCEPTION_COLOUR = "#2166ac"
DISPLAY_TOLERANCE_DEG = 0.004  # about 450 m, enough for a country-wide map

#: Each zone is drawn in the first layer whose test it passes.
LAYERS: tuple[tuple[str, Callable[[Zone], bool]], ...] = (
    ("Do-Not-Travel areas", lambda z: z.kind == "zone" and z.level == 4),
    ("Exceptions", lambda z: z.kind == "exception"),
    ("States of emergency", lambda z: "emergency" in z.categories),
    ("Illegal mining", lambda z: "illegal_mining" in z.categories),
    ("Coca-growing areas", lambda z: "coca" in z.categories),
    ("Other zones", lambda z: True),
)


def zone_layer(zone: Zone) -> str:
    """The name of the layer a zone is drawn in."""
    return next(name for name, test in LAYERS if test(zone))


def _popup(zone: Zone, status: str) -> str:
    sources = "".join(
        f'<li><a href="{escape(s.url)}" target="_blank" rel="noopener noreferrer">{escape(s.title)}</a>'
        f"{' (' + escape(s.date) + ')' if s.date else ''}</li>"
        for s in zone.sources
    )
    return (
        f'<div class="rz-popup"><h3>{escape(zone.name)}</h3>'
        f'<p class="rz-level rz-level-{zone.level}">Level {zone.level}: {escape(LEVEL_LABELS[zone.level])}'
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


def _legend() -> Element:
    rows = "".join(
        f'<li><span class="rz-swatch rz-swatch-{level}"></span>'
        f"Level {level}: {escape(LEVEL_LABELS[level])}</li>"
        for level in (4, 3, 2)
    )
    return Element(
        '<div id="rz-legend" class="rz-legend"><h4>Risk level</h4><ul>'
        f"{rows}"
        '<li><span class="rz-swatch rz-swatch-exception"></span>Exception (parent zone does not apply)</li>'
        '<li><span class="rz-swatch rz-swatch-dashed"></span>Emergency not confirmed in force</li>'
        "</ul></div>"
    )


def risk_map(
    pack: ZonePack,
    *,
    date: str | dt.date | None = None,
    tiles: str | None = None,
    attribution: str | None = None,
    asset_base: str = "/assets",
) -> folium.Map:
    """The risk map of ``pack`` on ``date`` (default today).

    ``tiles`` is a tile URL template (none: zones and the country outline on a plain
    background); Leaflet is loaded from ``asset_base``, which the caller serves.
    """
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
    groups = {name: folium.FeatureGroup(name=name) for name, _ in LAYERS}
    for zone in pack.zones:
        status = status_on(zone, day)
        style = _style(zone, status)
        geometry = shapely.simplify(zone.geometry, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
        # Popup and tooltip travel as properties; maps/static/popups.js binds them. folium's
        # own popups need jQuery and inline styles, which the page's policy does not allow.
        properties = {
            "id": zone.id,
            "level": zone.level,
            "status": status,
            "popup": _popup(zone, status),
            "tooltip": f"{zone.name} (level {zone.level})",
        }
        layer = folium.GeoJson(
            {"type": "Feature", "id": zone.id, "properties": properties, "geometry": mapping(geometry)},
            name=zone.name,
            style_function=lambda _f, style=style: style,
        )
        layer.add_to(groups[zone_layer(zone)])
    for group in groups.values():
        if group._children:
            group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.html.add_child(_legend())
    return fmap
