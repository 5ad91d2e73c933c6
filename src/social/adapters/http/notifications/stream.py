"""``WS /api/v1/stream``: notifications and home-feed items pushed to a signed-in user.

The client authenticates with ``?access_token=`` or, within five seconds, a first message
``{"type": "auth", "access_token": "…"}``. It then receives ``{"event", "data"}`` messages:
``ready`` once subscribed, ``notification``, ``feed_item``, and ``heartbeat`` every
``SOCIAL_STREAM_HEARTBEAT_S``; it may send ``{"type": "ping"}`` (answered by ``pong``). At every
heartbeat the session is checked again (the checks of all sockets coalesced, see
``session_recheck``); a session that ends closes the socket with code 4401, and so does the
token's expiry, at that moment. Nothing is lost by a closed socket: the list endpoints hold
everything.

Abuse limits (``StreamLimits``): connection attempts per minute per client IP and per user,
``SOCIAL_STREAM_MAX_PER_USER`` open sockets per user (slots in the ``RateLimiter``: Redis across
processes, memory when embedded; renewed at each heartbeat, so a dead process's slots lapse),
and messages per minute per socket. A refusal accepts the socket and closes it at once with
4429 and a reason: browsers show a script nothing of a refused handshake (no HTTP status), but
they do show a close code. A limiter that cannot be reached lets connections in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from social.adapters.http.client_ip import client_ip
from social.adapters.http.notifications.stream_guard import (
    MessageBudget,
    Slot,
    StreamLimits,
    over_attempts,
    take_slot,
    watch_session,
)
from social.adapters.observability.metrics import WEBSOCKETS
from social.domain.accounts.authenticate import Authenticate
from social.domain.notifications.model import StreamEvent
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.identity import Viewer
from social.domain.shared.rate_limits import RateLimiter
from social.use_cases import UseCases

__all__ = [
    "CLOSE_AUTH_TIMEOUT",
    "CLOSE_TOO_MANY",
    "CLOSE_UNAUTHORIZED",
    "StreamLimits",
    "stream_handler",
]

log = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401
"""The token is missing, invalid, expired or its session ended: sign in (or refresh) again."""
CLOSE_AUTH_TIMEOUT = 4408
"""No ``auth`` message came within five seconds."""
CLOSE_BAD_MESSAGE = 4400
CLOSE_TOO_MANY = 4429
"""Too many connection attempts, open sockets or messages (the reason says which)."""
AUTH_WAIT_S = 5.0


async def _refuse(socket: WebSocket[Any, Any, Any], reason: str) -> None:
    with contextlib.suppress(Exception):
        await socket.close(code=CLOSE_TOO_MANY, reason=reason)


def stream_handler(heartbeat_s: float) -> Any:
    @websocket("/stream", name="stream")
    async def stream(socket: WebSocket[Any, Any, Any]) -> None:
        limits = StreamLimits.of(socket)
        limiter: RateLimiter = socket.app.state.adapters.rate_limiter
        await socket.accept()
        ip = client_ip(socket.scope, limits.proxies)
        if refusal := await over_attempts(limiter, f"ip:{ip}", limits.connects):
            await _refuse(socket, refusal)
            return
        token = socket.query_params.get("access_token")
        if not token:
            token = await _first_message_token(socket)
            if token is None:
                return
        use_cases: UseCases = socket.app.state.use_cases
        try:
            viewer, expires_at = await use_cases.get(Authenticate).until(token)
        except AuthenticationFailed:
            await socket.close(code=CLOSE_UNAUTHORIZED, reason="invalid or expired token")
            return
        socket.scope.setdefault("state", {})["viewer"] = viewer
        if refusal := await over_attempts(limiter, f"user:{viewer.user_id}", limits.connects):
            await _refuse(socket, refusal)
            return
        slot = Slot.for_user(limiter, viewer, limits)
        if not await take_slot(slot, limits):
            await _refuse(socket, f"at most {limits.max_per_user} open streams per user")
            return
        events = socket.app.state.adapters.stream
        try:
            async with events.subscribe(viewer.user_id) as incoming:
                WEBSOCKETS.inc()
                try:
                    await socket.send_json(
                        {"event": "ready", "data": {"user_id": str(viewer.user_id)}}
                    )
                    await _serve(socket, incoming, expires_at, heartbeat_s, viewer, slot, limits)
                finally:
                    WEBSOCKETS.dec()
        finally:
            await slot.release()

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
    slot: Slot,
    limits: StreamLimits,
) -> None:
    """Push events, answer pings, beat; the first of the three to end ends the socket."""

    async def push() -> int:
        async for event in incoming:
            await socket.send_json({"event": event.event, "data": event.data})
        return 1000

    async def listen() -> int:
        budget = MessageBudget(limits.messages_per_minute)
        while True:
            message = await socket.receive_json()
            if not budget.spend():
                return CLOSE_TOO_MANY
            if isinstance(message, dict) and message.get("type") == "ping":
                await socket.send_json({"event": "pong", "data": {}})

    async def heartbeat() -> None:
        await socket.send_json({"event": "heartbeat", "data": {}})

    async def beat() -> int:
        await watch_session(socket, viewer, expires_at, heartbeat_s, slot, heartbeat)
        return CLOSE_UNAUTHORIZED

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
            reason = _REASONS.get(code)
            await socket.close(code=code, reason=reason)


_REASONS = {
    CLOSE_UNAUTHORIZED: "the session has ended",
    CLOSE_TOO_MANY: "too many messages",
}
