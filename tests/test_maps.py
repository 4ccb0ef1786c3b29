"""The map builders without a browser: escaping, layers, page size, no third-party assets."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from html import escape

import folium

from geo.engine.index import default_index
from geo.pack import ZonePack, ZoneText
from maps import page, risk_map, zone_layer
from maps.colours import LEVEL_COLOURS, TEXT_COLOURS, level_colours
from maps.risk_map import _popup, government_layer


def test_popup_text_is_escaped(pack: ZonePack) -> None:
    zone = pack.zone("us-vraem")
    text = ZoneText(name='<img src=x onerror="alert(1)">', summary="<script>x</script>", advice=zone.advice)
    hostile = replace(zone, texts={"en": text})
    html = _popup(hostile, "in_force")
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_each_zone_has_one_layer(pack: ZonePack) -> None:
    layers = {z.id: zone_layer(z, pack) for z in pack.zones}
    # A government's zones and exceptions are its base layer; Peru's and the research's, overlays.
    for zone in pack.zones:
        if zone.source in pack.governments:
            assert layers[zone.id] == government_layer(pack.governments[zone.source])
    assert layers["us-vraem"] == layers["us-amazon-river-exception"] != layers["uk-vraem"]
    assert layers["pe-emg-pataz"] == "States of emergency"
    assert layers["pe-min-nanay"] == "Illegal mining"
    assert layers["pe-coca-huallaga"] == "Coca-growing areas"


def test_page_is_small_self_hosted_and_free_of_inline_code(pack: ZonePack) -> None:
    fmap = risk_map(default_index(), date="2026-11-27")
    assert isinstance(fmap, folium.Map)
    built = page(fmap, script_url="/map/init.js", style_url="/map/style.css", static_url="/static/maps")
    assert "<script>" not in built.html and "<style>" not in built.html and " style=" not in built.html
    assert not re.search(r'(src|href)="https?://', built.html)
    assert "cdn" not in built.html
    assert len(built.html) + len(built.script) + len(built.style) < 1_500_000 - 200_000  # room for Leaflet
    # Unconfirmed emergencies (on 2026-11-27) are drawn dashed.
    assert '"dashArray": "6 6"' in built.script


def test_maps_does_not_import_service() -> None:
    code = "import sys, maps; print('service' in sys.modules, 'flask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"


def test_configured_tiles_are_allowed_by_the_policy() -> None:
    from service import create_app

    app = create_app(
        {"TESTING": True, "TILES": "https://tiles.example.org/{z}/{x}/{y}.png", "TILES_ATTRIBUTION": "x"}
    )
    client = app.test_client()
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org" in policy
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in client.get("/map/init.js").get_data(as_text=True)


def test_each_government_is_a_base_layer_with_its_own_words(pack: ZonePack) -> None:
    built = page(
        risk_map(default_index(), date="2026-11-27"),
        script_url="/map/init.js",
        style_url="/map/style.css",
        static_url="/static/maps",
    )
    for government in pack.governments.values():
        assert government_layer(government) in built.script
        # The legend names its scale and the date of its newest text.
        assert government.as_of.isoformat() in built.html
        for words in government.scale.values():
            assert escape(words) in built.html
    # A U.S. zone's popup quotes the U.S. wording; a Canadian one the Canadian.
    assert "Level 4: Do Not Travel" in built.script and "Avoid all travel" in built.script
    assert "Compare governments" in built.script


def _contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (#rrggbb)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_level_colours_meet_wcag_aa_and_the_page_takes_them_from_the_table(pack: ZonePack) -> None:
    table = level_colours()
    for level, colours in table.items():
        assert _contrast(colours["text"], "#ffffff") >= 4.5, level  # words and lines on white
        assert _contrast(colours["ink"], colours["fill"]) >= 4.5, level  # a chip's number
    built = page(risk_map(default_index(), date="2026-12-01"), script_url="s", style_url="c", static_url="a")
    for level, fill in LEVEL_COLOURS.items():
        assert f".rz-swatch-{level} {{ background: {fill}; }}" in built.style
        assert f".rz-level-{level} {{ color: {TEXT_COLOURS[level]}; }}" in built.style
    assert "window.riskzonesColours = " + json.dumps(table) in built.script
