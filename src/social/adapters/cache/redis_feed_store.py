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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from social.adapters.uuids import uuid_from_hex
from social.domain.feed.model import FeedEntry, FeedItemKind, FeedSlice
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import Cursor

__all__ = ["RedisFeedStore"]

_DEPENDENCY = "feed"
_DATA_GRACE_S = 60
_BUILD_S = 60
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MAX_EXACT_SCORE = 2**53

# KEYS: feed, meta, building, pending, ... four per owner. ARGV: score, member, max_length,
# grace ms, build ms. Adds only to built feeds, or aside for feeds being built; a set created by
# the add takes the marker's expiry plus the grace.
_PUSH = """
local score, member = ARGV[1], ARGV[2]
local max_length, grace = tonumber(ARGV[3]), tonumber(ARGV[4])
local took = 0
for i = 1, #KEYS, 4 do
  local feed, meta = KEYS[i], KEYS[i + 1]
  local ttl = redis.call('PTTL', meta)
  if ttl ~= -2 then
    local created = redis.call('EXISTS', feed) == 0
    redis.call('ZADD', feed, score, member)
    if created and ttl > 0 then redis.call('PEXPIRE', feed, ttl + grace) end
    local excess = redis.call('ZCARD', feed) - max_length
    if excess > 0 then
      redis.call('ZREMRANGEBYRANK', feed, 0, excess - 1)
      redis.call('SET', meta, '1', 'KEEPTTL')
    end
    if redis.call('ZSCORE', feed, member) then took = took + 1 end
  elseif redis.call('EXISTS', KEYS[i + 2]) == 1 then
    redis.call('ZADD', KEYS[i + 3], score, member)
    redis.call('PEXPIRE', KEYS[i + 3], ARGV[5])
  end
end
return took
"""

# KEYS: feed, meta, building. ARGV: the cursor's score ('' for the first page), limit, ttl s,
# grace s, build s. Not built: nil (and, for a first page, the feed is marked as being built).
# Built: the marker, the entries sharing the cursor's score, then up to limit + 1 older ones,
# both as member, score, member, score...; both expiries refreshed.
_READ = """
local meta = redis.call('GET', KEYS[2])
if not meta then
  if ARGV[1] == '' then redis.call('SET', KEYS[3], '1', 'EX', ARGV[5]) end
  return false
end
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
local limit = tonumber(ARGV[2]) + 1
if ARGV[1] == '' then
  return {meta, {}, redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '-inf', 'WITHSCORES',
    'LIMIT', 0, limit)}
end
return {meta, redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'WITHSCORES'),
  redis.call('ZREVRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '-inf', 'WITHSCORES', 'LIMIT', 0, limit)}
"""

# KEYS: feed, meta, building, pending. ARGV: max_length, trimmed ('0'/'1'), ttl s, grace s,
# then score, member pairs. The feed becomes these entries and the pushes kept aside.
_REPLACE = """
local feed, meta, building, pending = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local max_length, trimmed = tonumber(ARGV[1]), ARGV[2]
redis.call('DEL', feed)
for i = 5, #ARGV, 2000 do
  redis.call('ZADD', feed, unpack(ARGV, i, math.min(i + 1999, #ARGV)))
end
if redis.call('EXISTS', pending) == 1 then
  redis.call('ZUNIONSTORE', feed, 2, feed, pending, 'AGGREGATE', 'MAX')
end
local excess = redis.call('ZCARD', feed) - max_length
if excess > 0 then
  redis.call('ZREMRANGEBYRANK', feed, 0, excess - 1)
  trimmed = '1'
end
redis.call('SET', meta, trimmed, 'EX', ARGV[3])
redis.call('EXPIRE', feed, tonumber(ARGV[3]) + tonumber(ARGV[4]))
redis.call('DEL', building, pending)
return 0
"""

# KEYS: feeds. ARGV: a MATCH pattern on the id prefix. ZSCAN filters in C, not in Lua.
_RETRACT = """
for i = 1, #KEYS do
  local found, cursor = {}, '0'
  repeat
    local reply = redis.call('ZSCAN', KEYS[i], cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
    cursor = reply[1]
    for j = 1, #reply[2], 2 do found[#found + 1] = reply[2][j] end
  until cursor == '0'
  for _, member in ipairs(found) do redis.call('ZREM', KEYS[i], member) end
end
return 0
"""

