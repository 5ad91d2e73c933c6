"""What one process is: its environment, address, server, logging, secret and local state."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = ["ProcessSettings", "default_data_dir"]


def default_data_dir() -> Path:
    """Per-user data directory (XDG on Linux), where the embedded mode keeps its state."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "social"


@dataclass(frozen=True, slots=True)
class ProcessSettings:
    """The process itself: where it listens, how it serves and logs, where it keeps state."""

    environment: Literal["development", "production", "test"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    server: Literal["granian", "uvicorn"] = "granian"
    """The ASGI server of ``social serve``. Granian is the faster HTTP server; uvicorn holds an
    open WebSocket in 43 KB instead of Granian's 172 KB (its WebSocket library reserves a
    128 KiB read buffer per socket), so it suits processes that serve ``/api/v1/stream``."""
    max_connections: int = 10_000
    """Open connections one API process serves at once, idle keep-alive ones included (Granian
    holds a slot per connection, not per request: its default, 512 a process, left thousands of
    connected clients waiting in the listen queue while the process idled). Past it, new
    connections wait in the listen backlog."""
    listen_backlog: int = 4096
    """Connections the kernel queues before the process accepts them (capped by
    ``net.core.somaxconn``, 4096 on current Linux)."""
    log_level: str = "INFO"
    data_dir: Path = field(default_factory=default_data_dir)
    secret_key: str = ""
    """Master secret (≥ 32 bytes); JWT, email and URL-signing keys are derived from it.
    Empty: a random one is created once in ``data_dir/secret_key``."""
    auto_migrate: bool = False
    """Apply migrations on start-up (always on for the embedded database)."""
    gc_thresholds: tuple[int, int, int] = (50_000, 20, 100)
    """``gc.set_threshold`` for an API process (CPython's default is 700, 10, 10). A full
    collection scans every live object and stops the process: 1.3 s at 10,000 open sockets
    (1.6 million objects), which the default thresholds ran every ~12 s. With a young
    generation of 50,000 short-lived objects die before any collection, so few reach the old
    one and full collections become rare (docs/benchmarks.md, WebSocket stream)."""

    @property
    def media_dir(self) -> Path:
        """Where the local-disk storage keeps media (when no S3 endpoint is set)."""
        return self.data_dir / "media"
