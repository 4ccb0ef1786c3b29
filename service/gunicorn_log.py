"""gunicorn access log as one JSON object per request (values escaped, unlike format strings)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from gunicorn.glogging import Logger

__all__ = ["JsonAccessLogger"]


class JsonAccessLogger(Logger):
    """Writes the access log as JSON lines; the error log is unchanged."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta) -> None:
        if not self.cfg.accesslog:
            return
        status = resp.status.split()[0] if isinstance(resp.status, str) else resp.status
        record = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "remote": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        self.access_log.info(json.dumps(record))
