"""The search outbox, the rebuild's pause and the rebuild's source, in memory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.posts.model import Post
from social.domain.shared.ids import new_id
from social.domain.shared.search_changes import ChangeKind, SearchChange

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemorySearchChanges", "InMemorySearchSource", "InMemorySearchSyncPause"]


class InMemorySearchSyncPause:
    """Shared by every unit of work of one fake database, like the advisory lock."""

    def __init__(self) -> None:
        self.active = False
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        async with self._lock:
            self.active = True
            try:
                yield
            finally:
                self.active = False


class InMemorySearchChanges:
    def __init__(self, work: AccountsStore, pause: InMemorySearchSyncPause) -> None:
        self._w = work
        self._pause = pause

    async def record(self, kind: ChangeKind, target_id: UUID) -> None:
        self._w.search_changes.append(SearchChange(new_id(), kind, target_id))

    async def claim(self, limit: int) -> list[SearchChange] | None:
        if self._pause.active:
            return None
        return list(self._w.search_changes[:limit])

    async def done(self, changes: Sequence[SearchChange]) -> None:
        gone = {c.id for c in changes}
        self._w.search_changes[:] = [c for c in self._w.search_changes if c.id not in gone]

    async def backlog(self) -> int:
        return len(self._w.search_changes)


class InMemorySearchSource:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def posts_after(self, after: UUID | None, limit: int) -> list[Post]:
        ids = sorted(i for i in self._w.posts if after is None or i > after)[:limit]
        return [self._w.posts[i] for i in ids]

    async def users_after(self, after: UUID | None, limit: int) -> list[User]:
        ids = sorted(i for i in self._w.users if after is None or i > after)[:limit]
        return [self._w.users[i] for i in ids]

    async def users_in(self, user_ids: set[UUID]) -> list[User]:
        return [self._w.users[i] for i in user_ids if i in self._w.users]

    async def total(self) -> int:
        return len(self._w.posts) + len(self._w.users)
