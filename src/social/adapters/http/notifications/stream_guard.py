"""What every real-time socket of the app shares, whichever protocol it speaks (the native
``/api/v1/stream``, the app API's ``/api/v1/streaming``): the abuse limits, the open-stream
slot a socket holds for its user, and the session kept under watch while it is open.

Both protocols count against the same limits and the same slots (``stream:user:<id>``): a user
holds at most ``SOCIAL_STREAM_MAX_PER_USER`` open sockets in all.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from litestar import WebSocket

from social.adapters.http.client_ip import Networks
from social.adapters.http.notifications.session_recheck import SessionRecheck
from social.domain.shared.clock import Clock
from social.domain.shared.errors import DomainError
from social.domain.shared.identity import Viewer
from social.domain.shared.rate_limits import RateLimit, RateLimiter
from social.settings import Settings

__all__ = ["MessageBudget", "Slot", "StreamLimits", "over_attempts", "take_slot", "watch_session"]

log = logging.getLogger(__name__)


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


async def over_attempts(limiter: RateLimiter, key: str, rule: RateLimit | None) -> str | None:
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


@dataclass(frozen=True, slots=True)
class Slot:
    """The open-stream slot one socket holds."""

    limiter: RateLimiter
    key: str
    holder: str
    ttl_s: float

    @classmethod
    def for_user(cls, limiter: RateLimiter, viewer: Viewer, limits: StreamLimits) -> Slot:
        return cls(limiter, f"stream:user:{viewer.user_id}", uuid4().hex, limits.slot_ttl_s)

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


async def take_slot(slot: Slot, limits: StreamLimits) -> bool:
    try:
        return await slot.limiter.acquire(
            slot.key, slot.holder, limit=limits.max_per_user, ttl_s=limits.slot_ttl_s
        )
    except Exception:
        log.warning("rate limiter unavailable; stream slot not counted", exc_info=True)
        return True


class MessageBudget:
    """Messages a socket may send per minute (a fixed window of its own)."""

    def __init__(self, per_minute: int) -> None:
        self._per_minute = per_minute
        self._window_end = 0.0
        self._count = 0

    def spend(self) -> bool:
        """Count one message; ``False`` once the minute's budget is spent."""
        now = time.monotonic()
        if now >= self._window_end:
            self._window_end, self._count = now + 60.0, 0
        self._count += 1
        return self._count <= self._per_minute


async def watch_session(
    socket: WebSocket[Any, Any, Any],
    viewer: Viewer,
    expires_at: datetime | None,
    heartbeat_s: float,
    slot: Slot,
    beat: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Returns when the session ends: at ``expires_at`` (the token's expiry, on the app's clock,
    which tests move; ``None``: a token that does not expire), or when a heartbeat's check finds
    it ended (or cannot tell: the database is down, so sign in again once it is back). At each
    beat the slot is renewed and ``beat`` runs."""
    recheck: SessionRecheck = socket.app.state.session_recheck
    clock: Clock = socket.app.state.adapters.clock
    while True:
        wait = heartbeat_s
        if expires_at is not None:
            wait = max(0.0, min(heartbeat_s, (expires_at - clock.now()).total_seconds()))
        await asyncio.sleep(wait)
        if expires_at is not None and clock.now() >= expires_at:
            return
        try:
            if not await recheck.standing(viewer):
                return
        except DomainError:
            return
        await slot.renew()
        if beat is not None:
            await beat()
