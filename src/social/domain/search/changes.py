"""The search outbox: every change that affects search is recorded in the transaction that
makes it, and a job brings the index up to date from the database (SRCH-2)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.posts.model import Post

__all__ = ["ChangeKind", "SearchChange", "SearchChanges", "SearchSource", "SearchSyncPause"]


class ChangeKind(StrEnum):
    POST = "post"
    """One post's document."""
    USER = "user"
    """One account's document."""
    AUTHOR = "author"
    """An account's document and every one of its posts (privacy, suspension, deletion)."""


@dataclass(frozen=True, slots=True)
class SearchChange:
    id: UUID
    kind: ChangeKind
    target_id: UUID


class SearchChanges(Protocol):
    """Rows of the unit of work's transaction: they exist if and only if the change committed."""

    async def record(self, kind: ChangeKind, target_id: UUID) -> None: ...

    async def claim(self, limit: int) -> list[SearchChange] | None:
        """The oldest changes no other sync holds, held until this transaction ends; ``None``
        while a rebuild has paused syncing (the changes wait, nothing is lost)."""
        ...

    async def done(self, changes: Sequence[SearchChange]) -> None:
        """Forget these changes (they are in the index now)."""
        ...

    async def backlog(self) -> int:
        """How many changes wait (for metrics and tests)."""
        ...


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
