"""The risk map: zones coloured by level, popups, a legend.

Each government's zones in force on the day are one base layer (choose one: its own words in
the popups); "Compare governments" shows where they disagree (``geo.engine.compare``); Peru's decrees
and the research zones are overlays, one per kind. The legend names each government's scale
and how current its text is.

Pure functions returning ``folium.Map``; nothing here reads configuration or writes files.
Display geometry is simplified for page size; lookups always use the full geometry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import folium
import shapely
from branca.element import Element, Figure
from shapely.geometry import mapping

from geo.engine.compare import disagreement_areas
from geo.engine.day import PackDay
from geo.engine.index import ZoneIndex
from geo.i18n import N_, _
from geo.pack import Government, Zone, ZonePack, level_label
from geo.pack.status import status_text
from maps.colours import COMPARE_COLOUR, EXCEPTION_COLOUR, LEVEL_COLOURS

__all__ = ["COMPARE_LAYER", "LAYERS", "LEVEL_COLOURS", "government_layer", "risk_map", "zone_layer"]

DISPLAY_TOLERANCE_DEG = 0.004  # about 450 m, enough for a country-wide map

COMPARE_LAYER = N_("Compare governments: where they disagree")

#: Zones that are not a government's advice are drawn in the first overlay whose test they pass.
LAYERS: tuple[tuple[str, Callable[[Zone], bool]], ...] = (
    (N_("States of emergency"), lambda z: "emergency" in z.categories),
    (N_("Illegal mining"), lambda z: "illegal_mining" in z.categories),
    (N_("Coca-growing areas"), lambda z: "coca" in z.categories),
    (N_("Other zones"), lambda z: True),
)


def government_layer(government: Government) -> str:
    """The name of a government's base layer."""
    return _("{government}: its advice", government=government.name)


def zone_layer(zone: Zone, pack: ZonePack) -> str:
    """The name of the layer a zone is drawn in."""
    if zone.source in pack.governments:
        return government_layer(pack.governments[zone.source])
    return _(next(name for name, test in LAYERS if test(zone)))


def _level_line(zone: Zone, government: Government | None) -> str:
    """The level in the zone's own government's words, or the U.S. labels for Peru's zones."""
    if government is None:
        return _("Level {level}: {label}", level=zone.level, label=escape(str(level_label(zone.level))))
    native = zone.properties.get("native_level") or government.scale.get(str(zone.level), "")
    return _(
        "Level {level} ({government}: &ldquo;{words}&rdquo;), text of {version}",
        level=zone.level,
        government=escape(government.name),
        words=escape(str(native)),
        version=escape(str(zone.properties.get("version", ""))),
    )


