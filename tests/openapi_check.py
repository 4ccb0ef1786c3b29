"""Validate real responses against the OpenAPI document the app serves."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


def assert_matches_openapi(document: dict[str, Any], path: str, method: str, response: Any) -> None:
    """The response's status, media type and body conform to the documented operation."""
    operation = document["paths"][path][method.lower()]
    documented = operation["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method} {path} answered {status}, not documented"
    content = documented[status].get("content")
    if content is None:
        return
    assert response.mimetype in content, f"{response.mimetype} not documented for {status}"
    schema = {**content[response.mimetype]["schema"], "components": document["components"]}
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(response.get_json())
