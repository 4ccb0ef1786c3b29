"""The definitions reach the answers: how current each text is (counted from the last day it was
seen unchanged), and the decrees of the ledger with how their dates were placed.

Expected values are read from ``geo/definitions`` (the build's input), not from the pack.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from geo.engine.advisories import OUTDATED_AFTER_DAYS
from geo.pack import ZonePack
from service.cli import main


def _verified(sources: Path) -> dict[str, dict[str, str]]:
    with (sources / "advisories" / "verified.csv").open(encoding="utf-8") as handle:
        return {row["government"]: row for row in csv.DictReader(handle)}


def _newest_text(sources: Path, government: str) -> str:
    with (sources / "advisories" / f"{government}.csv").open(encoding="utf-8") as handle:
        return max(row["version"] for row in csv.DictReader(handle))


def _point_in(pack: ZonePack, ubigeo: str) -> tuple[float, float]:
    district = next(d for d in pack.districts if d.ubigeo == ubigeo)
    point = district.geometry.representative_point()
    return point.x, point.y


def test_every_government_text_is_current_from_its_last_confirmation(pack: ZonePack, sources: Path) -> None:
    verified = _verified(sources)
    for code, government in pack.governments.items():
        newest = _newest_text(sources, code)
        assert government.as_of.isoformat() == newest
        # A text never seen again counts from its own date.
        expected = (
            verified[code]["verified_on"] if verified.get(code, {}).get("version") == newest else newest
        )
        assert government.verified_on.isoformat() == expected, code


@pytest.mark.parametrize(("day", "outdated"), [("2026-12-02", False), ("2027-03-01", True)])
def test_the_us_text_says_when_it_was_last_confirmed(
    client: FlaskClient, sources: Path, day: str, outdated: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    confirmed = _verified(sources)["us"]["verified_on"]
    issued = _newest_text(sources, "us")
    # The rule: more than OUTDATED_AFTER_DAYS after the last confirmation, not after the text's date.
    assert (
        (dt.date.fromisoformat(day) - dt.date.fromisoformat(confirmed)).days > OUTDATED_AFTER_DAYS
    ) is outdated
    assert (dt.date.fromisoformat(day) - dt.date.fromisoformat(issued)).days > OUTDATED_AFTER_DAYS
    body = client.get(f"/v1/check?lat=-13.53188&lon=-71.96701&date={day}").get_json()
    us = next(a for a in body["advisories"] if a["government"] == "us")
    assert (us["as_of"], us["verified_on"], us["possibly_outdated"]) == (issued, confirmed, outdated)
    currency = next(c for c in body["currency"] if c["source"] == "us")
    assert (currency["as_of"], currency["verified_on"], currency["possibly_outdated"]) == (
        issued,
        confirmed,
        outdated,
    )
    assert main(["check", "-13.53188", "-71.96701", "--date", day]) == 0
    out = capsys.readouterr().out
    assert f"newest read {issued}, last confirmed current on {confirmed}" in out
    assert ("POSSIBLY OUTDATED" in out.split("- us:")[1].splitlines()[0]) is outdated


def test_pack_and_health_expose_verification(client: FlaskClient, sources: Path) -> None:
    verified = _verified(sources)
    body = client.get("/v1/pack").get_json()
    us = next(g for g in body["advisories"] if g["code"] == "us")
    assert us["verified_on"] == verified["us"]["verified_on"]
    assert (
        next(v for v in us["versions"] if v["version"] == verified["us"]["version"])["verified_on"]
        == (verified["us"]["verified_on"])
    )


def _ledger_row(sources: Path, chain: str, decree: str) -> dict[str, Any]:
    with (sources / "decrees" / f"{chain}.csv").open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["decree"] == decree)


def test_a_decree_without_a_start_is_placed_and_says_how(
    client: FlaskClient, pack: ZonePack, sources: Path
) -> None:
    row = _ledger_row(sources, "pe-emg-vraem-drugs", "DS 143-2025-PCM")
    assert not row["start"] and row["published"] and row["days"]
    # The ledger's rule for a declaration with no start: from its publication day, for its days.
    start = dt.date.fromisoformat(row["published"])
    end = start + dt.timedelta(days=int(row["days"]) - 1)
    ubigeo = row["ubigeos"].split()[9]  # a district of La Mar (Ayacucho)
    assert ubigeo.startswith("0505")
    lon, lat = _point_in(pack, ubigeo)
    body = client.get(f"/v1/check?lat={lat}&lon={lon}&date=2026-01-10").get_json()
    zone = next(z for z in body["zones"] if z["id"] == "pe-emg-vraem-drugs")
    assert zone["status"] == "in_force"
    assert f"DS 143-2025-PCM, {start} to {end}" in zone["status_text"]
    assert "start taken as the publication day" in zone["status_text"]
    # Between the two decrees (no decree found), the declaration had lapsed.
    before = client.get(f"/v1/check?lat={lat}&lon={lon}&date=2025-11-15").get_json()
    assert next(z for z in before["zones"] if z["id"] == "pe-emg-vraem-drugs")["status"] == "expired"
