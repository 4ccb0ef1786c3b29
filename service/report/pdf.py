"""PDF from the report's HTML, by WeasyPrint (the Python ecosystem's HTML-to-PDF renderer:
CSS paged media, SVG, fonts through the system's fontconfig), fetching nothing."""

from __future__ import annotations

from typing import Any

__all__ = ["NoFetching", "pdf_from_html"]


class NoFetching(Exception):
    """A resource the report asked for: refused (the report carries everything inline)."""


def _refusing_fetcher() -> Any:
    """WeasyPrint's URL fetcher for the report: every address is refused, whatever its scheme
    (http, https, file, data, ...), before any handler sees it. The template inlines its styles
    and the map is inline SVG, so nothing legitimate is lost; an address that reached the HTML
    some other way (it cannot: every text is escaped) is skipped, never fetched."""
    from weasyprint.urls import URLFetcher

    class Refusing(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise NoFetching(f"the trip report fetches nothing (asked for {url[:80]!r})")

    return Refusing(allowed_protocols=(), allow_redirects=False, timeout=0.001)


def pdf_from_html(html: str) -> bytes:
    """The PDF of ``html`` (a trip report)."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs each refused fetch as a warning; the refusal is the point, not news.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = HTML(string=html, base_url="about:blank", url_fetcher=_refusing_fetcher()).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
