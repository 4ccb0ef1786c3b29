"""Source watch (``riskzones sources check``): is each government's current text still the one
the definitions quote?

For the text in force of every government (``advisories/<code>.csv``), the passages its rules
quote are grouped by the page they were read from. Each page is read again, from a local clone
of the git-scraping archive the definitions cite (``repository@commit:path``; the file's newest
committed version) or from its official URL, and every passage is looked for in it after both
are normalised (markup, entities, quotes, dashes and whitespace). A page is ``unchanged`` when
every passage is found, ``changed`` when one is not (with the passage, the nearest text of the
page as a diff, and the zones built from it), and ``unreachable`` when it cannot be read.
``write_verified`` records, for the texts found unchanged on every page, the day they were seen.

With ``decrees``, the newest decree of every chain of the ledger (``decrees/<chain>.csv``) is
read too, from each source URL it cites: its page must still name the decree (its number, as
the ledger writes it). A decree whose number was not found is only checked for being
reachable. Archives of government pages hold no press reports, so decrees are read from their
URLs only (``--fetch``).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import html
import io
import re
import subprocess
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geo.build.advisories import GOVERNMENTS
from geo.build.emergencies import CHAINS
from geo.build.sources import SOURCE_FILES, SourceSet, read_csv
from geo.errors import SourceError

__all__ = [
    "FETCH_TIMEOUT_S",
    "MAX_PAGE_BYTES",
    "USER_AGENT",
    "PageCheck",
    "TextCheck",
    "check_sources",
    "exit_code",
    "normalise",
    "write_verified",
]

FETCH_TIMEOUT_S = 20
#: A page larger than this is not read (an official advice page is a few hundred kB).
MAX_PAGE_BYTES = 5 * 1024 * 1024
USER_AGENT = "riskzones-sources-check/1 (open advisory zones for Peru; checks quoted passages)"
EXIT_UNCHANGED, EXIT_CHANGED, EXIT_UNREACHABLE = 0, 1, 2

_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.S | re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"[*_#>`|]+")
_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\xa0": " "}
)


def normalise(text: str) -> str:
    """Text without markup, entities, typographic quotes and dashes, or repeated whitespace.

    Examples
    --------
    >>> normalise("<p>Do <b>not</b>&nbsp;travel to the **VRAEM** &ndash; see [here](http://x)</p>")
    'Do not travel to the VRAEM - see here'
    """
    text = _TAG.sub(" ", text)
    text = html.unescape(_MD_LINK.sub(r"\1", text))
    text = _MD_MARK.sub(" ", unicodedata.normalize("NFC", text).translate(_FOLD))
    return " ".join(text.split())


@dataclass(frozen=True)
class PageCheck:
    """One page of a government's text, read again: its status and what differs."""

    government: str
    version: str
    url: str
    archive: str
    status: str  # unchanged, changed or unreachable
    seen_on: str | None = None  # the day the page was read as it is (the archive's last commit, or today)
    seen_in: str | None = None  # repository@commit:path, or the URL
    reason: str = ""
    missing: tuple[tuple[str, str], ...] = ()  # (area id, quoted passage not found)
    diffs: tuple[str, ...] = ()


#: The "government" of the decree checks: Peru's own.
DECREES = "pe"


@dataclass
class TextCheck:
    """A government's text in force, over all its pages."""

    government: str
    version: str
    verified_on: str | None
    pages: list[PageCheck] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = {p.status for p in self.pages}
        return next(s for s in ("changed", "unreachable", "unchanged") if s in statuses or s == "unchanged")

    @property
    def is_decree(self) -> bool:
        """A decree of Peru's ledger, not a government's advisory text."""
        return self.government == DECREES

    @property
    def seen_on(self) -> str | None:
        """The day every page was last seen unchanged (the earliest of them), when all were."""
        if self.status != "unchanged" or not self.pages:
            return None
        return min(p.seen_on for p in self.pages if p.seen_on)


