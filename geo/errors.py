"""One error family for the engine: each is a ``ValueError`` with a message a person can act on.

The engine never chooses HTTP statuses; ``service.http.errors`` maps these classes to them.
"""

__all__ = [
    "CoordinateError",
    "GeometryError",
    "InputFormatError",
    "PackError",
    "RiskzonesError",
    "SourceError",
    "UnknownZoneError",
    "UnsupportedFormatError",
]


class RiskzonesError(ValueError):
    """Base class of every error raised by riskzones.

    ``field`` names the offending input field (e.g. ``"lat"``) when the error is about one;
    ``code`` is a stable word for the kind of refusal (e.g. ``"no_route"``), the same from
    every entry point, for programs that act on it.
    """

    def __init__(self, message: str = "", *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


class CoordinateError(RiskzonesError):
    """A coordinate is missing, not a number, or out of range."""


class GeometryError(RiskzonesError):
    """A geometry is empty, invalid, or of a type that cannot be used here."""


class InputFormatError(RiskzonesError):
    """An input file or body cannot be parsed in the format it claims to be."""


class UnsupportedFormatError(InputFormatError):
    """A file or body of a kind no route reader reads (a PDF, a FIT file, a ZIP without KML)."""


class UnknownZoneError(RiskzonesError):
    """A zone id that the loaded pack does not contain."""


class PackError(RiskzonesError):
    """A zone pack is missing, incomplete, corrupt, or fails validation."""


class SourceError(RiskzonesError):
    """A research source read by the pack build is missing or malformed.

    The message names the file, the row or feature, and the fix.
    """

    def __init__(self, path: object, where: str, problem: str, fix: str) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(f"{self.path}: {where}: {problem}. Fix: {fix}")
