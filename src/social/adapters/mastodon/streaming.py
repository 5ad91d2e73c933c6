"""``WS /api/v1/streaming``: Mastodon's streaming protocol over the native stream's events.

A client connects with its token in ``Authorization: Bearer``, ``?access_token=`` or as the
``Sec-WebSocket-Protocol`` (echoed back, as browsers require), names a stream with ``?stream=``
and/or sends ``{"type": "subscribe" | "unsubscribe", "stream": "user" | "user:notification"}``.
The server sends ``{"stream": [name], "event": "update" | "notification", "payload": "<JSON>"}``
(streaming_events.py). A refused handshake (no or bad token, over a limit) is an HTTP 401 or 429
``{"error"}`` where the server can answer one (the ASGI denial-response extension; granian and
uvicorn can), else a close before the socket opens (HTTP 403) with code 4401 or 4429.

The socket shares the native stream's subscription per user, its limits and open-stream slots
and its session watch (stream_guard.py): a revoked token, a suspension or signing out everywhere
closes it with 4401 at the next heartbeat. Mastodon sends no keep-alive message of its own (its
server pings at the WebSocket level), so neither does this socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from litestar import WebSocket, get, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.response import Response
from litestar.types import WebSocketResponseBodyEvent, WebSocketResponseStartEvent

from social.adapters.http.client_ip import client_ip
from social.adapters.http.notifications.stream import CLOSE_TOO_MANY, CLOSE_UNAUTHORIZED
from social.adapters.http.notifications.stream_guard import (
    MessageBudget,
    Slot,
    StreamLimits,
    over_attempts,
    take_slot,
    watch_session,
)
from social.adapters.mastodon.auth import is_app_token
from social.adapters.mastodon.entities import BASE_URL_OPT
from social.adapters.mastodon.entities.render import entities_at
from social.adapters.mastodon.streaming_events import (
    STREAMS,
    StreamMessages,
    error_message,
)
from social.adapters.observability.metrics import WEBSOCKETS
from social.domain.accounts.app_scopes import TOP_SCOPES, AppCaller, covers
from social.domain.accounts.authenticate import Authenticate
from social.domain.accounts.authenticate_app import AuthenticateApp
from social.domain.notifications.model import StreamEvent
from social.domain.shared.errors import AuthenticationFailed, DomainError
from social.domain.shared.rate_limits import RateLimiter
from social.use_cases import UseCases

__all__ = ["streaming_handlers"]

log = logging.getLogger(__name__)

Socket = WebSocket[Any, Any, Any]


def _token(socket: Socket) -> tuple[str | None, str | None]:
    """The access token and the subprotocol to echo (the first one offered, if any)."""
    offered: list[str] = list(socket.scope.get("subprotocols") or [])
    protocol = offered[0] if offered else None
    header = socket.headers.get("authorization", "")
    scheme, _, bearer = header.partition(" ")
    if scheme.lower() == "bearer" and bearer.strip():
        return bearer.strip(), protocol
    return socket.query_params.get("access_token") or protocol, protocol


async def _authenticate(socket: Socket, token: str) -> tuple[AppCaller, datetime | None]:
    """The caller and, for a JWT, when it expires (an app token does not)."""
    use_cases: UseCases = socket.app.state.use_cases
    if is_app_token(token):
        return await use_cases.get(AuthenticateApp).execute(token), None
    viewer, expires_at = await use_cases.get(Authenticate).until(token)
    return AppCaller(app_id=None, scopes=TOP_SCOPES, viewer=viewer), expires_at


async def _deny(socket: Socket, status: int, message: str, code: int) -> None:
    """Refuse the handshake: an HTTP answer where the server allows one, else a close."""
    with contextlib.suppress(Exception):
        if socket.connection_state == "init":
            await socket.receive()  # the connect message
        if "websocket.http.response" in (socket.scope.get("extensions") or {}):
            body = json.dumps({"error": message}).encode()
            start: WebSocketResponseStartEvent = {
                "type": "websocket.http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
            end: WebSocketResponseBodyEvent = {
                "type": "websocket.http.response.body",
                "body": body,
                "more_body": False,
            }
            await socket.send(start)
            await socket.send(end)
        else:
            await socket.close(code=code, reason=message)


def _base_url(socket: Socket) -> str:
    base: str = socket.route_handler.opt.get(BASE_URL_OPT) or ""
    if base:
        return base
    scheme = "https" if socket.url.scheme in ("wss", "https") else "http"
    return f"{scheme}://{socket.url.netloc}"


def streaming_handlers(heartbeat_s: float) -> list[Any]:
    @websocket("/api/v1/streaming", name="mastodon-streaming")
    async def streaming(socket: Socket) -> None:
        limits = StreamLimits.of(socket)
        limiter: RateLimiter = socket.app.state.adapters.rate_limiter
        ip = client_ip(socket.scope, limits.proxies)
        if refusal := await over_attempts(limiter, f"ip:{ip}", limits.connects):
            await _deny(socket, 429, refusal, CLOSE_TOO_MANY)
            return
        token, protocol = _token(socket)
        if not token:
            await _deny(socket, 401, "Missing access token", CLOSE_UNAUTHORIZED)
            return
        try:
            caller, expires_at = await _authenticate(socket, token)
        except AuthenticationFailed:
            await _deny(socket, 401, "Invalid access token", CLOSE_UNAUTHORIZED)
            return
        except DomainError:  # the database is unreachable: try again shortly
            await _deny(socket, 503, "Service unavailable", 1013)
            return
        viewer = caller.viewer
        if viewer is None:  # a client-credentials token: no user to stream for
            await _deny(socket, 401, "This stream requires a user", CLOSE_UNAUTHORIZED)
            return
        socket.scope.setdefault("state", {})["viewer"] = viewer
        if refusal := await over_attempts(limiter, f"user:{viewer.user_id}", limits.connects):
            await _deny(socket, 429, refusal, CLOSE_TOO_MANY)
            return
        slot = Slot.for_user(limiter, viewer, limits)
        if not await take_slot(slot, limits):
            message = f"at most {limits.max_per_user} open streams per user"
            await _deny(socket, 429, message, CLOSE_TOO_MANY)
            return
        try:
            await socket.accept(subprotocols=protocol)
            messages = StreamMessages(
                caller, viewer, entities_at(_base_url(socket)), socket.app.state.use_cases
            )
            session = _Session(socket, messages, limits, slot, expires_at, heartbeat_s)
            async with socket.app.state.adapters.stream.subscribe(viewer.user_id) as incoming:
                WEBSOCKETS.inc()
                try:
                    await session.serve(incoming, socket.query_params.get("stream"))
                finally:
                    WEBSOCKETS.dec()
        finally:
            await slot.release()

    @get(
        "/api/v1/streaming/health",
        operation_id="mastodonStreamingHealth",
        summary="Whether the streaming API is up (`OK`)",
        media_type="text/plain",
        sync_to_thread=False,
    )
    def health() -> Response[str]:
        return Response("OK", media_type="text/plain")

    return [streaming, health]


class _Session:
    """One open socket: its subscriptions, and the three loops that serve it."""

    def __init__(
        self,
        socket: Socket,
        messages: StreamMessages,
        limits: StreamLimits,
        slot: Slot,
        expires_at: datetime | None,
        heartbeat_s: float,
    ) -> None:
        self.socket = socket
        self.messages = messages
        self.limits = limits
        self.slot = slot
        self.expires_at = expires_at
        self.heartbeat_s = heartbeat_s
        self.streams: set[str] = set()

    async def subscribe(self, stream: object) -> None:
        if not isinstance(stream, str) or stream not in STREAMS:
            await self.socket.send_text(error_message("Unknown stream type", 400))
            return
        if not covers(self.messages.caller.scopes, STREAMS[stream]):
            text = error_message("Access token does not have the required scopes", 401)
            await self.socket.send_text(text)
            return
        self.streams.add(stream)

    async def serve(self, incoming: AsyncIterator[StreamEvent], first: str | None) -> None:
        if first:
            await self.subscribe(first)
        tasks = [asyncio.create_task(job) for job in (self._push(incoming), self._listen())]
        tasks.append(asyncio.create_task(self._watch()))
        code = 1000
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is None:
                    code = task.result()
        finally:
            for task in tasks:  # stop receiving before closing: a close waits for pending reads
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.socket.close(code=code, reason=_REASONS.get(code, ""))

    async def _push(self, incoming: AsyncIterator[StreamEvent]) -> int:
        async for event in incoming:
            if not self.streams:
                continue
            try:
                texts = await self.messages.messages(event, set(self.streams))
            except DomainError:  # best effort, as the native stream: the lists have it
                log.warning("a stream event could not be read; skipped", exc_info=True)
                continue
            for text in texts:
                await self.socket.send_text(text)
        return 1000

    async def _listen(self) -> int:
        budget = MessageBudget(self.limits.messages_per_minute)
        while True:
            try:
                text = await self.socket.receive_text()
            except WebSocketDisconnect:
                return 1000
            if not budget.spend():
                return CLOSE_TOO_MANY
            try:
                message = json.loads(text)
            except ValueError:
                await self.socket.send_text(error_message("Malformed message", 400))
                continue
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "subscribe":
                await self.subscribe(message.get("stream"))
            elif kind == "unsubscribe":
                self.streams.discard(str(message.get("stream")))

    async def _watch(self) -> int:
        viewer = self.messages.viewer
        await watch_session(self.socket, viewer, self.expires_at, self.heartbeat_s, self.slot)
        return CLOSE_UNAUTHORIZED


_REASONS = {
    CLOSE_UNAUTHORIZED: "the session has ended",
    CLOSE_TOO_MANY: "too many messages",
}
