"""The app gunicorn serves (`riskzones serve`, `make run`).

gunicorn builds it once, in the master (``preload_app``), and forks workers from it: a new or
restarted worker answers in milliseconds, and the workers share the pack's memory. A pack that
cannot be served stops start-up with its reason and no traceback.
"""

from __future__ import annotations

import sys

from flask import Flask

from geo.errors import PackError
from service.app import create_app

__all__ = ["served_app"]


def served_app() -> Flask:
    """``create_app()``, or exit 1 with ``riskzones: cannot start: <reason>``."""
    try:
        return create_app()
    except PackError as error:
        print(f"riskzones: cannot start: {error}", file=sys.stderr)
        raise SystemExit(1) from None
