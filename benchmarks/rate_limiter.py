"""What a rate-limited request pays for the limiter: one hit on the Redis limiter (one EVALSHA
round trip) and on the in-memory one, one at a time and with many in flight.

    uv run python benchmarks/rate_limiter.py --redis-url redis://127.0.0.1:6390/9

No target of its own in §10: the figure to compare is a request's whole budget (p99 ≤ 200 ms
for API calls, ≤ 50 ms for the feed). Uses (and flushes) the Redis database it is given.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from redis.asyncio import Redis

from social.adapters.cache.memory_rate_limiter import InMemoryRateLimiter
from social.adapters.cache.redis_rate_limiter import RedisRateLimiter
from social.domain.shared.rate_limits import RateLimit, RateLimiter


async def measure(name: str, limiter: RateLimiter, hits: int) -> None:
    rule = RateLimit(10_000_000, 60)
    for _ in range(200):  # warm: the script is loaded, connections are open
        await limiter.hit("warm", rule)
    started = time.perf_counter()
    for i in range(hits):
        await limiter.hit(f"user:{i % 500}", rule)
    one_at_a_time = (time.perf_counter() - started) / hits * 1e6
    started = time.perf_counter()
    await asyncio.gather(*(limiter.hit(f"user:{i % 500}", rule) for i in range(hits)))
    in_flight = hits / (time.perf_counter() - started)
    print(
        f"{name:<8} {one_at_a_time:8.0f} µs per hit     {in_flight:10,.0f} hits/s "
        f"({hits} in flight)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/9")
    parser.add_argument("--hits", type=int, default=5000)
    args = parser.parse_args()
    redis = Redis.from_url(args.redis_url)
    try:
        print("== Rate limiter cost per hit")
        await measure("redis", RedisRateLimiter(redis, prefix="bench:rl:"), args.hits)
        await measure("memory", InMemoryRateLimiter(), args.hits)
        await redis.flushdb()
    finally:
        await redis.aclose()


if __name__ == "__main__":
    asyncio.run(main())
