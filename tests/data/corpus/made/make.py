"""Writes the corpus files made here (see ../SOURCES.csv): copies of public test files moved
onto Peru with their structure kept, an ExpertGPS-style track whose gpx_overlay extension
holds <point> elements, the same track in UTF-16, a KMZ around a Google My Tracks KML, and
encoded polylines from the polyline library's tests. Run from the repository root:
``python tests/data/corpus/made/make.py``."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE.parent


def _moved(value: str, by: float) -> str:
    return f"{float(value) + by:.7f}".rstrip("0").rstrip(".")


def move_gpx(text: str, dlon: float, dlat: float) -> str:
    """Every lat and lon attribute moved (track, route and waypoints; extensions' too)."""
    text = re.sub(r'\blat="([-0-9.]+)"', lambda m: f'lat="{_moved(m.group(1), dlat)}"', text)
    return re.sub(r'\blon="([-0-9.]+)"', lambda m: f'lon="{_moved(m.group(1), dlon)}"', text)


def move_kml(text: str, dlon: float, dlat: float) -> str:
    """Every coordinates tuple and gx:coord moved."""

    def tuples(match: re.Match[str]) -> str:
        moved = []
        for item in match.group(2).split():
            values = item.split(",")
            values[0] = _moved(values[0], dlon)
            values[1] = _moved(values[1], dlat)
            moved.append(",".join(values))
        return f"{match.group(1)}{' '.join(moved)}{match.group(3)}"

    text = re.sub(r"(<coordinates>)(.*?)(</coordinates>)", tuples, text, flags=re.S)

    def coord(match: re.Match[str]) -> str:
        values = match.group(2).split()
        values[0] = _moved(values[0], dlon)
        values[1] = _moved(values[1], dlat)
        return f"{match.group(1)}{' '.join(values)}{match.group(3)}"

    return re.sub(r"(<gx:coord>)(.*?)(</gx:coord>)", coord, text, flags=re.S)


def move_geojson(doc: object, dlon: float, dlat: float) -> object:
    """Every position moved; everything else kept."""
    if isinstance(doc, dict):
        return {
            k: _positions(v, dlon, dlat) if k == "coordinates" else move_geojson(v, dlon, dlat)
            for k, v in doc.items()
        }
    if isinstance(doc, list):
        return [move_geojson(v, dlon, dlat) for v in doc]
    return doc


def _positions(value: object, dlon: float, dlat: float) -> object:
    if isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
        return [round(value[0] + dlon, 7), round(value[1] + dlat, 7), *value[2:]]
    if isinstance(value, list):
        return [_positions(v, dlon, dlat) for v in value]
    return value


#: A track from Ayacucho towards Pichari (the VRAEM) as ExpertGPS writes one: gpx_overlay
#: labels in the track's extensions hold <point> elements far from the track, and a <point>
#: without attributes; none of them is a vertex.
EXPERTGPS = """<?xml version="1.0" encoding="UTF-8"?>
<gpx xmlns="http://www.topografix.com/GPX/1/1" creator="ExpertGPS 8.60" version="1.1"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xmlns:overlay="http://www.topografix.com/GPX/gpx_overlay/0/3"
 xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd
 http://www.topografix.com/GPX/gpx_overlay/0/3 http://www.topografix.com/GPX/gpx_overlay/0/3/gpx_overlay.xsd">
<trk>
 <name>Ayacucho - Pichari</name>
 <extensions>
  <overlay:label>
   <overlay:label_text>Rio Apurimac</overlay:label_text>
   <overlay:point lat="-11.2" lon="-75.9"/>
  </overlay:label>
  <overlay:label>
   <overlay:label_text>Checkpoint</overlay:label_text>
   <overlay:point lat="-14.4" lon="-71.8"/>
   <overlay:point/>
  </overlay:label>
 </extensions>
 <trkseg>
{points}
 </trkseg>
</trk>
</gpx>
"""


def expertgps() -> str:
    start, end, steps = (-74.22345, -13.1638), (-73.85, -12.52), 40
    points = []
    for i in range(steps + 1):
        lon = start[0] + (end[0] - start[0]) * i / steps
        lat = start[1] + (end[1] - start[1]) * i / steps
        extension = (
            '<extensions><overlay:label><overlay:point lat="-10.0" lon="-70.0"/></overlay:label></extensions>'
            if i % 10 == 5
            else ""
        )
        points.append(
            f'  <trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{2700 - 40 * i}</ele>{extension}</trkpt>'
        )
    return EXPERTGPS.format(points="\n".join(points))


#: The polyline library's test cases (frederickjansen/polyline, tests/test_polyline.py, MIT):
#: encoded text, precision, and the (lat, lon) pairs its tests expect.
POLYLINES = {
    "aveiro-5": ("gu`wFnfys@???nKgE??gE?????oK????fE??fE", 5),
    "aveiro-6": ("_epolA~ieoOnF??~{Bo}@??o}@?????_|B????n}@??n}@", 6),
    "official-5": ("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5),
    "official-6": ("_izlhA~rlgdF_{geC~ywl@_kwzCn`{nI", 6),
    "single-5": ("gu`wFf`ys@", 5),
}


def main() -> None:
    peru = CORPUS / "peru"
    peru.mkdir(exist_ok=True)
    moves = {  # source -> (dlon, dlat): onto the VRAEM (Pichari) or the Putumayo
        "gpxpy/korita-zbevnica.gpx": (-87.6, -57.8),
        "togeojson/blue_hills.gpx": (-2.85, -54.75),
        "togeojson/gxmultitrack.kml": (-2.53, 27.62),
        "togeojson-output/multigeometry-kml.geojson": (0.0, 0.0),
        "ogr2ogr-output/test-gpx-tracks.geojson": (-90.0, -26.0),
    }
    for source, (dlon, dlat) in moves.items():
        path = CORPUS / source
        target = peru / path.name
        if path.suffix == ".gpx":
            target.write_text(move_gpx(path.read_text(encoding="utf-8"), dlon, dlat), encoding="utf-8")
        elif path.suffix == ".kml":
            target.write_text(move_kml(path.read_text(encoding="utf-8"), dlon, dlat), encoding="utf-8")
        else:
            doc = json.loads(path.read_text(encoding="utf-8"))
            first = _first_position(doc)
            if (dlon, dlat) == (0.0, 0.0):  # put its first position on Pichari
                dlon, dlat = -73.85 - first[0], -12.52 - first[1]
            target.write_text(json.dumps(move_geojson(doc, dlon, dlat), indent=1), encoding="utf-8")
    track = expertgps()
    (HERE / "expertgps-overlay.gpx").write_text(track, encoding="utf-8")
    utf16 = track.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    (HERE / "expertgps-overlay-utf16.gpx").write_bytes(utf16.encode("utf-16"))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", (peru / "gxmultitrack.kml").read_text(encoding="utf-8"))
        archive.writestr("images/icon.txt", "not an image; a KMZ carries files beside its KML")
    (HERE / "gxmultitrack-peru.kmz").write_bytes(packed.getvalue())
    for name, (encoded, precision) in POLYLINES.items():
        body = {"polyline": encoded} if precision == 5 else {"polyline": encoded, "precision": precision}
        (HERE / f"polyline-{name}.json").write_text(json.dumps(body), encoding="utf-8")
    (HERE / "polyline-bare.txt").write_text(POLYLINES["official-5"][0] + "\n", encoding="utf-8")


def _first_position(doc: object) -> list[float]:
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key == "coordinates":
                while isinstance(value, list) and value and isinstance(value[0], list):
                    value = value[0]
                return value  # type: ignore[return-value]
            found = _first_position(value)
            if found:
                return found
    if isinstance(doc, list):
        for value in doc:
            found = _first_position(value)
            if found:
                return found
    return []


if __name__ == "__main__":
    main()
