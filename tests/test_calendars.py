"""Calendars in: iCalendar files as TripIt, Google Calendar and Outlook write them become dated
stops and flight legs; what cannot be placed is listed with its candidates; hostile calendars
are refused cheaply; the icalendar project's own test calendars (real exports of Google and
Outlook among them) are read or refused with a clear message, never a crash."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from geo.errors import InputFormatError
from geo.io.calendars import (
    MAX_CALENDAR_BYTES,
    MAX_DEPTH,
    MAX_EVENTS,
    MAX_OCCURRENCES,
    MAX_PROPERTY_CHARS,
    RECURRENCE_WINDOW_DAYS,
    read_calendar,
)
from geo.pack import load_default_pack
from geo.trips.calendar import itinerary_input
from geo.trips.gazetteer import Gazetteer
from service.cli import main
from tests.clock import Clock
from tests.conftest import assert_problem

CALENDARS = Path(__file__).parent / "data" / "calendars"
MADE = CALENDARS / "made"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_pack(load_default_pack())


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    Clock(monkeypatch, dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC))


def _read(name: str, gazetteer: Gazetteer) -> Any:
    return itinerary_input((MADE / name).read_bytes(), "ics", gazetteer, "America/Lima")


def _ics(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\nUID:{i}@test\r\n{e}END:VEVENT\r\n" for i, e in enumerate(events))
    header = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//riskzones tests//EN\r\n"
    return f"{header}{head}{body}END:VCALENDAR\r\n".encode()


# What each calendar holds, read off the file by hand: (stop, date), and the legs' modes.
EXPECTED = {
    "tripit.ics": (
        [
            ({"lat": -12.046374, "lon": -77.042793, "name": "Peru, January 2027"}, "2027-01-10"),
            ({"airport": "LIM"}, "2027-01-10"),
            ({"airport": "CUZ"}, "2027-01-10"),
            ({"lat": -13.5155, "lon": -71.9783, "name": "Check-in: Hotel Monasterio"}, "2027-01-10"),
            # 03:30 UTC on the 14th is 22:30 on the 13th in Lima: dated in the pack's zone.
            ({"airport": "CUZ"}, "2027-01-13"),
            ({"airport": "LIM"}, "2027-01-13"),
            ({"airport": "LIM"}, "2027-01-15"),
            ({"airport": "IQT"}, "2027-01-15"),
        ],
        ["road", "flight", "road", "road", "flight", "road", "flight"],
    ),
    "google.ics": (
        [
            ({"airport": "LIM"}, "2027-01-12"),
            ({"place": "Ayacucho", "name": "Flight to Ayacucho (LA 2330)"}, "2027-01-12"),
            ({"place": "Ayacucho", "name": "Stay at Hotel Santa Rosa"}, "2027-01-12"),
            ({"place": "Pichari, Cusco", "name": "Field visit"}, "2027-01-14"),
            ({"place": "Pichari, Cusco", "name": "Field visit"}, "2027-01-15"),  # RRULE COUNT=2
        ],
        ["flight", "road", "road", "road"],
    ),
    "outlook.ics": (
        [
            # Windows time zone names ("SA Pacific Standard Time") are read; the all-day hotel
            # stay follows the morning flight that gets there.
            ({"airport": "LIM"}, "2027-01-20"),
            ({"airport": "IQT"}, "2027-01-20"),
            ({"place": "Iquitos, Loreto", "name": "Hotel Victoria Regia"}, "2027-01-20"),
            ({"place": "Caballococha, Loreto", "name": "Lancha a Caballococha"}, "2027-01-22"),
        ],
        ["flight", "road", "road"],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_calendars_of_three_programs_give_their_stops_and_legs(name: str, gazetteer: Gazetteer) -> None:
    stops, modes = EXPECTED[name]
    trip = _read(name, gazetteer)
    assert trip.document["stops"] == [{**stop, "date": day} for stop, day in stops]
    assert [leg["mode"] for leg in trip.document["legs"]] == modes


def test_what_cannot_be_placed_is_listed_with_its_candidates(gazetteer: Gazetteer) -> None:
    google = {u.event: u for u in _read("google.ics", gazetteer).unplaced}
    assert set(google) == {"Meeting with the cooperative", "Call with the office"}
    ambiguous = google["Meeting with the cooperative"]
    assert "several places" in ambiguous.reason and ambiguous.date == "2027-01-16"
    assert len(ambiguous.candidates) > 1
    assert {p.name for p in ambiguous.candidates} == {"Santa Rosa"}
    assert "gazetteer" in google["Call with the office"].reason
    # "Santa Rosa, Loreto": the gazetteer has no Santa Rosa in Loreto, so none elsewhere is offered.
    (outlook,) = _read("outlook.ics", gazetteer).unplaced
    assert outlook.event == "Visita a Santa Rosa" and "no place" in outlook.reason
    assert all(p.department == "Loreto" for p in outlook.candidates)


def test_a_calendar_itinerary_answers_as_the_same_stops_sent_as_json(client: FlaskClient) -> None:
    stops, modes = EXPECTED["outlook.ics"]
    document = {
        "stops": [{**stop, "date": day} for stop, day in stops],
        "legs": [{"mode": m} for m in modes],
    }
    ics = client.post("/v1/itinerary", data=(MADE / "outlook.ics").read_bytes(), content_type="text/calendar")
    sent = client.post("/v1/itinerary", json=document)
    assert ics.status_code == 200 and sent.status_code == 200, ics.get_data(as_text=True)
    a, b = ics.get_json(), sent.get_json()
    assert a["stops"] == b["stops"] and a["legs"] == b["legs"]
    assert a["verdict"] == b["verdict"] == "do_not_travel"
    # The unplaced event is in the answer, which then asks for review; the JSON one is not.
    assert [u["event"] for u in a["unplaced"]] == ["Visita a Santa Rosa"]
    assert a["needs_review"] and "unplaced" not in b
    assert any("Visita a Santa Rosa" in r for r in a["reasons"])


def test_a_stop_by_airport_code(client: FlaskClient) -> None:
    answer = client.post("/v1/itinerary", json={"stops": [{"airport": "cuz", "date": "2027-01-10"}]})
    assert answer.status_code == 200
    (stop,) = answer.get_json()["stops"]
    assert stop["place"]["kind"] == "airport" and stop["place"]["district"] == "Wanchaq"
    assert stop["name"].endswith("(CUZ)")
    unknown = client.post("/v1/itinerary", json={"stops": [{"airport": "MIA", "date": "2027-01-10"}]})
    assert_problem(unknown, 400, "stops[0].airport", "not an airport in Peru")


def test_flights_with_one_end_abroad_keep_the_end_in_peru(gazetteer: Gazetteer) -> None:
    raw = _ics(
        "DTSTART:20270110T020000Z\r\nSUMMARY:AA917 MIA to LIM\r\n",
        "DTSTART:20270120T020000Z\r\nSUMMARY:LA2470 LIM to BOG\r\n",
        "DTSTART:20270121T020000Z\r\nSUMMARY:AV10 BOG to MAD\r\n",
    )
    trip = itinerary_input(raw, "ics", gazetteer, "America/Lima")
    assert trip.document["stops"] == [
        {"airport": "LIM", "date": "2027-01-09"},
        {"airport": "LIM", "date": "2027-01-19"},
    ]
    reasons = [u.reason for u in trip.unplaced]
    assert any("MIA is not an airport in Peru" in r for r in reasons)
    assert any("BOG is not an airport or place in Peru" in r for r in reasons)
    assert any("no end in Peru (BOG to MAD)" in r for r in reasons)


def test_events_follow_each_other_by_their_time_in_peru(gazetteer: Gazetteer) -> None:
    # 23:00 in Lima is 04:00 UTC the next day; 10:00 in Lima is 15:00 UTC. Written with
    # Lima's time zone (as Google writes them), the evening event still comes after the
    # morning one, and an event written in UTC falls on its date in Lima.
    raw = _ics(
        "DTSTART;TZID=America/Lima:20270110T230000\r\nSUMMARY:Night bus\r\nLOCATION:Ayacucho\r\n",
        "DTSTART;TZID=America/Lima:20270110T100000\r\nSUMMARY:Museum\r\nLOCATION:Huamanga, Ayacucho\r\n",
        "DTSTART:20270112T030000Z\r\nSUMMARY:Market\r\nLOCATION:Pichari\r\n",
    )
    trip = itinerary_input(raw, "ics", gazetteer, "America/Lima")
    assert [(s["name"], s["date"]) for s in trip.document["stops"]] == [
        ("Museum", "2027-01-10"),
        ("Night bus", "2027-01-10"),
        ("Market", "2027-01-11"),
    ]


def test_a_calendar_with_nothing_to_place_is_refused_with_each_event(gazetteer: Gazetteer) -> None:
    raw = _ics("DTSTART:20270110T120000Z\r\nSUMMARY:Dentist\r\n")
    with pytest.raises(InputFormatError, match="no event of the calendar could be placed: Dentist"):
        itinerary_input(raw, "ics", gazetteer, "America/Lima")


def test_the_command_line_reads_a_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["itinerary", str(MADE / "google.ics")])
    out = capsys.readouterr().out
    assert code == 3  # level 4 at Pichari
    assert "Field visit" in out
    assert "Meeting with the cooperative: it could be Santa Rosa" in out


# --- repeats ---------------------------------------------------------------------------------


def test_a_repeat_is_expanded_with_its_exceptions() -> None:
    raw = _ics(
        "DTSTART;VALUE=DATE:20270104\r\nSUMMARY:Visit\r\nRRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO,TH\r\n"
        "EXDATE;VALUE=DATE:20270107\r\n"
    )
    assert [e.start for e in read_calendar(raw)] == [
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 11),
        dt.date(2027, 1, 14),
    ]


def test_a_moved_occurrence_replaces_the_one_it_moves() -> None:
    raw = _ics(
        "DTSTART;VALUE=DATE:20270104\r\nSUMMARY:Visit\r\nRRULE:FREQ=DAILY;COUNT=3\r\n",
        "DTSTART;VALUE=DATE:20270110\r\nRECURRENCE-ID;VALUE=DATE:20270105\r\nSUMMARY:Visit moved\r\n",
    )
    # Both events share no UID here (the helper numbers them), so give them one.
    raw = raw.replace(b"UID:1@test", b"UID:0@test")
    assert [(e.summary, e.start) for e in read_calendar(raw)] == [
        ("Visit", dt.date(2027, 1, 4)),
        ("Visit", dt.date(2027, 1, 6)),
        ("Visit moved", dt.date(2027, 1, 10)),
    ]


def test_repeats_are_bounded_by_window_and_count() -> None:
    forever = _ics("DTSTART;VALUE=DATE:20270101\r\nSUMMARY:Daily\r\nRRULE:FREQ=DAILY\r\n")
    events = read_calendar(forever)
    assert len(events) == RECURRENCE_WINDOW_DAYS + 1
    assert events[-1].start == dt.date(2027, 1, 1) + dt.timedelta(days=RECURRENCE_WINDOW_DAYS)
    assert events[0].note and "later repeats are not checked" in events[0].note
    many = _ics(*(f"DTSTART;VALUE=DATE:20270101\r\nSUMMARY:E{i}\r\nRRULE:FREQ=DAILY\r\n" for i in range(5)))
    events = read_calendar(many)
    assert len(events) <= MAX_OCCURRENCES + 5
    assert any(e.note and "later repeats are not checked" in e.note for e in events)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;COUNT=100000000",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",  # never happens: unbounded search in dateutil
        "FREQ=DAILY;BYSETPOS=-1;BYHOUR=1,2,3",
    ],
)
def test_an_unbounded_repeat_keeps_its_first_occurrence_and_says_so(rule: str) -> None:
    (event,) = read_calendar(_ics(f"DTSTART:20270101T100000Z\r\nSUMMARY:X\r\nRRULE:{rule}\r\n"))
    assert event.start == dt.datetime(2027, 1, 1, 10, tzinfo=dt.UTC)
    assert event.note and "only its first occurrence is checked" in event.note


# --- hostile calendars -----------------------------------------------------------------------


def _refused(raw: bytes, fragment: str) -> None:
    with pytest.raises(InputFormatError, match=fragment):
        read_calendar(raw)


def test_hostile_calendars_are_refused_before_parsing() -> None:
    _refused(b"BEGIN:VCALENDAR\r\n" + b"X" * MAX_CALENDAR_BYTES, "the limit is")
    deep = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * (MAX_DEPTH + 1)
    _refused(deep, "nest more than")
    _refused(_ics(*["DTSTART:20270101T100000Z\r\n"] * (MAX_EVENTS + 1)), "more than")
    long_line = _ics("DTSTART:20270101T100000Z\r\nSUMMARY:" + "a" * 70 + "\r\n" + " b" * MAX_PROPERTY_CHARS)
    _refused(long_line, "longer than")
    _refused(b"\xff\xfe not text", "UTF-8")
    _refused(b"hello", "not an iCalendar file")


def test_hostile_calendars_get_a_400_from_the_api(client: FlaskClient) -> None:
    deep = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 10_000
    assert_problem(client.post("/v1/itinerary", data=deep, content_type="text/calendar"), 400, "nest")
    huge = _ics("DTSTART:20270101T100000Z\r\n") + b" " * MAX_CALENDAR_BYTES
    assert_problem(client.post("/v1/itinerary", data=huge, content_type="text/calendar"), 400, "limit")


# --- the icalendar project's test calendars --------------------------------------------------


def _corpus() -> list[dict[str, str]]:
    with (CALENDARS / "SOURCES.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _corpus(), ids=lambda r: r["file"])
def test_calendars_written_by_other_software(row: dict[str, str]) -> None:
    raw = (CALENDARS / row["file"]).read_bytes()
    if row["expect"] == "refused":
        with pytest.raises(InputFormatError, match="iCalendar"):
            read_calendar(raw)
        return
    events = read_calendar(raw)
    assert [e.summary for e in events] == row["expect"].split("|")
    assert [str(e.start) for e in events] == row["starts"].split("|")


def test_every_corpus_file_is_listed_with_its_licence() -> None:
    listed = {r["file"] for r in _corpus()}
    assert listed == {p.relative_to(CALENDARS).as_posix() for p in CALENDARS.glob("icalendar/*.ics")}
    assert all(r["licence"] and r["source"].startswith("https://") for r in _corpus())
