"""What the graph needs from storage."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.ports import UserRepository
from social.domain.graph.model import Follow, FollowRequest, Ties
from social.domain.shared.pagination import Cursor, Page, PageRequest
from social.domain.shared.ports import UnitOfWork

__all__ = ["GraphRepository", "GraphUnitOfWork", "GraphUnitOfWorkFactory"]


class GraphRepository(Protocol):
    """Edges and the counters that summarise them change together, in one transaction, so
    ``followers_count`` and ``following_count`` always equal the rows they count."""

    async def ties(self, viewer_id: UUID, others: Iterable[UUID]) -> dict[UUID, Ties]:
        """Facts between the viewer and each other account (every id gets an entry)."""
        ...

    async def add_follow(self, follow: Follow) -> bool:
        """Insert the follow and bump both counters; ``False`` (and no change) if it exists."""
        ...

    async def remove_follow(self, follower_id: UUID, followee_id: UUID) -> bool:
        """Delete the follow and lower both counters; ``False`` if there was none."""
        ...

    async def add_request(self, request: FollowRequest) -> bool:
        """``False`` if the requester already has a pending request to the target."""
        ...

    async def get_request(self, request_id: UUID) -> FollowRequest | None: ...

    async def remove_request(self, requester_id: UUID, target_id: UUID) -> bool: ...

    async def pending_requests(
        self, target_id: UUID, page: PageRequest[Cursor]
    ) -> Page[FollowRequest, Cursor]:
        """Requests to ``target_id``, newest first."""
        ...

    async def all_pending_requests(self, target_id: UUID) -> list[FollowRequest]: ...

    async def count_pending_requests(self, target_id: UUID) -> int: ...

    async def add_block(self, blocker_id: UUID, blocked_id: UUID, at: datetime) -> bool: ...

    async def remove_block(self, blocker_id: UUID, blocked_id: UUID) -> bool: ...

    async def add_mute(self, muter_id: UUID, muted_id: UUID, at: datetime) -> bool: ...

    async def remove_mute(self, muter_id: UUID, muted_id: UUID) -> bool: ...

    async def remove_all_edges(self, user_id: UUID) -> None:
        """Drop every follow (fixing the other side's counters), request, block and mute the
        account takes part in; used when an account is deleted. Idempotent."""
        ...


class GraphUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...

    @property
    def graph(self) -> GraphRepository: ...


GraphUnitOfWorkFactory = Callable[[], GraphUnitOfWork]
