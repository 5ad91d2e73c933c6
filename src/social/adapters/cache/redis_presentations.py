"""Presentations in Redis, shared by every process: one string per ``(id, revision)`` with an
expiry, read with one ``MGET`` a page and written with one pipeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from redis.asyncio import Redis

from social.adapters.cache.redis_errors import REDIS_FAILURES
from social.domain.shared.errors import Unavailable

__all__ = ["RedisPresentationStore"]


class RedisPresentationStore:
    """Keys are ``{prefix}{key}``; entries expire on their own (no invalidation: a changed post
    or account gets a new key). Evictable under ``maxmemory`` without harm."""

    def __init__(self, redis: Redis, *, prefix: str = "social:pv:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        try:
            values: list[bytes | None] = await self._redis.mget(
                [self._prefix + key for key in keys]
            )
        except REDIS_FAILURES as exc:
            raise Unavailable("The presentation cache is unreachable.", dependency="cache") from exc
        return values

    async def put_many(self, entries: Mapping[str, bytes], ttl_s: float) -> None:
        if not entries:
            return
        ttl_ms = max(1, round(ttl_s * 1000))
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for key, value in entries.items():
                    pipe.set(self._prefix + key, value, px=ttl_ms)
                await pipe.execute()
        except REDIS_FAILURES as exc:
            raise Unavailable("The presentation cache is unreachable.", dependency="cache") from exc
