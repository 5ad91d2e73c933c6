"""The rate-limit port: fixed windows counted atomically, per key (a user, an IP, a client), and
slots held at once per key (open WebSockets per user)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["RateLimit", "RateLimitDecision", "RateLimiter"]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``limit`` hits per ``window_s`` seconds."""

    limit: int
    window_s: int


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_after_s: int
    """Seconds until the current window ends and the count starts again."""


class RateLimiter(Protocol):
    async def hit(self, key: str, rule: RateLimit) -> RateLimitDecision:
        """Count one hit on ``key`` and say whether it is within ``rule``."""
        ...

    async def acquire(self, key: str, holder: str, *, limit: int, ttl_s: float) -> bool:
        """Take one of ``limit`` slots of ``key`` for ``holder`` (taking it again renews it);
        ``False`` when all are held. A slot not renewed within ``ttl_s`` frees itself, so a
        process that died cannot keep its slots."""
        ...

    async def renew(self, key: str, holder: str, *, ttl_s: float) -> None:
        """Keep ``holder``'s slot another ``ttl_s`` (held again if it had lapsed)."""
        ...

    async def release(self, key: str, holder: str) -> None:
        """Free ``holder``'s slot; releasing twice is fine."""
        ...
