"""Fixed-window rate limiting and held slots in Redis: one atomic script per hit or take,
shared by every process. Redis down or slow is ``Unavailable``; the callers let the request
through then (a limiter outage must not take the API down with it)."""

from __future__ import annotations

import math

from redis.asyncio import Redis

from social.adapters.cache.redis_errors import REDIS_FAILURES
from social.domain.shared.errors import Unavailable
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


# Slots: a sorted set per key, each holder scored with its deadline (Redis's own clock, so every
# process agrees); lapsed holders are dropped before counting. Returns 1 when the slot is held.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not mine and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
"""


class RedisRateLimiter:
    """Two keys cost two round trips nowhere: one EVALSHA per hit, O(1) memory per key."""

    def __init__(self, redis: Redis, *, prefix: str = "social:rl:") -> None:
        self._redis = redis
        self._prefix = prefix
        self._script = redis.register_script(_HIT)
        self._acquire = redis.register_script(_ACQUIRE)
        self._renew = redis.register_script(_RENEW)

    async def hit(self, key: str, rule: RateLimit) -> RateLimitDecision:
        try:
            count, ttl_ms = await self._script(
                keys=[f"{self._prefix}{rule.window_s}:{key}"], args=[rule.window_s * 1000]
            )
        except REDIS_FAILURES as exc:
            raise _unavailable() from exc
        count, ttl_ms = int(count), int(ttl_ms)
        return RateLimitDecision(
            allowed=count <= rule.limit,
            limit=rule.limit,
            remaining=max(rule.limit - count, 0),
            reset_after_s=max(math.ceil(ttl_ms / 1000), 1),
        )

    async def acquire(self, key: str, holder: str, *, limit: int, ttl_s: float) -> bool:
        try:
            held = await self._acquire(
                keys=[f"{self._prefix}slots:{key}"], args=[holder, limit, _ms(ttl_s)]
            )
        except REDIS_FAILURES as exc:
            raise _unavailable() from exc
        return bool(int(held))

    async def renew(self, key: str, holder: str, *, ttl_s: float) -> None:
        try:
            await self._renew(keys=[f"{self._prefix}slots:{key}"], args=[holder, _ms(ttl_s)])
        except REDIS_FAILURES as exc:
            raise _unavailable() from exc

    async def release(self, key: str, holder: str) -> None:
        try:
            await self._redis.zrem(f"{self._prefix}slots:{key}", holder)
        except REDIS_FAILURES as exc:
            raise _unavailable() from exc


def _unavailable() -> Unavailable:
    return Unavailable("The rate limiter is unreachable.", dependency="rate-limiter")


def _ms(seconds: float) -> int:
    return max(int(seconds * 1000), 1)
