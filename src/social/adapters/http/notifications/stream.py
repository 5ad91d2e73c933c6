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
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from social.adapters.http.client_ip import Networks, client_ip
from social.adapters.http.notifications.session_recheck import SessionRecheck
from social.adapters.observability.metrics import WEBSOCKETS
from social.domain.accounts.authenticate import Authenticate
from social.domain.notifications.model import StreamEvent
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed, DomainError
from social.domain.shared.identity import Viewer
from social.domain.shared.rate_limits import RateLimit, RateLimiter
from social.settings import Settings
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


@dataclass(frozen=True, slots=True)
class StreamLimits:
    """The stream's abuse limits, from the settings (read once per app)."""

    max_per_user: int
    connects: RateLimit | None
    """Attempts per client IP and per user; ``None`` with rate limiting off."""
    messages_per_minute: int
    slot_ttl_s: float
    proxies: Networks

    @classmethod
    def from_settings(cls, settings: Settings) -> StreamLimits:
        return cls(
            max_per_user=settings.stream.stream_max_per_user,
            connects=RateLimit(settings.stream.stream_connects_per_minute, 60)
            if settings.rate_limits.rate_limit_enabled
            else None,
            messages_per_minute=settings.stream.stream_messages_per_minute,
            # a live socket renews at every beat; three missed beats mean its process is gone
            slot_ttl_s=max(3 * settings.stream.stream_heartbeat_s, 30.0),
            proxies=Networks(settings.http.trusted_proxies),
        )

    @classmethod
    def of(cls, socket: WebSocket[Any, Any, Any]) -> StreamLimits:
        state = socket.app.state
        limits: StreamLimits | None = state.get("stream_limits")
        if limits is None:
            limits = state.stream_limits = cls.from_settings(state.adapters.settings)
        return limits


async def _over_attempts(limiter: RateLimiter, key: str, rule: RateLimit | None) -> str | None:
    """The refusal reason when ``key`` made too many attempts this minute."""
    if rule is None:
        return None
    try:
        decision = await limiter.hit(f"stream:{key}", rule)
    except Exception:  # a limiter outage must not take the stream down with it
        log.warning("rate limiter unavailable; stream connection allowed", exc_info=True)
        return None
    if decision.allowed:
        return None
    return f"too many connection attempts; retry in {decision.reset_after_s} s"


async def _take_slot(limiter: RateLimiter, key: str, holder: str, limits: StreamLimits) -> bool:
    try:
        return await limiter.acquire(
            key, holder, limit=limits.max_per_user, ttl_s=limits.slot_ttl_s
        )
    except Exception:
        log.warning("rate limiter unavailable; stream slot not counted", exc_info=True)
        return True


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
        if refusal := await _over_attempts(limiter, f"ip:{ip}", limits.connects):
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
        if refusal := await _over_attempts(limiter, f"user:{viewer.user_id}", limits.connects):
            await _refuse(socket, refusal)
            return
        slot = _Slot(limiter, f"stream:user:{viewer.user_id}", uuid4().hex, limits.slot_ttl_s)
        if not await _take_slot(limiter, slot.key, slot.holder, limits):
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


@dataclass(frozen=True, slots=True)
class _Slot:
    """The open-stream slot one socket holds."""

    limiter: RateLimiter
    key: str
    holder: str
    ttl_s: float

    async def renew(self) -> None:
        try:
            await self.limiter.renew(self.key, self.holder, ttl_s=self.ttl_s)
        except Exception:  # the socket goes on; its slot may lapse meanwhile
            log.warning("rate limiter unavailable; stream slot not renewed", exc_info=True)

    async def release(self) -> None:
        try:
            await self.limiter.release(self.key, self.holder)
        except Exception:  # it lapses by itself
            log.warning("rate limiter unavailable; stream slot not released", exc_info=True)


async def _serve(
    socket: WebSocket[Any, Any, Any],
    incoming: AsyncIterator[StreamEvent],
    expires_at: datetime,
    heartbeat_s: float,
    viewer: Viewer,
    slot: _Slot,
    limits: StreamLimits,
) -> None:
    """Push events, answer pings, beat; the first of the three to end ends the socket."""

    async def push() -> int:
        async for event in incoming:
            await socket.send_json({"event": event.event, "data": event.data})
        return 1000

    async def listen() -> int:
        window_end, count = 0.0, 0
        while True:
            message = await socket.receive_json()
            now = time.monotonic()
            if now >= window_end:
                window_end, count = now + 60.0, 0
            count += 1
            if count > limits.messages_per_minute:
                return CLOSE_TOO_MANY
            if isinstance(message, dict) and message.get("type") == "ping":
                await socket.send_json({"event": "pong", "data": {}})

    async def beat() -> int:
        recheck: SessionRecheck = socket.app.state.session_recheck
        clock: Clock = socket.app.state.adapters.clock  # the app's clock: tests move it
        while True:
            left = (expires_at - clock.now()).total_seconds()
            await asyncio.sleep(max(0.0, min(heartbeat_s, left)))
            if clock.now() >= expires_at:
                return CLOSE_UNAUTHORIZED
            try:
                if not await recheck.standing(viewer):
                    return CLOSE_UNAUTHORIZED
            except DomainError:  # the database is unreachable: sign in again once it is back
                return CLOSE_UNAUTHORIZED
            await slot.renew()
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
            reason = _REASONS.get(code)
            await socket.close(code=code, reason=reason)


_REASONS = {
    CLOSE_UNAUTHORIZED: "the session has ended",
    CLOSE_TOO_MANY: "too many messages",
}
