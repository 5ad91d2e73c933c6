"""One suite for the rate-limit port, on process memory and on Redis."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from social.adapters.cache.memory_rate_limiter import InMemoryRateLimiter
from social.adapters.cache.redis_rate_limiter import RedisRateLimiter
from social.domain.shared.rate_limits import RateLimit, RateLimiter


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield InMemoryRateLimiter()
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    try:
        yield RedisRateLimiter(redis, prefix=f"test:{secrets.token_hex(4)}:")
    finally:
        await redis.aclose()


async def test_hits_within_the_limit_pass_then_refusals_follow(limiter: RateLimiter) -> None:
    rule = RateLimit(limit=3, window_s=60)
    decisions = [await limiter.hit("ip:1", rule) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0, 0]
    assert all(d.limit == 3 and 1 <= d.reset_after_s <= 60 for d in decisions)


async def test_keys_and_rules_are_counted_apart(limiter: RateLimiter) -> None:
    rule = RateLimit(limit=1, window_s=60)
    assert (await limiter.hit("a", rule)).allowed
    assert (await limiter.hit("b", rule)).allowed
    assert not (await limiter.hit("a", rule)).allowed
    assert (await limiter.hit("a", RateLimit(limit=1, window_s=30))).allowed


async def test_the_window_resets(limiter: RateLimiter) -> None:
    rule = RateLimit(limit=1, window_s=2)  # both hits below land in one window, however slow
    assert (await limiter.hit("k", rule)).allowed
    assert not (await limiter.hit("k", rule)).allowed
    await asyncio.sleep(2.2)
    assert (await limiter.hit("k", rule)).allowed


async def test_concurrent_hits_never_exceed_the_limit(limiter: RateLimiter) -> None:
    rule = RateLimit(limit=10, window_s=60)
    decisions = await asyncio.gather(*(limiter.hit("burst", rule) for _ in range(50)))
    assert sum(d.allowed for d in decisions) == 10


async def test_slots_are_held_up_to_the_limit_and_freed(limiter: RateLimiter) -> None:
    assert await limiter.acquire("user:1", "a", limit=2, ttl_s=60)
    assert await limiter.acquire("user:1", "b", limit=2, ttl_s=60)
    assert not await limiter.acquire("user:1", "c", limit=2, ttl_s=60)
    assert await limiter.acquire("user:1", "a", limit=2, ttl_s=60)  # its own: a renewal
    assert await limiter.acquire("user:2", "c", limit=2, ttl_s=60)  # keys apart
    await limiter.release("user:1", "b")
    await limiter.release("user:1", "b")
    assert await limiter.acquire("user:1", "c", limit=2, ttl_s=60)
    assert not await limiter.acquire("user:1", "d", limit=2, ttl_s=60)


async def test_a_slot_nobody_renews_frees_itself(limiter: RateLimiter) -> None:
    assert await limiter.acquire("user:1", "dead", limit=1, ttl_s=2)  # held while we look
    assert await limiter.acquire("user:1", "live", limit=2, ttl_s=60)
    await limiter.renew("user:1", "live", ttl_s=60)
    assert not await limiter.acquire("user:1", "new", limit=2, ttl_s=60)
    await asyncio.sleep(2.5)  # waiting longer only lets the dead slot lapse more surely
    assert await limiter.acquire("user:1", "new", limit=2, ttl_s=60)
    assert not await limiter.acquire("user:1", "more", limit=2, ttl_s=60)  # "live" stands


async def test_concurrent_takes_never_exceed_the_slots(limiter: RateLimiter) -> None:
    taken = await asyncio.gather(
        *(limiter.acquire("user:1", f"s{i}", limit=5, ttl_s=60) for i in range(30))
    )
    assert sum(taken) == 5
