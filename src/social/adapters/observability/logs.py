"""JSON logs, one object per line, carrying the request id; secrets never get in.

Sensitive keys are redacted from every ``extra`` field by name, and the access log never
records headers, bodies or query strings (tokens travel in those).
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

__all__ = ["JsonFormatter", "configure_logging", "logging_config", "request_id_var"]

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_SENSITIVE = ("password", "token", "secret", "authorization", "cookie", "api_key", "email")
_STANDARD = frozenset(set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"})


def _redact(key: str, value: Any) -> Any:
    return "[redacted]" if any(word in key.lower() for word in _SENSITIVE) else value


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (request_id := request_id_var.get()) is not None:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = _redact(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(level: str) -> dict[str, Any]:
    """A ``dictConfig`` for our loggers and the server's (granian and uvicorn take it as is)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",  # a name: uvicorn pickles the config for workers
            }
        },
        "root": {"handlers": ["stdout"], "level": level.upper()},
        "loggers": {
            "granian.access": {"level": "WARNING"},
            "uvicorn.access": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},
            "opensearch": {"level": "WARNING"},
            "saq": {"level": "WARNING"},
            "alembic": {"level": "WARNING"},
            "pgserver": {"level": "WARNING"},
        },
    }


def configure_logging(level: str) -> None:
    import logging.config

    logging.config.dictConfig(logging_config(level))