Reader = Callable[[str, str], tuple[str, str, str]]


def check_sources(definitions: Path, read: Reader, *, decrees: bool = False) -> list[TextCheck]:
    """Every government's text in force, its pages read with ``read(url, archive)`` (which
    returns the page's text, the day it was seen and where, or raises ``OSError``); with
    ``decrees``, the newest decree of every chain too (as government ``DECREES``)."""
    verified = {(r["government"], r["version"]): r["verified_on"] for r in _verified_rows(definitions)}
    checks = []
    for code, path in zip(GOVERNMENTS, SourceSet(definitions).files("advisories", GOVERNMENTS), strict=True):
        rows = read_csv(path, ("version", "area_id", "quote", "source_url"))
        current = [r for r in rows if not r.values.get("superseded_on")]
        if not current:
            continue
        version = current[0]["version"]
        text = TextCheck(code, version, verified.get((code, version)))
        pages: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for row in current:
            pages.setdefault((row["source_url"], row.values.get("archive", "")), []).append(
                (row["area_id"], row["quote"])
            )
        for (url, archive), passages in pages.items():
            text.pages.append(_check_page(code, version, url, archive, passages, read))
        checks.append(text)
    if decrees:
        checks.extend(_decrees(definitions, read))
    return checks


_NUMBER = re.compile(r"\b(\d{3}-\d{4})-PCM\b")


def _decrees(definitions: Path, read: Reader) -> list[TextCheck]:
    """The newest decree of each chain, each of its source pages read: the page must name it."""
    checks = []
    ids = [c.id for c in CHAINS]
    for chain, path in zip(ids, SourceSet(definitions).files("decrees", ids), strict=True):
        newest = read_csv(path, ("decree", "source_urls"))[-1]  # rows follow the chain's order
        number = _NUMBER.search(newest["decree"])
        # The page names the decree as "143-2025-PCM" or "N.° 143-2025": its number and year.
        passages = [(chain, number.group(1))] if number else []
        text = TextCheck(DECREES, newest["decree"], None)
        for url in newest["source_urls"].split(" ; "):
            text.pages.append(_check_page(DECREES, newest["decree"], url, "", passages, read))
        checks.append(text)
    return checks


def _check_page(
    code: str, version: str, url: str, archive: str, passages: list[tuple[str, str]], read: Reader
) -> PageCheck:
    try:
        page, seen_on, seen_in = read(url, archive)
    except OSError as exc:
        return PageCheck(code, version, url, archive, "unreachable", reason=str(exc))
    body = normalise(page)
    missing = [(area, quote) for area, quote in passages if normalise(quote) not in body]
    if not missing:
        return PageCheck(code, version, url, archive, "unchanged", seen_on, seen_in)
    diffs = tuple(_diff(normalise(quote), body) for _, quote in missing)
    return PageCheck(
        code, version, url, archive, "changed", seen_on, seen_in, missing=tuple(missing), diffs=diffs
    )


