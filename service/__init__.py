"""HTTP API and command line of riskzones. ``create_app`` is the only way to get an app.

The web framework and the map are imported only when an app is built: the command line's
``check``, ``route``, ``itinerary`` and ``batch`` never load them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app (see ``service.app.create_app``)."""
    from service.app import create_app as build

    return build(config)
