"""The embedded default: a real PostgreSQL (the ``pgserver`` wheel's binaries) run by the app."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

__all__ = ["EmbeddedPostgres"]

log = logging.getLogger(__name__)
DATABASE_NAME = "social"


class EmbeddedPostgres:
    """Starts (or joins) a PostgreSQL whose data lives in ``data_dir``; it listens on a unix
    socket inside that directory only, so nothing is exposed on the network. Several processes
    may share it; the last one to leave stops it."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._server: Any = None

    def start(self) -> str:
        """Start or join the server and return an asyncpg URL to the ``social`` database."""
        import pgserver  # imported here: only the embedded mode needs it

        self._data_dir.mkdir(parents=True, exist_ok=True)
        self._server = pgserver.get_server(self._data_dir, cleanup_mode="stop")  # type: ignore[attr-defined]
        exists = self._server.psql("SELECT 1 FROM pg_database WHERE datname = 'social';")
        if "1 row" not in exists:
            self._server.psql(f"CREATE DATABASE {DATABASE_NAME};")
            log.info("created the embedded database in %s", self._data_dir)
        return f"postgresql+asyncpg://postgres:@/{DATABASE_NAME}?host={self._data_dir}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
