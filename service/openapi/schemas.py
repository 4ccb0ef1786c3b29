"""The OpenAPI component schemas, generated from ``service.openapi.models``, and request validation.

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
from geo.i18n import DEFAULT, N_, _, language
from service.openapi import models

__all__ = ["SCHEMAS", "adapter", "component_schemas", "ref", "validate"]

_REF = "#/components/schemas/{model}"


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": _REF.format(model=name)}


@cache
def adapter(name: str) -> TypeAdapter[Any]:
    """The validator of one model (or union of models) of ``service.openapi.models``, by name."""
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
        raise InputFormatError(f"{field}: {_words(first)}", field=field) from None


#: pydantic's error types in the current language: its English words as the key (shown as
#: pydantic gives them in English), its context filling the placeholders.
_PYDANTIC = {
    "bool_type": N_("Input should be a valid boolean"),
    "dict_type": N_("Input should be a valid dictionary"),
    "finite_number": N_("Input should be a finite number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "float_type": N_("Input should be a valid number"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_type": N_("Input should be a valid integer"),
    "json_invalid": N_("Invalid JSON: {error}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "list_type": N_("Input should be a valid list"),
    "literal_error": N_("Input should be {expected}"),
    "model_attributes_type": N_("Input should be a valid dictionary or object to extract fields from"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_type": N_("Input should be a valid string"),
    "too_long": N_(
        "{field_type} should have at most {max_length} items after validation, not {actual_length}"
    ),
    "too_short": N_(
        "{field_type} should have at least {min_length} items after validation, not {actual_length}"
    ),
    "tuple_type": N_("Input should be a valid tuple"),
    "value_error": N_("Value error, {error}"),
}


def _words(error: Any) -> str:
    """What is wrong, in the current language: pydantic's own words in English; elsewhere its
    error type's translation (pydantic's English where a type has none)."""
    if error["type"] == "missing":
        return _("{name} is required", name=error["loc"][-1])
    template = _PYDANTIC.get(error["type"])
    if template is None or language() == DEFAULT:
        return str(error["msg"])
    try:
        return _(template, **error.get("ctx", {}))
    except (KeyError, IndexError, TypeError):
        return str(error["msg"])


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
