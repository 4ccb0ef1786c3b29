"""gunicorn settings for `make run` and `riskzones serve`, from RISKZONES_* variables."""

import os

bind = f"{os.environ.get('RISKZONES_HOST', '127.0.0.1')}:{os.environ.get('RISKZONES_PORT', '8000')}"
workers = int(os.environ.get("RISKZONES_WORKERS", "2"))
# Load the app (and its pack and index) once in the master; workers fork with it ready.
preload_app = True
timeout = int(os.environ.get("RISKZONES_TIMEOUT", "30"))
graceful_timeout = 10
# Bound what one request may send in its request line and headers.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("RISKZONES_ACCESS_LOG", "-")
logger_class = "service.gunicorn_log.JsonAccessLogger"
