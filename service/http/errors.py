"""Every error response is RFC 9457 ``application/problem+json``; this is the one status table."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from geo.errors import (
    CoordinateError,
    GeometryError,
    InputFormatError,
    PackError,
    RiskzonesError,
    UnknownZoneError,
    UnsupportedFormatError,
)
from geo.i18n import N_, _
from service.store.alerts import NotFoundError
from service.store.keys import AuthError, ScopeError
from service.watches.delivery import TargetError

__all__ = ["STATUS_BY_ERROR", "problem", "register_error_handlers"]

#: Engine error class -> HTTP status. The most specific class listed wins.
STATUS_BY_ERROR: dict[type[RiskzonesError], int] = {
    CoordinateError: 400,
    InputFormatError: 400,
    UnsupportedFormatError: 415,
    GeometryError: 422,
    UnknownZoneError: 404,
    PackError: 503,
    AuthError: 401,
    ScopeError: 403,
    NotFoundError: 404,
    TargetError: 422,
    RiskzonesError: 400,
}
PROBLEM_TYPE = "application/problem+json"
_log = logging.getLogger("riskzones")


#: The status phrases a problem's title can be, marked for translation (RFC 9457 lets a title
#: be localised; another status keeps its English phrase).
_TITLES = {
    400: N_("Bad Request"),
    401: N_("Unauthorized"),
    403: N_("Forbidden"),
    404: N_("Not Found"),
    405: N_("Method Not Allowed"),
    409: N_("Conflict"),
    413: N_("Request Entity Too Large"),
    415: N_("Unsupported Media Type"),
    422: N_("Unprocessable Entity"),
    429: N_("Too Many Requests"),
    500: N_("Internal Server Error"),
    503: N_("Service Unavailable"),
}


def problem(status: int, detail: str, **extra: Any) -> Response:
    """A problem+json response; with type about:blank the title is the status phrase, in the
    language of the request."""
    title = _(_TITLES[status]) if status in _TITLES else HTTPStatus(status).phrase
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)


def _status_for(error: RiskzonesError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def register_error_handlers(app: Flask) -> None:
    """Render engine errors, werkzeug's HTTP errors and anything unexpected as problems."""

    @app.errorhandler(RiskzonesError)
    def _engine(error: RiskzonesError) -> Response:
        status = _status_for(error)
        extra: dict[str, Any] = {"field": error.field} if error.field else {}
        if error.code:
            extra["code"] = error.code
        candidates = getattr(error, "candidates", None)
        if candidates:
            extra["candidates"] = [
                {k: getattr(c, k) for k in ("name", "district", "province", "department", "lon", "lat")}
                for c in candidates
            ]
        response = problem(status, str(error), **extra)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="riskzones"'
        return response

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        detail = error.description or error.name
        if status == 404:
            detail = _("no resource at {path}; the API is described at /openapi.json", path=request.path)
        elif status == 405:
            detail = _(
                "{method} is not allowed on {path}; see /openapi.json",
                method=request.method,
                path=request.path,
            )
        elif status == 429:
            if request.headers.get("Authorization"):
                detail = _(
                    "too many requests from this API key: the limit is {limit}; retry later", limit=detail
                )
            else:
                detail = _(
                    "too many requests from this address: the limit is {limit}; retry later", limit=detail
                )
        elif status == 413 and detail == RequestEntityTooLarge.description:
            limit = current_app.config["MAX_CONTENT_LENGTH"]
            detail = _("the request body is larger than the limit of {limit} bytes", limit=f"{limit:,}")
        response = problem(status, detail)
        # Keep the headers HTTP requires with the status, e.g. Allow with 405.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        _log.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "the server failed to answer; the error was logged")
