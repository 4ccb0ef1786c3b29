"""The OpenAPI component schemas, generated from ``service.models``, and request validation.

Bodies are validated by the same models the published schemas come from, so the document
and the behaviour cannot drift apart.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from geo.errors import InputFormatError
from service import models

__all__ = ["SCHEMAS", "adapter", "component_schemas", "ref", "validate"]

_REF = "#/components/schemas/{model}"


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": _REF.format(model=name)}


@cache
def adapter(name: str) -> TypeAdapter[Any]:
    """The validator of one model (or union of models) of ``service.models``, by name."""
    return TypeAdapter(getattr(models, name))


class _Generator(GenerateJsonSchema):
    """Pydantic's JSON Schema, without ``"default": null`` on optional fields that may be
    left out but not sent as null (a default must be valid against its schema)."""

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        if "default" in json_schema and json_schema["default"] is None:
            del json_schema["default"]
        return json_schema


def component_schemas() -> dict[str, Any]:
    """Every published component and the models they refer to, as JSON Schema 2020-12."""
    schemas: dict[str, Any] = {}
    for name in models.COMPONENTS:
        schema = adapter(name).json_schema(ref_template=_REF, schema_generator=_Generator, mode="validation")
        schemas.update(schema.pop("$defs", {}))
        if schema.get("$ref") != _REF.format(model=name):
            schemas[name] = schema
    return schemas


SCHEMAS = component_schemas()


def validate(name: str, document: Any) -> Any:
    """Check a document against a published component; an ``InputFormatError`` names the
    offending field (e.g. ``points[3].lat``) and says what is wrong."""
    try:
        return adapter(name).validate_python(document)
    except ValidationError as error:
        located = [(_field(document, e), e) for e in error.errors(include_url=False)]
        # Of a union's failed branches, the one that matched furthest into the document.
        field, first = max(located, key=lambda pair: len(pair[0]))
        field = field or "body"
        message = first["msg"]
        if first["type"] == "missing":
            message = f"{first['loc'][-1]} is required"
        raise InputFormatError(f"{field}: {message}", field=field) from None


def _field(document: Any, error: Any) -> str:
    """The error's location as a path into the document (``features[0].geometry.coordinates``),
    leaving out the names pydantic gives to union branches."""
    path, node = "", document
    loc = error["loc"]
    for position, step in enumerate(loc):
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            path, node = f"{path}[{step}]", node[step]
        elif isinstance(node, dict) and step in node:
            path, node = f"{path}.{step}", node[step]
        elif error["type"] == "missing" and position == len(loc) - 1:
            break  # the missing key itself; the message names it
    return path.lstrip(".")
