"""The search outbox port: use cases of any context record what the index must learn, in their
own transaction (like ``uow.jobs``); the search context applies them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID

__all__ = ["ChangeKind", "SearchChange", "SearchChanges"]


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
