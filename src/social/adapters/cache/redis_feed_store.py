"""Precomputed home feeds in Redis: one sorted set per feed, shared by every process.

Layout, for an owner ``o`` (UUIDs written as 32 hex digits):

- ``{prefix}{o}``: a sorted set whose members are whole entries,
  ``{id}|{kind}|{post_id}|{actor_id}|{post_author_id}``, scored by ``created_at`` in integer
  epoch microseconds (exact in a double until the year 2255). Members start with the id, so on
  equal scores Redis orders them by id: ``(score, member)`` order is the feed's
  ``(created_at, id)`` order.
- ``{prefix}{o}:m``: says the feed was built, and holds its ``trimmed`` flag (``"0"``/``"1"``).
  Its expiry decides when the feed is gone; the sorted set is given ``_DATA_GRACE_S`` longer,
  so while the marker lives the entries are all there (never an expired set read as empty).
- ``{prefix}{o}:b`` and ``{prefix}{o}:p``: a feed being built. A cold first-page read sets
  ``:b`` (for ``_BUILD_S``); pushes meanwhile go to the sorted set ``:p``, and the rebuild's
  ``replace`` adds them and drops both keys. So a push that races the rebuild's query (its
  entry committed after the query's snapshot) is never lost.

Reads and rebuilds refresh both expiries; pushes do not, so an unread feed goes after ``ttl_s``.
Multi-owner scripts touch several keys at once: on Redis Cluster, owners would need a hash tag.
A Redis evicting keys under ``maxmemory`` could drop a set and keep its marker; run the feed
Redis with ``noeviction`` or ``volatile-ttl`` so that never happens.

The scripts are in ``redis_feed_scripts``, the encoding of members and scores in
``redis_feed_members``.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from redis.asyncio import Redis

from social.adapters.cache import redis_feed_scripts as scripts
from social.adapters.cache.redis_errors import translated
from social.adapters.cache.redis_feed_members import (
    as_text,
    entry_from,
    member_of,
    score_of,
    score_pairs,
)
from social.domain.feed.model import FeedEntry, FeedSlice
from social.domain.shared.pagination import Cursor

__all__ = ["RedisFeedStore"]

_DEPENDENCY = "feed"
_FAILED = "The feed store did not answer."
_DATA_GRACE_S = 60
_BUILD_S = 60


class RedisFeedStore:
    """Every operation is one round trip: a script for the writes that read, a MULTI for the
    rest. Any failure to talk to Redis becomes ``Unavailable`` (the feed then comes from the
    database)."""

    def __init__(
        self,
        redis: Redis,
        *,
        max_length: int = 800,
        ttl_s: int = 7 * 24 * 3600,
        prefix: str = "social:feed:",
    ) -> None:
        if max_length < 1 or ttl_s < 1:
            raise ValueError("max_length and ttl_s must be positive")
        self._redis = redis
        self._max_length = max_length
        self._ttl_s = ttl_s
        self._prefix = prefix
        self._push = redis.register_script(scripts.PUSH)
        self._read = redis.register_script(scripts.READ)
        self._replace = redis.register_script(scripts.REPLACE)
        self._retract = redis.register_script(scripts.RETRACT)
        self._drop_actor = redis.register_script(scripts.DROP_ACTOR)

    async def push(self, owner_ids: Sequence[UUID], entry: FeedEntry) -> int:
        if not owner_ids:
            return 0
        score, member = score_of(entry.created_at), member_of(entry)
        keys = [key for owner_id in owner_ids for key in self._all_keys(owner_id)]
        with translated(_FAILED, dependency=_DEPENDENCY):
            took = await self._push(
                keys=keys,
                args=[score, member, self._max_length, _DATA_GRACE_S * 1000, _BUILD_S * 1000],
            )
        return int(took)

    async def retract(self, owner_ids: Sequence[UUID], entry_id: UUID) -> None:
        if not owner_ids:
            return
        keys = [self._feed_key(owner_id) for owner_id in owner_ids]
        with translated(_FAILED, dependency=_DEPENDENCY):
            await self._retract(keys=keys, args=[f"{entry_id.hex}|*"])

    async def drop_actor(self, owner_id: UUID, actor_id: UUID) -> None:
        with translated(_FAILED, dependency=_DEPENDENCY):
            await self._drop_actor(keys=[self._feed_key(owner_id)], args=[f"|{actor_id.hex}|"])

    async def read(self, owner_id: UUID, after: Cursor | None, limit: int) -> FeedSlice | None:
        """One script: the marker, the entries and the expiry refresh (or, cold, the mark of a
        build). After a cursor, the entries sharing its score are fetched whole (at most
        ``max_length``, usually one) and filtered by id here, then ``limit + 1`` strictly older
        ones: exact however many tie."""
        limit = max(limit, 0)
        feed, meta, building, _ = self._all_keys(owner_id)
        at = "" if after is None else str(score_of(after.at))
        with translated(_FAILED, dependency=_DEPENDENCY):
            reply = await self._read(
                keys=[feed, meta, building],
                args=[at, limit, self._ttl_s, _DATA_GRACE_S, _BUILD_S],
            )
        if reply is None:
            return None
        marker, tied, older = reply
        rows = score_pairs(older)
        if after is not None:
            bound = f"{after.id.hex}|"
            rows = [row for row in score_pairs(tied) if as_text(row[0]) < bound] + rows
        entries = [entry_from(member, score) for member, score in rows[:limit]]
        return FeedSlice(
            entries=entries, exhausted=len(rows) <= limit, trimmed=as_text(marker) == "1"
        )

    async def replace(self, owner_id: UUID, entries: Sequence[FeedEntry], *, trimmed: bool) -> None:
        unique = sorted(
            {e.id: e for e in entries}.values(), key=lambda e: (e.created_at, e.id), reverse=True
        )
        kept = unique[: self._max_length]
        trimmed = trimmed or len(unique) > len(kept)
        pairs: list[str | int] = []
        for entry in kept:
            pairs += (score_of(entry.created_at), member_of(entry))
        with translated(_FAILED, dependency=_DEPENDENCY):
            await self._replace(
                keys=list(self._all_keys(owner_id)),
                args=[
                    self._max_length,
                    "1" if trimmed else "0",
                    self._ttl_s,
                    _DATA_GRACE_S,
                    *pairs,
                ],
            )

    async def forget(self, owner_id: UUID) -> None:
        with translated(_FAILED, dependency=_DEPENDENCY):
            await self._redis.delete(*self._all_keys(owner_id))

    def _feed_key(self, owner_id: UUID) -> str:
        return f"{self._prefix}{owner_id.hex}"

    def _all_keys(self, owner_id: UUID) -> tuple[str, str, str, str]:
        """The feed, its marker, and the two keys of a build in progress."""
        feed = self._feed_key(owner_id)
        return feed, f"{feed}:m", f"{feed}:b", f"{feed}:p"
