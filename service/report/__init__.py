"""The trip report: an itinerary's answer as a page a person can read, print, file or hand
over, in HTML or PDF (``POST /v1/itinerary`` with ``Accept: text/html`` or
``application/pdf``, ``riskzones itinerary FILE --report trip.pdf``, the map's Report button).

The report is rendered from the project's own template (``templates/trip.html``, Jinja2 with
autoescaping: every text from a request, an alert or a place name is escaped) and its map is
SVG drawn here (``maps.trip_svg``). The PDF is made from that HTML by WeasyPrint with a URL
fetcher that fetches nothing: no network, no file system (``pdf_from_html``).
"""

from __future__ import annotations

from service.report.build import (
    REPORT_FORMATS,
    REPORT_POLICY,
    render_report,
    report_context,
    trip_report_html,
)
from service.report.pdf import NoFetching, pdf_from_html

__all__ = [
    "REPORT_FORMATS",
    "REPORT_POLICY",
    "NoFetching",
    "pdf_from_html",
    "render_report",
    "report_context",
    "trip_report_html",
]
