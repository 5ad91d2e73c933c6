"""Request ids and the access log, as a plain ASGI middleware (cheap on the hot path)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from social.adapters.observability.logs import request_id_var

__all__ = ["RequestContextMiddleware", "response_status"]

access_log = logging.getLogger("social.access")
_VALID_ID = re.compile(rb"[A-Za-z0-9._\-]{1,64}")
REQUEST_ID_HEADER = b"x-request-id"


class RequestContextMiddleware:
    """Takes a well-formed ``X-Request-ID`` from the client or makes one, puts it in every log
    line of the request and in the response, then logs one access line. Query strings, headers
    and bodies are never logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            status = response_status(message, status)
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_access(scope, status, time.perf_counter() - started)
            request_id_var.reset(token)


def response_status(message: Message, status: int) -> int:
    """The status a response has once ``message`` is sent: the HTTP status (of a refused
    WebSocket handshake too); 101 for an accepted WebSocket; 403 for one closed before it was
    accepted."""
    if message["type"] in ("http.response.start", "websocket.http.response.start"):
        return int(message["status"])
    if message["type"] == "websocket.accept":
        return 101
    if message["type"] == "websocket.close" and status != 101:
        return 403
    return status


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER and _VALID_ID.fullmatch(value):
            return str(value.decode())
    return None


def _log_access(scope: Scope, status: int, seconds: float) -> None:
    if not access_log.isEnabledFor(logging.INFO) or scope["path"].startswith(
        ("/health", "/metrics")
    ):
        return
    state: dict[str, Any] = scope.get("state", {})
    viewer = state.get("viewer")
    client = scope.get("client")
    access_log.info(
        "%s %s %s",
        scope.get("method", "WS"),
        scope["path"],
        status,
        extra={
            "method": scope.get("method", "WS"),
            "path": scope["path"],
            "route": scope.get("path_template"),
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "user_id": str(viewer.user_id) if viewer is not None else None,
            "client_ip": client[0] if client else None,
        },
    )