def _popup(zone: Zone, status: str, government: Government | None = None) -> str:
    sources = "".join(
        f'<li><a href="{escape(s.url)}" target="_blank" rel="noopener noreferrer">{escape(s.title)}</a>'
        f"{' (' + escape(s.date) + ')' if s.date else ''}</li>"
        for s in zone.sources
    )
    exception = (
        _(" (exception: inside it the parent zone does not apply)") if zone.kind == "exception" else ""
    )
    today = _("Status today: {status}", status=escape(status_text(zone, status)))
    advice, named = _("Advice:"), _("Sources")
    confidence = _("Confidence: {confidence}", confidence=escape(zone.confidence))
    return (
        f'<div class="rz-popup"><h3>{escape(zone.name)}</h3>'
        f'<p class="rz-level rz-level-{zone.level}">{_level_line(zone, government)}'
        f"{exception}</p>"
        f'<p class="rz-status">{today}</p>'
        f"<p>{escape(zone.summary)}</p><p><strong>{advice}</strong> {escape(zone.advice)}</p>"
        f'<p class="rz-confidence">{confidence}</p>'
        f"<details><summary>{named}</summary><ul>{sources}</ul></details></div>"
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


def _legend(today: PackDay) -> Element:
    pack = today.pack

    def level_row(level: int) -> str:
        label = _("Level {level}: {label}", level=level, label=escape(str(level_label(level))))
        return f'<li><span class="rz-swatch rz-swatch-{level}"></span>{label}</li>'

    outdated = _(" (possibly outdated)")
    current = {c.source: c for c in today.currency}

    def scale_row(code: str, government: Government) -> str:
        as_of = _(
            "text of {day}, last confirmed current on {verified}",
            day=escape(government.as_of.isoformat()),
            verified=escape(government.verified_on.isoformat()),
        )
        words = "; ".join(f"{k} = {escape(w)}" for k, w in sorted(government.scale.items(), reverse=True))
        late = outdated if current[code].possibly_outdated else ""
        return f"<li><strong>{escape(government.name)}</strong>, {as_of}{late}: {words}</li>"

    def source_row(source: str, as_of: str | None, late: bool) -> str:
        newest = _("newest source {day}", day=escape(as_of or _("unknown")))
        return f"<li>{escape(source)}: {newest}{outdated if late else ''}</li>"

    rows = "".join(level_row(level) for level in (4, 3, 2))
    scales = "".join(scale_row(code, g) for code, g in pack.governments.items())
    others = "".join(
        source_row(c.source, c.as_of, c.possibly_outdated)
        for c in current.values()
        if c.source not in pack.governments
    )
    swatches = (
        ("exception", _("Exception (parent zone does not apply)")),
        ("dashed", _("Emergency not confirmed in force")),
        ("compare", _("Governments disagree (compare view)")),
    )
    keys = "".join(f'<li><span class="rz-swatch rz-swatch-{k}"></span>{text}</li>' for k, text in swatches)
    title, words = _("Risk level"), _("Each government's words and date")
    return Element(
        f'<details id="rz-legend" class="rz-legend" open><summary>{title}</summary><ul>{rows}{keys}</ul>'
        f'<details class="rz-scales"><summary>{escape(words)}</summary>'
        f"<ul>{scales}{others}</ul></details></details>"
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
        "tooltip": _("{zone} (level {level})", zone=zone.name, level=zone.level),
    }
    return folium.GeoJson(
        {"type": "Feature", "id": zone.id, "properties": properties, "geometry": mapping(geometry)},
        name=zone.name,
        style_function=lambda _f, style=style: style,
    )


#: The Leaflet pane of the base layer: below the zones' overlay pane, never clickable.
BASE_PANE = "rz-base"
#: The neighbours' names on the base layer, by ISO 3166 numeric code.
COUNTRY_NAMES = {
    "068": N_("Bolivia"),
    "076": N_("Brazil"),
    "152": N_("Chile"),
    "170": N_("Colombia"),
    "218": N_("Ecuador"),
}


def _base_layer(pack: ZonePack) -> list[dict[str, Any]]:
    """The pack's offline base layer (``basemap.geojson``: neighbours, departments, rivers,
    towns); empty for a pack without one."""
    if "basemap" not in pack.files:
        return []
    return list(json.loads(pack.read_file("basemap"))["features"])


def _lines(base: list[dict[str, Any]], kind: str, style: dict[str, Any]) -> folium.GeoJson:
    """The base layer's features of ``kind``, drawn with ``style``, not clickable."""
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": [f for f in base if f["properties"]["kind"] == kind]},
        name=kind,
        style_function=lambda _f: style,
        interactive=False,
        control=False,
        pane=BASE_PANE,
    )


def _labels(fmap: folium.Map, base: list[dict[str, Any]]) -> None:
    """The names of the base layer for maps/static/labels.js: countries, departments, lakes and
    towns (each town with its population, which decides from what zoom it is named)."""
    names: dict[str, list[list[Any]]] = {"countries": [], "departments": [], "lakes": [], "towns": []}
    for feature in base:
        properties = feature["properties"]
        if properties["kind"] == "country" and properties["iso_n3"] in COUNTRY_NAMES:
            lon, lat = properties["label"]
            names["countries"].append([_(COUNTRY_NAMES[properties["iso_n3"]]), lat, lon])
        elif properties["kind"] in ("department", "lake"):
            lon, lat = properties["label"]
            names[properties["kind"] + "s"].append([properties["name"], lat, lon])
        elif properties["kind"] == "town":
            lon, lat = feature["geometry"]["coordinates"]
            names["towns"].append([properties["name"], lat, lon, properties["population"]])
    script = f"window.riskzonesLabels = {json.dumps(names, ensure_ascii=False)};"
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.script.add_child(Element(script))


