"""gunicorn settings for `make run` and `riskzones serve`, from RISKZONES_* variables."""

import os

bind = f"{os.environ.get('RISKZONES_HOST', '127.0.0.1')}:{os.environ.get('RISKZONES_PORT', '8000')}"
workers = int(os.environ.get("RISKZONES_WORKERS", "2"))
# The app (pack, index, map page) is built once in the master and workers are forked from it:
# a new or restarted worker serves at once and shares the pack's memory. `kill -HUP <master>`
# swaps in a new pack: the master builds the app again (on_reload), then new workers start on
# it while the old ones finish their requests (gunicorn's graceful reload).
preload_app = True
timeout = int(os.environ.get("RISKZONES_TIMEOUT", "30"))
graceful_timeout = 10
# Bound what one request may send in its request line and headers.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("RISKZONES_ACCESS_LOG", "-")
logger_class = "service.gunicorn_log.JsonAccessLogger"


def when_ready(server):  # type: ignore[no-untyped-def]
    """The app is built: keep it out of full collections, in the master and so in every worker
    forked from it (their pages stay shared)."""
    from geo.engine.index import keep_for_process, release_freed_memory

    release_freed_memory()
    keep_for_process()
    if os.environ.get("RISKZONES_DELIVERER", "1") != "0":
        _start_deliverer(server)


def _start_deliverer(server):  # type: ignore[no-untyped-def]
    """Webhook notifications are delivered by `riskzones watches deliver`, a process of its own
    beside the workers (same database; several servers may each run one: rows are claimed)."""
    import subprocess
    import sys
    from pathlib import Path

    riskzones = Path(sys.executable).with_name("riskzones")
    command = [str(riskzones), "watches", "deliver"]
    app = server.app.callable
    if app is not None and app.config["WEBHOOKS_ALLOW_PRIVATE"]:  # the app's setting decides
        command.append("--allow-private")
    server.riskzones_deliverer = subprocess.Popen(command)
    server.log.info("riskzones: webhook deliverer %s started", server.riskzones_deliverer.pid)


def on_exit(server):  # type: ignore[no-untyped-def]
    deliverer = getattr(server, "riskzones_deliverer", None)
    if deliverer is not None:
        deliverer.terminate()
        deliverer.wait(timeout=10)


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """A worker opens its own database connections (none are shared across a fork)."""
    app = server.app.callable
    if app is not None:
        app.extensions["riskzones"].alerts.store.engine.dispose(close=False)


def on_reload(server):  # type: ignore[no-untyped-def]
    """Build the app on the pack now configured; workers started from here on serve it. A pack
    that cannot be served is reported and the current one kept."""
    import gc

    from geo.engine.index import keep_for_process
    from geo.errors import PackError
    from service.app import create_app

    gc.unfreeze()  # the old app is freed once its workers have gone
    try:
        fresh = create_app()
    except PackError as error:
        server.log.error("riskzones: the pack to reload is broken; still serving the current one: %s", error)
    else:
        server.app.callable = fresh
        server.log.info("riskzones: reloaded the pack")
    keep_for_process()


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Say when a worker serves: restarts and reloads can be timed."""
    worker.log.info("riskzones: worker %s ready", worker.pid)
