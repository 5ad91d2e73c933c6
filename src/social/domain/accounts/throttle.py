"""Rate limits a use case applies itself, where the edge cannot (per address, per account)."""

from __future__ import annotations

from social.domain.shared.errors import RateLimited, Unavailable
from social.domain.shared.rate_limits import RateLimit, RateLimiter

__all__ = ["throttle"]


async def throttle(limiter: RateLimiter, key: str, rule: RateLimit, message: str) -> None:
    """Count one hit on ``key``; ``RateLimited`` when over ``rule``. A limiter that is down lets
    the request through, as the edge's limits do."""
    try:
        decision = await limiter.hit(key, rule)
    except Unavailable:
        return
    if not decision.allowed:
        raise RateLimited(message, retry_after_s=max(decision.reset_after_s, 1))
