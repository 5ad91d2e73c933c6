"""A plain HTTP ``GET`` of the stream's path: ``426 Upgrade Required``, not a bare 405.

The stream is a WebSocket; without this handler Litestar answered a plain ``GET`` with 405 and
``Allow: websocket`` (not an HTTP method). 426 with ``Upgrade: websocket`` (RFC 9110 §15.5.22)
tells a client what to do instead, and lets the OpenAPI document describe the path exactly.
"""

from __future__ import annotations

from litestar import get
from litestar.exceptions import HTTPException

__all__ = ["stream_upgrade_required"]


@get("/stream", name="stream-upgrade-required", include_in_schema=False, sync_to_thread=False)
def stream_upgrade_required() -> None:
    """Documented with the stream itself (openapi.py)."""
    raise HTTPException(
        status_code=426,
        detail="The stream is a WebSocket: connect with `Upgrade: websocket`.",
        headers={"Upgrade": "websocket", "Connection": "Upgrade"},
    )
