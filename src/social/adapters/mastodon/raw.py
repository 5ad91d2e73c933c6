"""App-API errors sent straight from ASGI code that runs outside a handler (the colliding-path
dispatcher, the rate limiter): the same ``{"error": "..."}`` body as errors.py."""

from __future__ import annotations

import json
from collections.abc import Sequence

from litestar.types import HTTPResponseBodyEvent, HTTPResponseStartEvent, Send

__all__ = ["send_error"]


async def send_error(
    send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    body = json.dumps({"error": message}).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)
