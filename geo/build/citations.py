"""Turn the research notes' free-text source fields into ``{title, url, date}`` records."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["citations", "dedupe"]

_URL = re.compile(r"https?://[^\s;,]+")
_DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")


def citations(text: str) -> list[dict[str, str | None]]:
    """Split a source field into citations, one per URL.

    The text before a URL is its title; a URL with no text before it belongs to the
    previous citation's group and is titled by its host.

    Examples
    --------
    >>> citations("DS 016-2026-PCM (El Peruano 2026-01-30): https://a.pe/x ; https://b.pe/y")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'title': 'DS 016-2026-PCM (El Peruano 2026-01-30)', 'url': 'https://a.pe/x',
      'date': '2026-01-30'},
     {'title': 'DS 016-2026-PCM (El Peruano 2026-01-30), also reported by b.pe',
      'url': 'https://b.pe/y', 'date': '2026-01-30'}]
    """
    found: list[dict[str, str | None]] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".)")
        before = text[position : match.start()].strip(" ;,:\n")
        dates = _DATE.findall(before)
        if before:
            title, date = before, (dates[0] if dates else None)
        elif found:
            title = f"{found[-1]['title']}, also reported by {urlsplit(url).netloc}"
            date = found[-1]["date"]
        else:
            title, date = urlsplit(url).netloc, None
        found.append({"title": title, "url": url, "date": date})
        position = match.end()
    return found


def dedupe(records: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """Keep the first citation of each URL, in order."""
    seen: set[str | None] = set()
    kept = []
    for record in records:
        if record["url"] not in seen:
            seen.add(record["url"])
            kept.append(record)
    return kept
