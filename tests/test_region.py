"""Peru's neighbours answered in their own packs (geo.engine.region).

The expected levels are read from the rule table the packs are built from
(``geo/definitions/neighbours/areas.csv``, the research's rows): for each named place, the area
each government's text puts it in (or none: its country row), and that row's level in the
version in force on the day asked. Where the research's own file is present
(``../shared/data/region/areas.csv``), the table's levels are checked against it too.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from geo.build.sources import DEFAULT_DEFINITIONS
from geo.engine.region import Region, default_region
from tests.clock import Clock

AREAS = DEFAULT_DEFINITIONS / "neighbours" / "areas.csv"
RESEARCH = Path(__file__).resolve().parents[2] / "shared" / "data" / "region" / "areas.csv"
DAY = "2026-08-22"  # the end of the archives the research read

#: Place -> (country, lon, lat, {government: the area (or areas) its text puts the place in}); a
#: government left out gives the place its country row's level.
PLACES: dict[str, tuple[str, float, float, dict[str, str | tuple[str, ...]]]] = {
    # In a zone.
    "Arauca": (
        "COL",
        -70.76,
        7.08,
        {
            "us": "us-departments-2026",
            "uk": "uk-arauca-all",
            "ca": "ca-arauca",
            "au": ("au-arauca", "au-venezuela-20km"),
        },
    ),
    "Cúcuta": (
        "COL",
        -72.505,
        7.894,
        {
            "us": "us-departments-2026",
            "uk": "uk-norte-de-santander",
            "ca": "ca-cucuta",
            "au": ("au-norte-de-santander", "au-venezuela-20km"),
        },
    ),
    "Esmeraldas": (
        "ECU",
        -79.6539,
        0.9592,
        {
            "us": "us-esmeraldas-north",
            "uk": "uk-coastal-provinces",
            "ca": "ca-esmeraldas",
            "au": "au-sucumbios-esmeraldas",
        },
    ),
    "Huaquillas": (
        "ECU",
        -80.23,
        -3.476,
        {"us": "us-huaquillas-arenillas", "uk": "uk-coastal-provinces", "ca": "ca-el-oro-cantons"},
    ),
    # In an exception: the exception's row gives the level that then applies.
    "Popayán": (
        "COL",
        -76.6147,
        2.4448,
        {
            "us": "us-popayan-exception",
            "uk": "uk-popayan-exception",
            "ca": "ca-popayan-exception",
            "au": "au-popayan-exception",
        },
    ),
    "Cali": (
        "COL",
        -76.5225,
        3.4372,
        {"us": "us-cali-exception", "ca": "ca-cali-exception", "au": "au-cali-exception"},
    ),
    # In a border band.
    "Tabatinga": ("BRA", -69.938, -4.252, {"us": "us-land-borders-160km", "ca": "ca-peru-20km"}),
    "Rio Branco": ("BRA", -67.81, -9.975, {"us": "us-land-borders-160km"}),
    # Country level only.
    "La Paz": ("BOL", -68.15, -16.50, {}),
    "Quito": ("ECU", -78.51, -0.22, {}),
    "Arica": ("CHL", -70.31, -18.48, {}),
    "Santiago": ("CHL", -70.65, -33.45, {}),
}


def _rows() -> list[dict[str, str]]:
    with AREAS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _in_force(row: dict[str, str], day: str) -> bool:
    return row["in_force_from"] <= day and (not row["superseded_on"] or day < row["superseded_on"])


def expected_level(
    rows: list[dict[str, str]], country: str, government: str, areas: tuple[str, ...], day: str
) -> int:
    """The level the table gives on ``day``: the highest of the areas' rows in force (an
    exception's row is the level that applies in it), else the country row's."""
    mine = [
        r for r in rows if r["country"] == country and r["government"] == government and _in_force(r, day)
    ]
    wanted = [r for r in mine if (r["area_id"] in areas if areas else r["kind"] == "country")]
    assert len(wanted) == max(1, len(areas)), (country, government, areas, day, wanted)
    return max(int(r["level"]) for r in wanted)


@pytest.fixture(scope="module")
def region() -> Region:
    return default_region()


@pytest.mark.parametrize("place", list(PLACES))
def test_named_places_get_each_governments_level_from_the_rules(region: Region, place: str) -> None:
    country, lon, lat, areas = PLACES[place]
    rows = _rows()
    answer = region.check_point(lon=lon, lat=lat, date=DAY)
    assert answer.covered and answer.country == country, place
    for government in answer.advisories:
        code = government.government
        named = areas.get(code, ())
        listed = (named,) if isinstance(named, str) else named
        assert government.level == expected_level(rows, country, code, listed, DAY), (place, code, listed)
        for area in listed:
            row = next(
                r for r in rows if r["area_id"] == area and r["country"] == country and _in_force(r, DAY)
            )
            if row["kind"] == "exception":  # the point is in the exception, so not in its parent
                assert row["parent"] in government.excepted, (place, code, government.excepted)
            else:
                assert area in government.areas, (place, code, government.areas)
        if not areas:
            assert government.areas == (), (place, code)  # country level only: no zone at all


def test_the_table_keeps_the_researchs_levels_and_dates() -> None:
    if not RESEARCH.is_file():
        pytest.skip(f"the research's file is not beside the repository ({RESEARCH})")
    with RESEARCH.open(encoding="utf-8", newline="") as handle:
        research = list(csv.DictReader(handle))
    ours = _rows()
    assert len(ours) == len(research)
    key = ("country", "government", "version", "kind", "level", "in_force_from", "superseded_on", "quote")
    assert sorted(tuple(r[k] for k in key) for r in ours) == sorted(
        tuple(r[k] for k in key) for r in research
    )


def test_chapare_is_drawn_as_an_unsure_approximation_and_answers_at_villa_tunari(region: Region) -> None:
    rows = _rows()
    answer = region.check_point(lon=-65.42, lat=-16.97, date=DAY)  # Villa Tunari
    assert answer.country == "BOL"
    by_code = {g.government: g for g in answer.advisories}
    for code in ("us", "uk", "ca"):
        chapare = [
            r for r in rows if r["country"] == "BOL" and r["government"] == code and "chapare" in r["area_id"]
        ]
        in_force = [r for r in chapare if _in_force(r, DAY)]
        assert len(in_force) == 1 and by_code[code].level == int(in_force[0]["level"])
        assert in_force[0]["area_id"] in by_code[code].areas
    assert answer.level == 4  # the U.S. headline: not "no zone here"
    hits = {z.id: z for z in answer.zones}
    assert all("UNSURE" in hits[z].confidence for z in hits if "chapare" in z)
    bolivia = region.country("BOL")
    assert bolivia is not None
    zone = bolivia.pack.zone("us-chapare-province")
    assert "UNSURE" in zone.properties["flags"] and zone.confidence.startswith("approximate")


def test_areas_not_drawn_are_named_on_answers_in_their_country_while_in_force(region: Region) -> None:
    bogota = {"lon": -74.08, "lat": 4.61}
    rows = [
        r
        for r in _rows()
        if r["country"] == "COL" and r["geometry_rule"] == "not_drawn" and r["kind"] == "zone"
    ]
    for day in ("2026-01-10", DAY):
        answer = region.check_point(**bogota, date=day)
        named = {(n.government, n.id) for n in answer.not_drawn}
        expected = {(r["government"], r["area_id"]) for r in rows if _in_force(r, day)}
        assert named == expected, day
        assert all(n.why and n.level in (1, 2, 3, 4) for n in answer.not_drawn)
    # The UK's "western part of Cauca" ended in May 2026: named in January, not in August.
    assert ("uk", "uk-west-cauca") in {
        (n.government, n.id) for n in region.check_point(**bogota, date="2026-01-10").not_drawn
    }
    assert "uk-west-cauca" not in {n.id for n in region.check_point(**bogota, date=DAY).not_drawn}


def test_a_point_outside_every_country_is_not_covered(region: Region) -> None:
    answer = region.check_point(lon=-30.0, lat=-10.0, date=DAY)  # the Atlantic
    assert not answer.covered and answer.country is None and answer.level is None
    assert answer.not_drawn == ()


def test_peru_is_answered_by_its_own_pack(region: Region) -> None:
    answer = region.check_point(lon=-73.8, lat=-12.5, date=DAY)  # Pichari, in the VRAEM
    assert answer.country == "PER" and answer.level == 4


def test_today_is_the_local_date_of_the_country_answered(
    region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 03:30 UTC on 22 August: 00:30 in São Paulo (UTC-3), but 23:30 on the 21st in Santiago
    # (UTC-4 in August) and 22:30 in Lima (UTC-5).
    Clock(monkeypatch, dt.datetime(2026, 8, 22, 3, 30, tzinfo=dt.UTC))
    assert region.check_point(lon=-70.65, lat=-33.45).date == "2026-08-21"  # Santiago
    assert region.check_point(lon=-46.63, lat=-23.55).date == "2026-08-22"  # 00:30 in São Paulo
    assert region.check_point(lon=-77.03, lat=-12.05).date == "2026-08-21"  # 22:30 in Lima
