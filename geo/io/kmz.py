"""KMZ: the KML documents inside a ZIP archive, taken out within limits.

An archive's own headers can lie, so the KML is read in chunks and reading stops at the limit
whatever the headers say; a compression ratio beyond any real KML's, too many entries, or an
encrypted entry is refused before anything is unpacked.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from geo.errors import InputFormatError, UnsupportedFormatError
from geo.i18n import _

__all__ = ["ARCHIVE_LIMIT", "MAX_ENTRIES", "MAX_KML_BYTES", "MAX_RATIO", "Kmz"]

#: An archive with more entries than this is refused (a KMZ holds a KML and its images).
MAX_ENTRIES = 1_000
#: The KML unpacked: at most this many bytes (a 100,000-point track is about 5 MB of KML).
MAX_KML_BYTES = 64 * 1024 * 1024
#: Unpacked bytes per packed byte beyond which an entry is a bomb, not a KML (text of
#: coordinates packs about 3 to 1; deflate can reach 1,032 to 1 only on repeated bytes).
MAX_RATIO = 100
#: The refusal code of an archive beyond the limits above.
ARCHIVE_LIMIT = "archive_limit"

_CHUNK = 1024 * 1024


def _refused(problem: str, code: str = ARCHIVE_LIMIT) -> InputFormatError:
    kind = UnsupportedFormatError if code == "unsupported_format" else InputFormatError
    return kind(_("KMZ: {problem}", problem=problem), field="route", code=code)


class Kmz:
    """A KMZ archive: its main KML document, and the archive's other KML documents that it
    links to (``<NetworkLink><Link><href>layers/tracks.kml``, as GDAL writes), all read within
    one budget of unpacked bytes."""

    def __init__(self, data: bytes, limit: int = MAX_KML_BYTES) -> None:
        try:
            self._archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, EOFError, ValueError):
            raise _refused(_("not a readable ZIP archive"), "unsupported_format") from None
        self._left = limit
        entries = self._archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _refused(
                _(
                    "the archive has {count:,} entries; at most {limit:,} are read",
                    count=len(entries),
                    limit=MAX_ENTRIES,
                )
            )
        self._entries = {e.filename: e for e in entries if not e.is_dir()}
        kml = [e for e in entries if e.filename.lower().endswith(".kml") and not e.is_dir()]
        if not kml:
            names = ", ".join(e.filename for e in entries[:5]) or _("nothing")
            raise _refused(
                _("the archive holds no .kml document (it holds {names}); a KMZ holds doc.kml", names=names),
                "unsupported_format",
            )
        #: The main document: doc.kml, or, as Google Earth takes it, the first .kml entry.
        self.document = next((e for e in kml if e.filename.lower() == "doc.kml"), kml[0]).filename

    def read(self, name: str) -> bytes:
        """An entry's bytes, refused beyond the limits whatever the archive's headers say."""
        entry = self._entries[name]
        if entry.flag_bits & 0x1:
            raise _refused(_("{name} is encrypted", name=entry.filename))
        if entry.file_size > self._left:
            raise _refused(_too_big(entry.filename, entry.file_size, self._left))
        if entry.file_size > _CHUNK and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise _refused(
                _(
                    "{name} unpacks {ratio:,.0f} times its packed size; at most {limit} times is read "
                    "(a zip bomb, not a KML)",
                    name=entry.filename,
                    ratio=entry.file_size / max(entry.compress_size, 1),
                    limit=MAX_RATIO,
                )
            )
        data = _read_within(self._archive, entry, self._left)
        self._left -= len(data)
        return data

    def linked(self, source: str, href: str) -> str | None:
        """The archive entry a link in ``source`` names, if it names one: a relative path,
        never a URL (nothing is fetched) and never outside the archive."""
        target = href.strip()
        if not target or "://" in target or target.startswith(("/", "\\")) or ":" in target.split("/")[0]:
            return None
        base = posixpath.dirname(source)
        name = posixpath.normpath(posixpath.join(base, target))
        if name.startswith("..") or name not in self._entries or not name.lower().endswith(".kml"):
            return None
        return name


def _too_big(name: str, size: int, limit: int) -> str:
    return _(
        "{name} unpacks to more than {limit:,} bytes ({size}); split the route",
        name=name,
        limit=limit,
        size=f"{size:,}" if size > limit else _("more, whatever the archive says"),
    )


def _read_within(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > limit or total > MAX_RATIO * max(entry.compress_size, 1) + _CHUNK:
                    raise _refused(_too_big(entry.filename, 0, limit))
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise _refused(
            _("{name} cannot be unpacked ({reason})", name=entry.filename, reason=exc), "unsupported_format"
        ) from None
    return b"".join(chunks)
