"""Precomputed home feeds in process memory (embedded mode: one process; the fake in tests)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

from social.domain.feed.model import FeedEntry, FeedSlice
from social.domain.shared.pagination import Cursor

__all__ = ["InMemoryFeedStore"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _position(at: datetime, id_: UUID) -> tuple[int, int]:
    """Ascending in newest-first order: the negated ``(created_at, id)``, exact to the µs."""
    return -((at - _EPOCH) // _MICROSECOND), -id_.int


def _entry_position(entry: FeedEntry) -> tuple[int, int]:
    return _position(entry.created_at, entry.id)


@dataclass(slots=True)
class _Feed:
    entries: list[FeedEntry] = field(default_factory=list)
    """Newest first by ``(created_at, id)``."""
    by_id: dict[UUID, FeedEntry] = field(default_factory=dict)
    trimmed: bool = False

    def add(self, entry: FeedEntry, max_length: int) -> bool:
        """Insert ``entry`` unless present, drop the oldest past ``max_length``; whether the
        feed holds it afterwards."""
        if entry.id not in self.by_id:
            bisect.insort(self.entries, entry, key=_entry_position)
            self.by_id[entry.id] = entry
            while len(self.entries) > max_length:
                del self.by_id[self.entries.pop().id]
                self.trimmed = True
        return entry.id in self.by_id

    def remove(self, entry_id: UUID) -> None:
        entry = self.by_id.pop(entry_id, None)
        if entry is not None:
            index = bisect.bisect_left(self.entries, _entry_position(entry), key=_entry_position)
            del self.entries[index]


class InMemoryFeedStore:
    """One sorted list per feed plus an index by entry id, so a push is a binary-search insert
    and a retract a dictionary hit, whatever the fan-out.

    Memory is bounded: at most ``max_feeds`` feeds are kept, the least recently read or built
    going first (an evicted feed reads ``None`` and is rebuilt, like an expired one in Redis).
    A cold first-page read starts keeping pushes for that feed aside until ``replace`` takes
    them (at most ``max_feeds`` feeds at once are kept aside like this).
    """

    def __init__(self, max_length: int = 800, *, max_feeds: int = 10_000) -> None:
        if max_length < 1 or max_feeds < 1:
            raise ValueError("max_length and max_feeds must be positive")
        self._max_length = max_length
        self._max_feeds = max_feeds
        self._feeds: dict[UUID, _Feed] = {}
        """In least recently used order (a touched feed is moved to the end)."""
        self._pending: dict[UUID, dict[UUID, FeedEntry]] = {}
        """Pushes to feeds being built, by owner, oldest build first."""

    async def push(self, owner_ids: Sequence[UUID], entry: FeedEntry) -> int:
        took = 0
        for owner_id in owner_ids:
            feed = self._feeds.get(owner_id)
            if feed is not None and feed.add(entry, self._max_length):
                took += 1
            elif feed is None and (pending := self._pending.get(owner_id)) is not None:
                pending[entry.id] = entry
        return took

    async def retract(self, owner_ids: Sequence[UUID], entry_id: UUID) -> None:
        for owner_id in owner_ids:
            feed = self._feeds.get(owner_id)
            if feed is not None:
                feed.remove(entry_id)

    async def drop_actor(self, owner_id: UUID, actor_id: UUID) -> None:
        feed = self._feeds.get(owner_id)
        if feed is None:
            return
        for entry in [e for e in feed.entries if e.actor_id == actor_id]:
            del feed.by_id[entry.id]
        feed.entries = [e for e in feed.entries if e.actor_id != actor_id]

    async def read(self, owner_id: UUID, after: Cursor | None, limit: int) -> FeedSlice | None:
        feed = self._touch(owner_id)
        if feed is None:
            if after is None:  # a rebuild follows: keep pushes racing it
                self._pending.setdefault(owner_id, {})
                while len(self._pending) > self._max_feeds:
                    del self._pending[next(iter(self._pending))]
            return None
        limit = max(limit, 0)
        start = (
            0
            if after is None
            else bisect.bisect_right(
                feed.entries, _position(after.at, after.id), key=_entry_position
            )
        )
        entries = feed.entries[start : start + limit]
        return FeedSlice(
            entries=entries,
            exhausted=start + limit >= len(feed.entries),
            trimmed=feed.trimmed,
        )

    async def replace(self, owner_id: UUID, entries: Sequence[FeedEntry], *, trimmed: bool) -> None:
        raced = self._pending.pop(owner_id, {})
        unique = sorted(({e.id: e for e in entries} | raced).values(), key=_entry_position)
        kept = unique[: self._max_length]
        self._feeds.pop(owner_id, None)
        self._feeds[owner_id] = _Feed(
            entries=kept,
            by_id={e.id: e for e in kept},
            trimmed=trimmed or len(unique) > len(kept),
        )
        while len(self._feeds) > self._max_feeds:
            del self._feeds[next(iter(self._feeds))]

    async def forget(self, owner_id: UUID) -> None:
        self._feeds.pop(owner_id, None)
        self._pending.pop(owner_id, None)

    def _touch(self, owner_id: UUID) -> _Feed | None:
        feed = self._feeds.pop(owner_id, None)
        if feed is not None:
            self._feeds[owner_id] = feed
        return feed
