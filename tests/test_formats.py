"""Route input formats: each parses to the same vertices, and bad input says where."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.errors import InputFormatError
from geo.io.formats import parse_route, sniff_format

LINE = [[-74.22345, -13.1638], [-74.25, -12.93333], [-73.81667, -12.5]]
GPX_TRK = (
    '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>t</name>'
    "<trkseg>"
    + "".join(f'<trkpt lat="{lat}" lon="{lon}"><ele>1</ele></trkpt>' for lon, lat in LINE)
    + "</trkseg></trk></gpx>"
)
GPX_RTE = "<gpx><rte>" + "".join(f'<rtept lon="{lon}" lat="{lat}"/>' for lon, lat in LINE) + "</rte></gpx>"
KML = (
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><LineString><coordinates>\n'
    + " ".join(f"{lon},{lat},0" for lon, lat in LINE)
    + "\n</coordinates></LineString></Placemark></Document></kml>"
)
CSV = "name,lat,lon\n" + "".join(f"p{i},{lat},{lon}\n" for i, (lon, lat) in enumerate(LINE))


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (json.dumps({"type": "LineString", "coordinates": LINE}), "geojson"),
        (
            json.dumps({"type": "Feature", "geometry": {"type": "MultiLineString", "coordinates": [LINE]}}),
            "geojson",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": LINE}}
                    ],
                }
            ),
            "geojson",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "geometry": {"type": "Point", "coordinates": p}} for p in LINE
                    ],
                }
            ),
            "geojson",
        ),
        (GPX_TRK, "gpx"),
        (GPX_RTE, "gpx"),
        (KML, "kml"),
        (CSV, "csv"),
    ],
)
def test_every_format_gives_the_same_vertices(data: str, fmt: str) -> None:
    route = parse_route(data, fmt)
    assert len(route.parts) == 1
    np.testing.assert_allclose(route.parts[0], LINE)
    assert sniff_format(data) == fmt


def test_polyline_both_precisions() -> None:
    assert parse_route({"polyline": "_p~iF~ps|U_ulLnnqC_mqNvxq`@"}, "polyline").vertices == 3  # type: ignore[arg-type]
    six = parse_route('{"polyline": "_izlhA~rlgdF_{geC~ywl@", "precision": 6}', "polyline")
    np.testing.assert_allclose(six.parts[0], [[-120.2, 38.5], [-120.95, 40.7]])


@pytest.mark.parametrize(
    ("data", "fmt", "fragment"),
    [
        ('{"type": "LineString", "coordinates": [[1, 2], ', "geojson", "line 1, column"),
        ('{"type": "Polygon", "coordinates": []}', "geojson", "1 area(s), which are not routes"),
        ('{"type": "Featre", "geometry": null}', "geojson", "did you mean 'Feature'?"),
        ('{"type": "LineString", "coordinates": [[-74, -13], [-12.5, -95]]}', "geojson", "vertex 1"),
        ("<gpx><trk><trkseg><trkpt lat='1' lon='2'></trkseg></trk></gpx>", "gpx", "GPX line 1, column"),
        (
            "<gpx>\n<trk><trkseg><trkpt lat='1'/></trkseg></trk></gpx>",
            "gpx",
            "GPX line 2: <trkpt> needs lat and lon",
        ),
        ("<gpx><trk><trkseg/></trk></gpx>", "gpx", "no line with positions and no waypoints"),
        (
            "<kml><Placemark><LineString><coordinates>1;2 3;4</coordinates></LineString></Placemark></kml>",
            "kml",
            "KML line 1",
        ),
        ('{"polyline": "abc def"}', "polyline", "character 3"),
        ('{"polyline": "_p~iF~ps|U_"}', "polyline", "truncated"),
        ("lat,lon\n-12,-74\nx,-74\n", "csv", "CSV line 3"),
        ("name\nLima\n", "csv", "no latitude and longitude columns"),
    ],
)
def test_errors_say_where(data: str, fmt: str, fragment: str) -> None:
    with pytest.raises(InputFormatError) as caught:
        parse_route(data, fmt)
    assert fragment in str(caught.value)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + ']><gpx><trk><name>&lol9;</name><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<gpx><trk><name>&x;</name><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>'
)


EXTERNAL_DTD = (
    '<?xml version="1.0"?><!DOCTYPE gpx SYSTEM "http://127.0.0.1:9/evil.dtd">'
    '<gpx><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>'
)
PARAMETER = (
    '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
    '<gpx><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>'
)


@pytest.mark.parametrize(
    "document",
    [BILLION_LAUGHS, EXTERNAL, EXTERNAL_DTD, PARAMETER],
    ids=["entity-expansion", "external-entity", "external-dtd", "parameter-entity"],
)
def test_xml_with_a_dtd_is_refused(document: str) -> None:
    for fmt in ("gpx", "kml"):
        with pytest.raises(InputFormatError, match="refused: the document declares a DTD"):
            parse_route(document.replace("gpx", "kml") if fmt == "kml" else document, fmt)


def test_an_undeclared_entity_is_an_error_with_its_position() -> None:
    with pytest.raises(InputFormatError, match=r"GPX line 1, column \d+: undefined entity"):
        parse_route('<gpx><trk><trkseg><trkpt lat="&x;" lon="2"/></trkseg></trk></gpx>', "gpx")


positions = st.lists(
    st.tuples(st.floats(-180, 180, allow_nan=False), st.floats(-90, 90, allow_nan=False)),
    min_size=2,
    max_size=50,
)


@settings(max_examples=80, deadline=None)
@given(positions)
def test_serialising_then_parsing_keeps_the_vertices(points: list[tuple[float, float]]) -> None:
    geojson = json.dumps({"type": "LineString", "coordinates": points})
    gpx = (
        "<gpx><rte>"
        + "".join(f'<rtept lat="{lat!r}" lon="{lon!r}"/>' for lon, lat in points)
        + "</rte></gpx>"
    )
    kml = (
        "<kml><Placemark><LineString><coordinates>"
        + " ".join(f"{lon!r},{lat!r}" for lon, lat in points)
        + "</coordinates></LineString></Placemark></kml>"
    )
    for data, fmt in ((geojson, "geojson"), (gpx, "gpx"), (kml, "kml")):
        assert parse_route(data, fmt).parts[0].tolist() == [list(p) for p in points]


def test_broken_csv_quoting_is_a_400_not_a_crash() -> None:
    # Found by schemathesis: a bare carriage return and a stray quote inside a field.
    with pytest.raises(InputFormatError, match="CSV line"):
        parse_route(b'lat,lon\n"-12.5\r"x,-73.8\n"', "csv")
    from geo.io.itineraries import parse_itinerary_csv

    with pytest.raises(InputFormatError, match="CSV itinerary line"):
        parse_itinerary_csv('place,date\n"Lima')


@pytest.mark.parametrize(
    ("coordinates", "expected"),
    [
        ("-74.1,-12.5,2750 -74.2,-12.6,2760", [[-74.1, -12.5], [-74.2, -12.6]]),  # all with altitude
        ("\n  -74.1,-12.5\n  -74.2,-12.6\n", [[-74.1, -12.5], [-74.2, -12.6]]),  # none
        ("-74.1,-12.5,2750 -74.2,-12.6", [[-74.1, -12.5], [-74.2, -12.6]]),  # mixed
        ("-74.1,-12.5,1,2 -74.2,-12.6,3,4", [[-74.1, -12.5], [-74.2, -12.6]]),  # extra values
        ("-74.1,-12.5,2750 -74.2 -12.6,1", None),  # a lone value
        ("-74.1,,-12.5 -74.2,-12.6,1", None),  # an empty value
        ("-74.1,x -74.2,-12.6", None),
    ],
)
def test_kml_coordinate_tuples(coordinates: str, expected: list[list[float]] | None) -> None:
    document = (
        f"<kml><Placemark><LineString><coordinates>{coordinates}</coordinates></LineString></Placemark></kml>"
    )
    if expected is None:
        with pytest.raises(InputFormatError, match="KML line 1: coordinates must be 'lon,lat"):
            parse_route(document, "kml")
    else:
        assert parse_route(document, "kml").parts[0].tolist() == expected
