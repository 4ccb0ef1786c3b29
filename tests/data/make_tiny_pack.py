"""Write the hand-made test pack ``tests/data/tiny`` (run: python tests/data/make_tiny_pack.py).

Coverage is the box lon -75..-70, lat -15..-10, split into two districts at lon -72.5:
- ``t-square`` (level 4): lon -74..-73, lat -14..-13;
- ``t-river`` (exception of ``t-square``): lon -73.6..-73.4, lat -14..-13;
- ``t-holed`` (level 2): lon -72..-71, lat -14..-13, with a hole lon -71.7..-71.3, lat -13.7..-13.3;
- ``t-expired`` (level 3): lon -74..-73, lat -12..-11, valid 2020-01-01..2020-03-01, never renewed;
- ``t-renewed`` (level 3): lon -72..-71, lat -12..-11, valid 2026-02-05..2026-04-05, renewed since
  2023.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shapely.geometry import Polygon, box

from geo.build.writer import feature_collection, write_pack

HERE = Path(__file__).resolve().parent
SOURCE = {"title": "test source", "url": "https://example.org/source", "date": "2026-01-01"}


def _zone(zone_id: str, geometry: Polygon, **overrides: Any) -> dict[str, Any]:
    properties = {
        "id": zone_id,
        "name": zone_id.replace("-", " ").title(),
        "kind": "zone",
        "parent": None,
        "level": 2,
        "categories": ["crime"],
        "basis": "indicative",
        "summary": f"summary of {zone_id}",
        "advice": f"advice for {zone_id}",
        "sources": [SOURCE],
        "valid_from": None,
        "valid_until": None,
        "renewed_since": None,
        "confidence": "test",
        "notes": [],
        "built_from": "hand-made",
    }
    properties.update(overrides)
    return {"properties": properties, "geometry": geometry}


def main() -> None:
    hole = [(-71.7, -13.7), (-71.3, -13.7), (-71.3, -13.3), (-71.7, -13.3)]
    zones = [
        _zone("t-square", box(-74, -14, -73, -13), level=4, basis="official-advisory"),
        _zone("t-river", box(-73.6, -14, -73.4, -13), kind="exception", parent="t-square"),
        _zone("t-holed", Polygon(box(-72, -14, -71, -13).exterior.coords, [hole]), categories=["coca"]),
        _zone(
            "t-expired",
            box(-74, -12, -73, -11),
            level=3,
            categories=["emergency"],
            basis="government-decree",
            valid_from="2020-01-01",
            valid_until="2020-03-01",
        ),
        _zone(
            "t-renewed",
            box(-72, -12, -71, -11),
            level=3,
            categories=["emergency"],
            basis="government-decree",
            valid_from="2026-02-05",
            valid_until="2026-04-05",
            renewed_since=2023,
        ),
    ]
    districts = [
        {
            "properties": {
                "ubigeo": code,
                "district": name,
                "province": "P",
                "department": "D",
                "capital": name,
            },
            "geometry": geometry,
        }
        for code, name, geometry in (
            ("010101", "West", box(-75, -15, -72.5, -10)),
            ("010102", "East", box(-72.5, -15, -70, -10)),
        )
    ]
    files = {
        "zones.geojson": feature_collection(zones),
        "coverage.geojson": feature_collection(
            [{"properties": {"id": "tiny"}, "geometry": box(-75, -15, -70, -10)}]
        ),
        "districts.geojson": feature_collection(districts),
    }
    metadata = {
        "id": "tiny",
        "name": "Tiny test pack",
        "version": "2026-01-01",
        "timezone": "America/Lima",
        "baseline": {
            "level": 2,
            "summary": "baseline",
            "advice": ["baseline advice"],
            "contacts": [{"name": "Police", "number": "105"}],
        },
        "sources": [],
    }
    write_pack(HERE / "tiny", files, metadata)


if __name__ == "__main__":
    main()
