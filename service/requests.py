"""Reading request input: query parameters and JSON bodies, with errors that name the field."""

from __future__ import annotations

from typing import Any

from flask import Request

from geo.documents import parse_json
from geo.errors import InputFormatError

__all__ = ["json_body", "query_float", "query_int", "query_text"]


def json_body(request: Request) -> Any:
    """The parsed JSON body; a 400 with the position of the first syntax error otherwise."""
    return parse_json(request.get_data(cache=True))


def query_text(request: Request, name: str) -> str | None:
    """A query parameter, stripped; None when absent; an error when present but empty."""
    value = request.args.get(name)
    if value is None:
        return None
    if not value.strip():
        raise InputFormatError(f"{name} is empty; give a value or leave it out", field=name)
    return value.strip()


def query_float(request: Request, name: str, default: float | None = None) -> float | None:
    """A numeric query parameter."""
    value = query_text(request, name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise InputFormatError(f"{name} {value!r} is not a number", field=name) from None


def query_int(request: Request, name: str, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high]."""
    value = query_text(request, name)
    if value is None:
        return None
    if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
        raise InputFormatError(
            f"{name} must be a whole number from {low} to {high}, got {value!r}", field=name
        )
    return int(value)
