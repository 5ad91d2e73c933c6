"""What home feeds need: a store of precomputed feeds, and the database's view of the graph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from social.domain.feed.model import FeedEntry, FeedSlice
from social.domain.shared.pagination import Cursor

__all__ = ["FeedSource", "FeedStore"]


class FeedStore(Protocol):
    """Precomputed home feeds (Redis sorted sets in production, process memory embedded).

    A feed exists only once it was built (``replace``); pushes to a feed that does not exist are
    dropped, so a cold feed is never mistaken for a complete one. Any method may raise
    ``Unavailable``: the feed is then read from the database instead.
    """

    async def push(self, owner_ids: Sequence[UUID], entry: FeedEntry) -> int:
        """Add ``entry`` to each existing feed of ``owner_ids``, keeping each at most
        ``max_length`` long (the oldest go); returns how many feeds took it. Idempotent."""
        ...

    async def retract(self, owner_ids: Sequence[UUID], entry_id: UUID) -> None:
        """Remove the entry ``entry_id`` from these feeds; a missing one is no error."""
        ...

    async def drop_actor(self, owner_id: UUID, actor_id: UUID) -> None:
        """Remove every entry ``actor_id`` put in the feed (after an unfollow or a block)."""
        ...

    async def read(self, owner_id: UUID, after: Cursor | None, limit: int) -> FeedSlice | None:
        """Up to ``limit`` entries strictly after ``after``, newest first; ``None`` when the
        feed is not built (cold, evicted or expired). A cold read of the first page (``after``
        is ``None``) also starts keeping pushes to this feed aside for a while, so that a push
        racing the rebuild's query is not lost: ``replace`` adds them."""
        ...

    async def replace(self, owner_id: UUID, entries: Sequence[FeedEntry], *, trimmed: bool) -> None:
        """Build the feed from ``entries`` (any order) and the pushes kept aside since the cold
        read, replacing whatever was stored, at once. ``trimmed``: the database had more than
        these (older ones exist)."""
        ...

    async def forget(self, owner_id: UUID) -> None:
        """Drop the feed so the next read rebuilds it."""
        ...


class FeedSource(Protocol):
    """The database's answer to "what belongs in this home feed": the truth the stored feeds
    cache, and the fallback when they are cold or down. Entries come newest first. Read-only,
    outside any unit of work: each call sees what is committed."""

    async def timeline(self, user_id: UUID, after: Cursor | None, limit: int) -> list[FeedEntry]:
        """Posts and shares by the accounts ``user_id`` follows, and by ``user_id``."""
        ...

    async def by_actors(
        self, actor_ids: Sequence[UUID], after: Cursor | None, limit: int
    ) -> list[FeedEntry]:
        """Posts and shares by these accounts (the large ones merged in at read time)."""
        ...

    async def large_followees(self, user_id: UUID, threshold: int) -> list[UUID]:
        """Accounts ``user_id`` follows that have more than ``threshold`` followers."""
        ...

    async def followers_after(self, user_id: UUID, after: UUID | None, limit: int) -> list[UUID]:
        """Followers of ``user_id`` in id order after ``after``: fan-out walks them in batches."""
        ...

    async def post_entry(self, post_id: UUID) -> FeedEntry | None: ...

    async def share_entry(self, share_id: UUID) -> FeedEntry | None: ...
