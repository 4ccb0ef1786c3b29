"""The shapes every model shares: strict numbers, coordinates, levels, days, identifiers, and
the problem and pack references of every answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, WithJsonSchema

from geo.i18n import _

__all__ = [
    "Day",
    "Identifier",
    "Lat",
    "Level",
    "Lon",
    "Number",
    "PackRef",
    "Position",
    "Problem",
    "Shape",
    "Status",
    "Verdict",
    "Whole",
    "omissible",
]


def _identifier(value: object) -> object:
    """A string or an integer of any size (pydantic-core's own int type stops at 64 bits).
    A whole number written with a fraction (``50.0``) is the integer JSON Schema says it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(_("an id must be a string or an integer"))
    return value


Number = Annotated[float, Strict()]
Whole = Annotated[int, Strict()]
Lon = Annotated[float, Strict(), Field(ge=-180, le=180)]
Lat = Annotated[float, Strict(), Field(ge=-90, le=90)]
Level = Annotated[int, Strict(), Field(ge=1, le=4)]
Identifier = Annotated[
    object,
    AfterValidator(_identifier),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]
Day = Annotated[str, Strict(), Field(json_schema_extra={"format": "date"}, description="YYYY-MM-DD")]
Status = Literal["in_force", "unconfirmed", "expired", "not_yet"]
Verdict = Literal["do_not_travel", "reconsider", "caution", "ok", "not_covered"]
Position = Annotated[
    tuple[Lon, Lat] | tuple[Lon, Lat, Number],
    Field(description="[lon, lat] or [lon, lat, elevation]."),
]


def omissible(description: str | None = None) -> Any:
    """A field that may be left out but not sent as null: absent reads as None, while an
    explicit null fails the field's type (the schema shows no null default)."""
    return Field(None, description=description)


class Shape(BaseModel):
    """A JSON object: unknown keys are kept, not refused."""

    model_config = ConfigDict(extra="allow")


# Errors and references.


class Problem(Shape):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = Field(None, description="The offending input field.")
    code: str | None = Field(
        None,
        description="A stable word for the kind of refusal, for programs to act on "
        "(for route files: no_route, unsupported_format, xml_syntax, bad_type, bad_position, "
        "polyline_text, archive_limit, refused_dtd, json_syntax).",
    )


class PackRef(Shape):
    id: str
    version: str
