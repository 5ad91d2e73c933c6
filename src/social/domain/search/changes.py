"""The search outbox: every change that affects search is recorded in the transaction that
makes it, and a job brings the index up to date from the database (SRCH-2)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.posts.model import Post

__all__ = ["SearchSource", "SearchSyncPause"]


class SearchSyncPause(Protocol):
    def paused(self) -> AbstractAsyncContextManager[None]:
        """While held, syncs take nothing (a rebuild is reading the database); changes made
        meanwhile wait and are applied to the new index afterwards."""
        ...


class SearchSource(Protocol):
    """Everything there is to index, in id order, a batch at a time (for rebuilds)."""

    async def posts_after(self, after: UUID | None, limit: int) -> list[Post]: ...

    async def users_after(self, after: UUID | None, limit: int) -> list[User]: ...

    async def users_in(self, user_ids: set[UUID]) -> list[User]: ...

    async def total(self) -> int:
        """Posts plus accounts: what a rebuild will go through (for its progress bar)."""
        ...
