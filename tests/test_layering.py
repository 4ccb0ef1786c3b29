"""geo is the bottom layer: importing it must not pull in flask, folium, service or maps."""

import subprocess
import sys


def test_geo_imports_neither_flask_nor_folium() -> None:
    code = (
        "import sys, geo, geo.pack, geo.errors, geo.build, geo.index, geo.batch\n"
        "print(sorted(m for m in ('flask', 'folium', 'service', 'maps') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
