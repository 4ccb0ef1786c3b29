"""Reading JSON and YAML documents sent by users: one reader, used by the API and the CLI.

Only the project's own ``InputFormatError`` leaves this module. YAML is read without aliases
(an alias bomb of a few hundred bytes would otherwise expand to billions of nodes) and
without implicit timestamps (dates stay ``YYYY-MM-DD`` text, read by ``geo.dates``).
"""

from __future__ import annotations

import functools
import json
from typing import Any

import orjson

from geo.errors import InputFormatError
from geo.i18n import _

__all__ = ["parse_json", "parse_yaml"]


def parse_json(raw: bytes | str, *, field: str = "body", what: str | None = None) -> Any:
    """The JSON document in ``raw``; NaN and Infinity are refused (they are not JSON).

    Examples
    --------
    >>> parse_json(b'{"a": [1, 2]}')
    {'a': [1, 2]}
    >>> parse_json(b'{"a": NaN}')
    Traceback (most recent call last):
    ...
    geo.errors.InputFormatError: NaN is not a number in JSON; send a finite number
    """
    what = what or _("the body")
    if not raw:
        raise InputFormatError(_("{what} is empty; send JSON", what=what), field=field, code="json_syntax")
    # orjson reads a 100,000-position route several times faster than json. It refuses NaN
    # and nesting beyond 1,024 levels (json then reads the document again for its messages),
    # and reads integers beyond 64 bits as floats, so a document with a 19-digit run goes to
    # json, which keeps them exact.
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")
    if _LONG_DIGITS not in data.translate(_DIGITS_AS_ZERO):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputFormatError(
            _(
                "{what} is not valid JSON: {problem} at line {line}, column {column}",
                what=what,
                problem=exc.msg,
                line=exc.lineno,
                column=exc.colno,
            ),
            field=field,
            code="json_syntax",
        ) from None
    except RecursionError:
        raise InputFormatError(
            _("{what} is nested too deeply", what=what), field=field, code="json_syntax"
        ) from None
    except UnicodeDecodeError:
        raise InputFormatError(
            _("{what} is not UTF-8 text", what=what), field=field, code="json_syntax"
        ) from None


# A run of 19 digits, found in one C pass: every digit mapped to 0, then a substring search
# (a regular expression took 30 ms on a 100,000-position route).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * 19


def _reject_constant(name: str) -> None:
    raise InputFormatError(
        _("{name} is not a number in JSON; send a finite number", name=name), field="body", code="json_syntax"
    )


@functools.cache
def _plain_loader() -> type:
    """Safe YAML without aliases and without implicit timestamps (built on first use: PyYAML's
    import is a tenth of a cold `riskzones check`, which reads no YAML)."""
    import yaml

    class PlainLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise InputFormatError(
                    _(
                        "YAML aliases are not accepted (*{anchor} at line {line}); write the values out in "
                        "full",
                        anchor=event.anchor,
                        line=line,
                    ),
                    field="body",
                )
            return super().compose_node(parent, index)

    PlainLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return PlainLoader


def parse_yaml(raw: bytes | str, *, field: str = "body", what: str | None = None) -> Any:
    """The YAML (or JSON) document in ``raw``; aliases refused, dates kept as text.

    Examples
    --------
    >>> parse_yaml("stops:\\n  - {place: Lima, date: 2026-12-01}")
    {'stops': [{'place': 'Lima', 'date': '2026-12-01'}]}
    >>> parse_yaml("a: &x [1]\\nb: *x")
    Traceback (most recent call last):
    ...
    geo.errors.InputFormatError: YAML aliases are not accepted (*x at line 2); write the values out in full
    """
    import yaml

    what = what or _("the body")
    try:
        return yaml.load(raw, Loader=_plain_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark:
            said = _(
                "{what} is not valid YAML at line {line}, column {column}",
                what=what,
                line=mark.line + 1,
                column=mark.column + 1,
            )
        else:
            said = _("{what} is not valid YAML", what=what)
        raise InputFormatError(said, field=field) from None
    except RecursionError:
        raise InputFormatError(_("{what} is nested too deeply", what=what), field=field) from None
