"""A feed store that keeps nothing: every home feed is read from the database.

For the embedded mode with several API processes and no Redis, where a store in one process's
memory would miss what the others fan out.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from social.domain.feed.model import FeedEntry, FeedSlice
from social.domain.shared.pagination import Cursor

__all__ = ["NoFeedStore"]


class NoFeedStore:
    async def push(self, owner_ids: Sequence[UUID], entry: FeedEntry) -> int:
        return 0

    async def retract(self, owner_ids: Sequence[UUID], entry_id: UUID) -> None:
        return None

    async def drop_actor(self, owner_id: UUID, actor_id: UUID) -> None:
        return None

    async def read(self, owner_id: UUID, after: Cursor | None, limit: int) -> FeedSlice | None:
        return None

    async def replace(self, owner_id: UUID, entries: Sequence[FeedEntry], *, trimmed: bool) -> None:
        return None

    async def forget(self, owner_id: UUID) -> None:
        return None
