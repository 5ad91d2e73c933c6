"""The WebSocket stream (``/api/v1/stream``): heartbeat and per-user and per-socket limits."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StreamSettings"]


@dataclass(frozen=True, slots=True)
class StreamSettings:
    """How often a stream beats, and how many sockets and messages one user may use."""

    stream_heartbeat_s: float = 25.0
    """WebSocket heartbeat period; the session is checked again at each beat."""
    stream_max_per_user: int = 5
    """Open ``/api/v1/stream`` sockets one user may hold (across processes with Redis); one
    more is closed with 4429."""
    stream_connects_per_minute: int = 30
    """Stream connection attempts per minute, per client IP and per user (over: 4429)."""
    stream_messages_per_minute: int = 120
    """Messages one socket may send per minute (pings); over: closed with 4429."""
