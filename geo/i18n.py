"""The languages people read answers in: English (the texts as written in the code) and
Spanish, from a gettext catalog (``geo/locale/es/LC_MESSAGES/riskzones.po``, read by Babel).

The language is a context variable: the API sets it per request (``?lang``, else
``Accept-Language``), the command line per run (``--lang``, else the locale). Texts are marked
``_("... {name} ...", name=value)``: the message is looked up whole, then its named
placeholders are filled, so a translation may put them in its own order. ``N_`` marks a text
kept for later translation (a table of labels). Machine-readable values (ids, verdicts,
statuses, categories) are never translated.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "_",
    "best_language",
    "in_language",
    "language",
    "read_catalog",
    "speaking",
    "translations",
]

#: The languages answers can be given in; the first is the one the code is written in.
LANGUAGES = ("en", "es")
DEFAULT = "en"
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "riskzones"

#: The language of the current request or run (``speaking`` sets it for a block; the web app
#: sets and resets it per request, ``service.http.language``).
_language: contextvars.ContextVar[str] = contextvars.ContextVar("riskzones_language", default=DEFAULT)


T = TypeVar("T")


@functools.cache
def _catalog(code: str) -> dict[str, str]:
    """The translations of ``code``: message -> translation (fuzzy and empty ones left out)."""
    return read_catalog(LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po")


def read_catalog(path: Path) -> dict[str, str]:
    """A gettext catalog's translations: message -> translation (fuzzy and empty ones left out)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        catalog = read_po(source)
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string and not m.fuzzy
    }


def translations(code: str) -> dict[str, str]:
    """Every translation of ``code`` (none for the default): what the map's scripts look up."""
    return {} if code == DEFAULT else dict(_catalog(code))


def language() -> str:
    """The language of the current request or run."""
    return _language.get()


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Answer in ``code`` (one of ``LANGUAGES``) inside the block."""
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def in_language(texts: Mapping[str, T]) -> T:
    """The version of a text (the pack's zone names, summaries, advice) in the current
    language; the default language's where it has none."""
    found = texts.get(_language.get())
    return texts[DEFAULT] if found is None else found


def best_language(wanted: str | None) -> str:
    """The language of ``LANGUAGES`` that a language tag (``es``, ``es-PE``, ``es_PE.UTF-8``)
    names; the default for anything else."""
    if not wanted:
        return DEFAULT
    primary = wanted.replace("_", "-").split("-")[0].split(".")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT


def _(message: str, **values: object) -> str:
    """``message`` in the current language, its ``{placeholders}`` filled from ``values``.

    Examples
    --------
    >>> with speaking("es"):
    ...     _("Do not travel")
    'No viajar'
    >>> _("Do not travel")
    'Do not travel'
    """
    code = _language.get()
    text = message if code == DEFAULT else _catalog(code).get(message, message)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now."""
    return message
