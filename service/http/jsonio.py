"""JSON responses encoded with orjson: the encoder is a measurable share of a /v1/check answer."""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

__all__ = ["OrjsonProvider"]


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson for dumping; loading is unchanged."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        try:
            return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode()
        except TypeError:  # e.g. an integer id beyond 64 bits: the standard encoder copes
            return super().dumps(obj, **kwargs)
