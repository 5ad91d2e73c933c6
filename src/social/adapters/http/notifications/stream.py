"""``WS /api/v1/stream``: notifications and home-feed items pushed to a signed-in user.

The client authenticates with ``?access_token=`` or, within five seconds, a first message
``{"type": "auth", "access_token": "…"}``. It then receives ``{"event", "data"}`` messages:
``ready`` once subscribed, ``notification``, ``feed_item``, and ``heartbeat`` every
``SOCIAL_STREAM_HEARTBEAT_S``; it may send ``{"type": "ping"}`` (answered by ``pong``). At every
heartbeat the session is checked again (the checks of all sockets coalesced, see
``session_recheck``); a session that ends closes the socket with code 4401, and so does the
token's expiry, at that moment. Nothing is lost by a closed socket: the list endpoints hold
everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from social.adapters.http.notifications.session_recheck import SessionRecheck
from social.adapters.observability.metrics import WEBSOCKETS
from social.domain.accounts.model import Viewer
from social.domain.notifications.model import StreamEvent
from social.domain.shared.errors import AuthenticationFailed, DomainError

__all__ = ["CLOSE_AUTH_TIMEOUT", "CLOSE_UNAUTHORIZED", "stream_handler"]

log = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401
"""The token is missing, invalid, expired or its session ended: sign in (or refresh) again."""
CLOSE_AUTH_TIMEOUT = 4408
"""No ``auth`` message came within five seconds."""
CLOSE_BAD_MESSAGE = 4400
AUTH_WAIT_S = 5.0


def stream_handler(heartbeat_s: float) -> Any:
    @websocket("/stream", name="stream")
    async def stream(socket: WebSocket[Any, Any, Any]) -> None:
        await socket.accept()
        token = socket.query_params.get("access_token")
        if not token:
            token = await _first_message_token(socket)
            if token is None:
                return
        use_cases = socket.app.state.use_cases
        try:
            viewer, expires_at = await use_cases.authenticate.until(token)
        except AuthenticationFailed:
            await socket.close(code=CLOSE_UNAUTHORIZED, reason="invalid or expired token")
            return
        socket.scope.setdefault("state", {})["viewer"] = viewer
        events = socket.app.state.adapters.stream
        async with events.subscribe(viewer.user_id) as incoming:
            WEBSOCKETS.inc()
            try:
                await socket.send_json({"event": "ready", "data": {"user_id": str(viewer.user_id)}})
                await _serve(socket, incoming, expires_at, heartbeat_s, viewer)
            finally:
                WEBSOCKETS.dec()

    return stream


async def _first_message_token(socket: WebSocket[Any, Any, Any]) -> str | None:
    try:
        message = await asyncio.wait_for(socket.receive_json(), AUTH_WAIT_S)
    except TimeoutError:
        await socket.close(code=CLOSE_AUTH_TIMEOUT, reason="send an auth message first")
        return None
    except (WebSocketDisconnect, ValueError):
        with contextlib.suppress(Exception):
            await socket.close(code=CLOSE_BAD_MESSAGE, reason="expected JSON")
        return None
    token = message.get("access_token") if isinstance(message, dict) else None
    if not isinstance(token, str) or message.get("type") != "auth":
        await socket.close(code=CLOSE_UNAUTHORIZED, reason="the first message must be auth")
        return None
    return token


async def _serve(
    socket: WebSocket[Any, Any, Any],
    incoming: AsyncIterator[StreamEvent],
    expires_at: datetime,
    heartbeat_s: float,
    viewer: Viewer,
) -> None:
    """Push events, answer pings, beat; the first of the three to end ends the socket."""

    async def push() -> int:
        async for event in incoming:
            await socket.send_json({"event": event.event, "data": event.data})
        return 1000

    async def listen() -> int:
        while True:
            message = await socket.receive_json()
            if isinstance(message, dict) and message.get("type") == "ping":
                await socket.send_json({"event": "pong", "data": {}})

    async def beat() -> int:
        recheck: SessionRecheck = socket.app.state.session_recheck
        while True:
            left = (expires_at - datetime.now(UTC)).total_seconds()
            await asyncio.sleep(max(0.0, min(heartbeat_s, left)))
            if datetime.now(UTC) >= expires_at:
                return CLOSE_UNAUTHORIZED
            try:
                if not await recheck.standing(viewer):
                    return CLOSE_UNAUTHORIZED
            except DomainError:  # the database is unreachable: sign in again once it is back
                return CLOSE_UNAUTHORIZED
            await socket.send_json({"event": "heartbeat", "data": {}})

    tasks = [asyncio.create_task(job()) for job in (push, listen, beat)]
    code = 1000
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if not task.cancelled() and task.exception() is None:
                code = task.result()
    finally:
        for task in tasks:  # stop receiving before closing: a close waits for pending reads
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception) and not isinstance(
                result, WebSocketDisconnect | asyncio.CancelledError | ValueError
            ):
                log.warning(
                    "stream ended by an error",
                    extra={"user_id": str(viewer.user_id)},
                    exc_info=result,
                )
        with contextlib.suppress(Exception):
            reason = "the session has ended" if code == CLOSE_UNAUTHORIZED else None
            await socket.close(code=code, reason=reason)
