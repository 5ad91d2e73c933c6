"""The rate-limit port: fixed windows counted atomically, per key (a user, an IP, a client)."""

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