def risk_map(
    index: ZoneIndex,
    *,
    date: str | dt.date | None = None,
    tiles: str | None = None,
    attribution: str | None = None,
    asset_base: str = "/assets",
    neighbours: Sequence[ZoneIndex] = (),
) -> folium.Map:
    """The risk map of ``index``'s pack on ``date`` (default today), with the zones of the
    ``neighbours``' packs (each on its own date for ``date``) in the same government layers and
    compare view.

    ``tiles`` is a tile URL template (none: zones and the country outline on a plain
    background); Leaflet is loaded from ``asset_base``, which the caller serves.
    """
    pack = index.pack
    day = pack.date(date)
    today = index.on(day)
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
    base = _base_layer(pack)
    folium.map.CustomPane(BASE_PANE, z_index=350, pointer_events=False).add_to(fmap)
    _lines(
        base, "country", {"color": "#9a9a9a", "weight": 1, "fillColor": "#e9e7df", "fillOpacity": 1}
    ).add_to(fmap)
    outline = shapely.simplify(pack.coverage, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    folium.GeoJson(
        mapping(outline),
        name=_("Country outline"),
        style_function=lambda _f: {
            "color": "#555555",
            "weight": 1,
            "fillColor": "#f7f7f7",
            "fillOpacity": 0.6,
        },
        interactive=False,
        control=False,
    ).add_to(fmap)
    _lines(base, "department", {"color": "#8a8a8a", "weight": 1, "dashArray": "4 3", "fill": False}).add_to(
        fmap
    )
    _lines(base, "river", {"color": "#5b8fc7", "weight": 1.4, "fill": False}).add_to(fmap)
    _lines(base, "lake", {"color": "#5b8fc7", "weight": 1, "fillColor": "#b5d0ec", "fillOpacity": 1}).add_to(
        fmap
    )
    _labels(fmap, base)
    # One base layer per government (its zones of the text in force), the default shown.
    default = index.rule.default_advisory
    bases = {
        code: folium.FeatureGroup(name=government_layer(g), overlay=False, show=code == default)
        for code, g in pack.governments.items()
    }
    overlays = {_(name): folium.FeatureGroup(name=_(name)) for name, _test in LAYERS}
    served = [(index, today), *((n, n.on(n.pack.date(date))) for n in neighbours)]
    for code, group in bases.items():
        for where, its_day in served:
            hidden = its_day.hidden(code)
            for position, zone in enumerate(where.pack.zones):
                if zone.source == code and position not in hidden and code in where.pack.governments:
                    _feature(zone, its_day.status[position], where.pack.governments[code]).add_to(group)
    for position, zone in enumerate(pack.zones):
        if zone.source not in pack.governments:
            _feature(zone, today.status[position], None).add_to(overlays[zone_layer(zone, pack)])
    compare = folium.FeatureGroup(name=_(COMPARE_LAYER), overlay=False, show=False)
    disagree = _("Governments disagree")
    names = {code: g.name for code, g in pack.governments.items()}
    areas = [
        area
        for where, its_day in served
        for area in disagreement_areas(where, its_day.day, DISPLAY_TOLERANCE_DEG)
    ]
    for area in areas:
        words = ", ".join(
            f"{names[code]} {level if level is not None else '-'}" for code, level in area.levels
        )
        folium.GeoJson(
            {
                "type": "Feature",
                "properties": {
                    "popup": f'<div class="rz-popup"><h3>{disagree}</h3><p>{escape(words)}</p></div>',
                    "tooltip": _("Governments disagree: {levels}", levels=words),
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
    root.html.add_child(_legend(today))
    # The page's script asks the API for the government whose layer is chosen.
    layers = {government_layer(g): code for code, g in pack.governments.items()}
    root.html.add_child(Element(f"<script>window.riskzonesGovernments = {json.dumps(layers)};</script>"))
    return fmap
