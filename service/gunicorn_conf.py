"""gunicorn settings for `make run` and `riskzones serve`, from RISKZONES_* variables."""

import os
import sys

bind = f"{os.environ.get('RISKZONES_HOST', '127.0.0.1')}:{os.environ.get('RISKZONES_PORT', '8000')}"
workers = int(os.environ.get("RISKZONES_WORKERS", "2"))
# Each worker loads the pack itself, so `kill -HUP <master>` swaps in a new pack: new workers
# start on it while the old ones finish their requests (gunicorn's graceful reload).
preload_app = False
timeout = int(os.environ.get("RISKZONES_TIMEOUT", "30"))
graceful_timeout = 10
# Bound what one request may send in its request line and headers.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("RISKZONES_ACCESS_LOG", "-")
logger_class = "service.gunicorn_log.JsonAccessLogger"


def _check_pack() -> str | None:
    """The reason the configured pack (or its gazetteer) cannot be served, or None."""
    from geo.errors import PackError
    from geo.gazetteer import Gazetteer
    from geo.pack import default_pack_dir, load_pack

    try:
        Gazetteer.from_pack(load_pack(os.environ.get("RISKZONES_PACK") or default_pack_dir()))
    except PackError as error:
        return str(error)
    return None


def on_starting(server):  # type: ignore[no-untyped-def]
    """Refuse to start on a missing, corrupt or partial pack, with a message, not a traceback."""
    problem = _check_pack()
    if problem:
        print(f"riskzones: cannot start: {problem}", file=sys.stderr)
        sys.exit(1)


def on_reload(server):  # type: ignore[no-untyped-def]
    """Log what is being swapped in; a broken pack is reported before workers try it."""
    problem = _check_pack()
    if problem:
        server.log.error("riskzones: the pack to reload is broken, workers will fail: %s", problem)
    else:
        server.log.info("riskzones: reloading the pack")


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Say when a worker has loaded the pack and serves: restarts and reloads can be timed.
    What the worker built lives as long as it does: keep it out of full collections."""
    from geo.index import keep_for_process

    keep_for_process()
    worker.log.info("riskzones: worker %s ready", worker.pid)