# KEYS: feed. ARGV: '|{actor}|'. The actor is the 4th field, followed by a 32-digit one.
_DROP_ACTOR = """
local removed = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(member, -66, -33) == ARGV[1] then
    removed = removed + redis.call('ZREM', KEYS[1], member)
  end
end
return removed
"""


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
        self._push = redis.register_script(_PUSH)
        self._read = redis.register_script(_READ)
        self._replace = redis.register_script(_REPLACE)
        self._retract = redis.register_script(_RETRACT)
        self._drop_actor = redis.register_script(_DROP_ACTOR)

    async def push(self, owner_ids: Sequence[UUID], entry: FeedEntry) -> int:
        if not owner_ids:
            return 0
        score, member = _score(entry.created_at), _member(entry)
        keys = [key for owner_id in owner_ids for key in self._all_keys(owner_id)]
        with _translate_errors():
            took = await self._push(
                keys=keys,
                args=[score, member, self._max_length, _DATA_GRACE_S * 1000, _BUILD_S * 1000],
            )
        return int(took)

    async def retract(self, owner_ids: Sequence[UUID], entry_id: UUID) -> None:
        if not owner_ids:
            return
        keys = [self._feed_key(owner_id) for owner_id in owner_ids]
        with _translate_errors():
            await self._retract(keys=keys, args=[f"{entry_id.hex}|*"])

    async def drop_actor(self, owner_id: UUID, actor_id: UUID) -> None:
        with _translate_errors():
            await self._drop_actor(keys=[self._feed_key(owner_id)], args=[f"|{actor_id.hex}|"])

    async def read(self, owner_id: UUID, after: Cursor | None, limit: int) -> FeedSlice | None:
        """One script: the marker, the entries and the expiry refresh (or, cold, the mark of a
        build). After a cursor, the entries sharing its score are fetched whole (at most
        ``max_length``, usually one) and filtered by id here, then ``limit + 1`` strictly older
        ones: exact however many tie."""
        limit = max(limit, 0)
        feed, meta, building, _ = self._all_keys(owner_id)
        at = "" if after is None else str(_score(after.at))
        with _translate_errors():
            reply = await self._read(
                keys=[feed, meta, building],
                args=[at, limit, self._ttl_s, _DATA_GRACE_S, _BUILD_S],
            )
        if reply is None:
            return None
        marker, tied, older = reply
        rows = _pairs(older)
        if after is not None:
            bound = f"{after.id.hex}|"
            rows = [row for row in _pairs(tied) if _text(row[0]) < bound] + rows
        entries = [_entry(member, score) for member, score in rows[:limit]]
        return FeedSlice(
            entries=entries, exhausted=len(rows) <= limit, trimmed=_text(marker) == "1"
        )

    async def replace(self, owner_id: UUID, entries: Sequence[FeedEntry], *, trimmed: bool) -> None:
        unique = sorted(
            {e.id: e for e in entries}.values(), key=lambda e: (e.created_at, e.id), reverse=True
        )
        kept = unique[: self._max_length]
        trimmed = trimmed or len(unique) > len(kept)
        pairs: list[str | int] = []
        for entry in kept:
            pairs += (_score(entry.created_at), _member(entry))
        with _translate_errors():
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
        with _translate_errors():
            await self._redis.delete(*self._all_keys(owner_id))

    def _feed_key(self, owner_id: UUID) -> str:
        return f"{self._prefix}{owner_id.hex}"

    def _all_keys(self, owner_id: UUID) -> tuple[str, str, str, str]:
        """The feed, its marker, and the two keys of a build in progress."""
        feed = self._feed_key(owner_id)
        return feed, f"{feed}:m", f"{feed}:b", f"{feed}:p"


@contextmanager
def _translate_errors() -> Iterator[None]:
    """Redis down, slow or refusing → ``Unavailable``. ``ConnectionError`` and ``TimeoutError``
    (the builtins a socket raises) are ``OSError``s; redis-py's own derive from ``RedisError``."""
    try:
        yield
    except (RedisError, OSError) as exc:
        raise Unavailable("The feed store did not answer.", dependency=_DEPENDENCY) from exc


def _score(at: datetime) -> int:
    if at.tzinfo is None:
        raise ValueError("feed times must be timezone-aware")
    micros = (at - _EPOCH) // _MICROSECOND
    if abs(micros) >= _MAX_EXACT_SCORE:
        raise ValueError("feed times must fit a double exactly (before the year 2255)")
    return micros


def _member(entry: FeedEntry) -> str:
    return (
        f"{entry.id.hex}|{entry.kind.value}|{entry.post_id.hex}|"
        f"{entry.actor_id.hex}|{entry.post_author_id.hex}"
    )


_KINDS = {kind.value: kind for kind in FeedItemKind}
_ENTRIES: dict[bytes, FeedEntry] = {}
"""Entries parsed before, by member: a member names one entry for good (its score is the
entry's own time), and a busy process reads the same entries in many feeds (bounded;
cleared when full)."""


def _entry(member: bytes, score: bytes) -> FeedEntry:
    found = _ENTRIES.get(member)
    if found is None:
        id_, kind, post_id, actor_id, post_author_id = member.decode().split("|")
        found = FeedEntry(
            id=uuid_from_hex(id_),
            kind=_KINDS[kind],
            post_id=uuid_from_hex(post_id),
            actor_id=uuid_from_hex(actor_id),
            post_author_id=uuid_from_hex(post_author_id),
            created_at=_EPOCH + timedelta(microseconds=int(float(score))),
        )
        if len(_ENTRIES) >= 200_000:
            _ENTRIES.clear()
        _ENTRIES[member] = found
    return found


def _pairs(flat: list[bytes]) -> list[tuple[bytes, bytes]]:
    """``member, score, member, score…`` (a script's ``WITHSCORES`` reply) as pairs."""
    return list(zip(flat[::2], flat[1::2], strict=True))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
