"""The map builders without a browser: escaping, layers, page size, no third-party assets."""

from __future__ import annotations

import re
import subprocess
import sys

import folium

from geo.pack import ZonePack
from maps import page, risk_map, zone_layer
from maps.risk_map import _popup


def test_popup_text_is_escaped(pack: ZonePack) -> None:
    zone = pack.zone("us-vraem")
    hostile = type(zone)(
        **{**zone.__dict__, "name": '<img src=x onerror="alert(1)">', "summary": "<script>x</script>"}
    )
    html = _popup(hostile, "in_force")
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_each_zone_has_one_layer(pack: ZonePack) -> None:
    layers = {z.id: zone_layer(z) for z in pack.zones}
    assert layers["us-vraem"] == layers["us-colombia-border"] == "Do-Not-Travel areas"
    assert layers["us-amazon-river-exception"] == "Exceptions"
    assert layers["pe-emg-pataz"] == "States of emergency"
    assert layers["pe-min-nanay"] == "Illegal mining"
    assert layers["pe-coca-huallaga"] == "Coca-growing areas"


def test_page_is_small_self_hosted_and_free_of_inline_code(pack: ZonePack) -> None:
    fmap = risk_map(pack, date="2026-11-27")
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
