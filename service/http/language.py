"""The language of each answer of the API and the map page: ``?lang=es|en``, else the best
of ``Accept-Language``, else English; said back in ``Content-Language`` (``Vary:
Accept-Language``). The engine's texts follow it (``geo.i18n``); the API documentation is
English.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from geo.errors import InputFormatError
from geo.i18n import DEFAULT, LANGUAGES, _, _language

__all__ = ["install_language"]


def _negotiated(path: str) -> bool:
    """The API (OGC API - Features included) and the map page (with its set-up script) answer
    in the language asked."""
    return path.startswith(("/v1/", "/map/", "/ogc")) or path == "/"


def _asked() -> str:
    if not _negotiated(request.path):
        return DEFAULT
    given = request.args.get("lang")
    if given is not None:
        if given not in LANGUAGES:
            raise InputFormatError(
                _("lang must be one of {known}, got {value}", known=", ".join(LANGUAGES), value=repr(given)),
                field="lang",
            )
        return given
    return str(request.accept_languages.best_match(LANGUAGES, default=DEFAULT))


def install_language(app: Flask) -> None:
    """Choose each request's language before its view, and say it in the answer."""

    @app.before_request
    def _choose() -> None:
        g.language = DEFAULT  # the error answer for a bad ?lang is in English
        g.language_token = _language.set(DEFAULT)
        g.language = _asked()
        _language.set(g.language)

    @app.after_request
    def _say(response: Response) -> Response:
        response.headers["Content-Language"] = g.get("language", DEFAULT)
        if _negotiated(request.path):
            response.vary.add("Accept-Language")
        return response

    @app.teardown_request
    def _reset(_error: BaseException | None) -> None:
        token = g.pop("language_token", None)
        if token is not None:
            _language.reset(token)