def _diff(passage: str, body: str) -> str:
    """The passage against the stretch of the page most like it, as a word diff."""
    words, page = passage.split(), body.split()
    size = len(words)
    best, start = 0.0, 0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(words)
    for k in range(0, max(1, len(page) - size + 1), max(1, size // 4)):
        matcher.set_seq1(page[k : k + size])
        ratio = matcher.ratio()
        if ratio > best:
            best, start = ratio, k
    nearest = page[start : start + size] if best > 0.3 else []
    lines = difflib.unified_diff(
        [" ".join(words)], [" ".join(nearest)], "quoted", "page now", lineterm="", n=0
    )
    return "\n".join(lines) if nearest else "(no similar passage on the page)"


def exit_code(checks: list[TextCheck]) -> int:
    """0 when every text is unchanged; 1 when one changed (whatever else); 2 when none changed
    but a page could not be read."""
    statuses = {c.status for c in checks}
    if "changed" in statuses:
        return EXIT_CHANGED
    return EXIT_UNREACHABLE if "unreachable" in statuses else EXIT_UNCHANGED


def archive_reader(root: Path) -> Reader:
    """Pages from a local clone of the archive: the newest committed version of the path the
    definitions cite, seen on the day of the clone's last commit."""
    root = root.resolve()

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
        if done.returncode:
            raise OSError(done.stderr.strip() or f"git {' '.join(args)} failed")
        return done.stdout

    head = git("rev-parse", "HEAD").strip()
    seen_on = git("log", "-1", "--format=%cs", "HEAD").strip()
    repository = git("config", "--get", "remote.origin.url").strip() if _has_origin(root) else ""

    def read(url: str, archive: str) -> tuple[str, str, str]:
        cited, _, path = archive.partition(":")
        if not path:
            raise OSError(f"no archive path cited for {url}")
        if not git("ls-tree", "--name-only", "HEAD", "--", path).strip():
            raise OSError(f"{path} is not in the archive at {root} (HEAD {head[:12]})")
        name = repository.removeprefix("https://").removesuffix(".git") or cited.split("@")[0]
        return git("show", f"HEAD:{path}"), seen_on, f"{name}@{head}:{path}"

    return read


def _has_origin(root: Path) -> bool:
    done = subprocess.run(["git", "-C", str(root), "remote"], capture_output=True, text=True, check=False)
    return "origin" in done.stdout.split()


def url_reader(today: dt.date, mirror: str | None = None) -> Reader:
    """Pages from their official URLs (or, with ``mirror``, from ``MIRROR/<host><path>``: a local
    copy of recorded pages), with a timeout, a user agent and a size limit; seen ``today``."""

    def read(url: str, archive: str) -> tuple[str, str, str]:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https":
            raise OSError(f"{url}: only https:// sources are read")
        target = f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}" if mirror else url
        request = urllib.request.Request(target, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
                body = response.read(MAX_PAGE_BYTES + 1)
                charset = response.headers.get_content_charset() or "utf-8"
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise OSError(f"{target}: {getattr(exc, 'reason', exc)}") from None
        if len(body) > MAX_PAGE_BYTES:
            raise OSError(f"{target}: larger than {MAX_PAGE_BYTES // 1024 // 1024} MB")
        return body.decode(charset, errors="replace"), today.isoformat(), url

    return read


def _verified_rows(definitions: Path) -> list[dict[str, str]]:
    path = definitions / SOURCE_FILES["advisory_verified"]
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_verified(definitions: Path, checks: list[TextCheck]) -> list[TextCheck]:
    """Move ``verified_on`` (and ``seen_in``) forward for every text unchanged on all its pages;
    the texts moved. The file is rewritten in one rename, its rows and columns kept."""
    path = definitions / SOURCE_FILES["advisory_verified"]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    moved = []
    for check in checks:
        seen = check.seen_on
        if seen is None or check.is_decree:
            continue
        row = next(
            (r for r in rows if (r["government"], r["version"]) == (check.government, check.version)), None
        )
        if row is None:
            row = {c: "" for c in columns} | {"government": check.government, "version": check.version}
            rows.append(row)
        if row["verified_on"] and row["verified_on"] >= seen:
            continue
        row["verified_on"] = seen
        row["seen_in"] = " ; ".join(sorted({p.seen_in for p in check.pages if p.seen_in}))
        row["note"] = "Seen unchanged by riskzones sources check: every quoted passage found."
        moved.append(check)
    if moved:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        temporary = path.with_name(f".{path.name}.new")
        temporary.write_text(buffer.getvalue(), encoding="utf-8")
        temporary.replace(path)
    return moved


def check_definitions_dir(definitions: Path) -> None:
    """Refuse a directory that holds no advisory definitions, naming the fix."""
    if not (definitions / SOURCE_FILES["advisory_verified"]).is_file():
        raise SourceError(
            definitions,
            "directory",
            "holds no advisories/verified.csv",
            "pass the definitions directory with --sources (default: geo/definitions)",
        )
