"""gunicorn settings for `make run`, read from RISKZONES_* environment variables."""

import os

bind = f"{os.environ.get('RISKZONES_HOST', '127.0.0.1')}:{os.environ.get('RISKZONES_PORT', '8000')}"
workers = int(os.environ.get("RISKZONES_WORKERS", "2"))
# Load the app (and its pack) once in the master so workers share it and start fast.
preload_app = True
accesslog = "-"
timeout = 30
