"""Fixed-window rate limiting in Redis: one atomic script per hit, shared by every process."""

from __future__ import annotations

import math

from redis.asyncio import Redis

from social.domain.shared.rate_limits import RateLimit, RateLimitDecision

__all__ = ["RedisRateLimiter"]

# INCR then set the expiry on the first hit of a window; returns the count and the TTL (ms).
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


class RedisRateLimiter:
    """Two keys cost two round trips nowhere: one EVALSHA per hit, O(1) memory per key."""

    def __init__(self, redis: Redis, *, prefix: str = "social:rl:") -> None:
        self._redis = redis
        self._prefix = prefix
        self._script = redis.register_script(_HIT)

    async def hit(self, key: str, rule: RateLimit) -> RateLimitDecision:
        count, ttl_ms = await self._script(
            keys=[f"{self._prefix}{rule.window_s}:{key}"], args=[rule.window_s * 1000]
        )
        count, ttl_ms = int(count), int(ttl_ms)
        return RateLimitDecision(
            allowed=count <= rule.limit,
            limit=rule.limit,
            remaining=max(rule.limit - count, 0),
            reset_after_s=max(math.ceil(ttl_ms / 1000), 1),
        )
