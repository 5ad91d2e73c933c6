"""What the API processes share through Redis when it is configured: stored feeds, live events
and rate limits. Without Redis each process keeps its own, in memory."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass

from redis.asyncio import Redis

from social.adapters.cache.memory_feed_store import InMemoryFeedStore
from social.adapters.cache.memory_rate_limiter import InMemoryRateLimiter
from social.adapters.cache.no_feed_store import NoFeedStore
from social.adapters.cache.redis_check import RedisCheck
from social.adapters.cache.redis_feed_store import RedisFeedStore
from social.adapters.cache.redis_rate_limiter import RedisRateLimiter
from social.adapters.realtime.memory_stream import InMemoryEventStream
from social.adapters.realtime.redis_stream import RedisEventStream
from social.domain.feed.ports import FeedStore
from social.domain.notifications.ports import EventStream
from social.domain.shared.ports import DependencyCheck
from social.domain.shared.rate_limits import RateLimiter
from social.settings import Settings

__all__ = ["SharedState", "open_shared_state"]


@dataclass(frozen=True, slots=True)
class SharedState:
    redis: Redis | None
    feed_redis: Redis | None
    """A client of its own for the feeds and presentations, with short timeouts."""
    feeds: FeedStore
    stream: EventStream
    rate_limiter: RateLimiter


def open_shared_state(
    settings: Settings, stack: AsyncExitStack, checks: list[DependencyCheck]
) -> SharedState:
    if not settings.services.redis_url:
        feeds: FeedStore
        if settings.process.workers > 1:
            feeds = NoFeedStore()  # one process's memory would miss the others' fan-out
        else:
            feeds = InMemoryFeedStore(settings.feed.feed_max_length)
        # several API processes without Redis: each process's sockets hear only the events
        # raised in it (its jobs run inside it); the lists catch up the rest
        return SharedState(None, None, feeds, InMemoryEventStream(), InMemoryRateLimiter())
    redis = Redis.from_url(settings.services.redis_url, socket_timeout=5, socket_connect_timeout=5)
    stack.push_async_callback(redis.aclose)
    checks.append(RedisCheck(redis))
    # Its own client with short timeouts: a slow Redis makes feeds fall back to the
    # database within a second instead of holding the request.
    feed_redis = Redis.from_url(
        settings.services.redis_url, socket_timeout=1, socket_connect_timeout=1
    )
    stack.push_async_callback(feed_redis.aclose)
    feeds = RedisFeedStore(
        feed_redis, max_length=settings.feed.feed_max_length, ttl_s=settings.feed.feed_ttl_s
    )
    stream = RedisEventStream(redis)
    stack.push_async_callback(stream.close)
    return SharedState(redis, feed_redis, feeds, stream, RedisRateLimiter(redis))
