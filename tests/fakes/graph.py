"""The in-memory graph repository (``domain/graph``), working on a unit of work's copy of the
store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from social.domain.graph.model import Follow, FollowRequest, Ties
from social.domain.shared.pagination import Cursor, Page, PageRequest

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryGraphRepository"]


def _page(rows: list[tuple[datetime, UUID, Any]], page: PageRequest[Cursor]) -> Page[Any, Cursor]:
    """Newest first by (time, id), strictly after the cursor; the extra row flags a next page."""
    rows = sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)
    if page.after is not None:
        rows = [r for r in rows if (r[0], r[1]) < (page.after.at, page.after.id)]
    items = rows[: page.limit]
    last = items[-1] if len(rows) > page.limit else None
    return Page([r[2] for r in items], Cursor(last[0], last[1]) if last else None)


class InMemoryGraphRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def ties(self, viewer_id: UUID, others: Iterable[UUID]) -> dict[UUID, Ties]:
        w = self._w
        requested = {(r.requester_id, r.target_id) for r in w.requests.values()}
        return {
            other: Ties(
                following=(viewer_id, other) in w.follows,
                requested=(viewer_id, other) in requested,
                followed_by=(other, viewer_id) in w.follows,
                blocking=(viewer_id, other) in w.blocks,
                blocked_by=(other, viewer_id) in w.blocks,
                muting=(viewer_id, other) in w.mutes,
            )
            for other in others
        }

    async def add_follow(self, follow: Follow) -> bool:
        pair = (follow.follower_id, follow.followee_id)
        if pair in self._w.follows:
            return False
        self._w.follows[pair] = follow
        self._count(*pair, +1)
        return True

    async def remove_follow(self, follower_id: UUID, followee_id: UUID) -> bool:
        if self._w.follows.pop((follower_id, followee_id), None) is None:
            return False
        self._count(follower_id, followee_id, -1)
        return True

    def _count(self, follower_id: UUID, followee_id: UUID, step: int) -> None:
        users = self._w.users
        if follower_id in users:
            user = users[follower_id]
            users[follower_id] = replace(user, following_count=user.following_count + step)
        if followee_id in users:
            user = users[followee_id]
            users[followee_id] = replace(user, followers_count=user.followers_count + step)

    async def add_request(self, request: FollowRequest) -> bool:
        if any(
            (r.requester_id, r.target_id) == (request.requester_id, request.target_id)
            for r in self._w.requests.values()
        ):
            return False
        self._w.requests[request.id] = request
        return True

    async def get_request(self, request_id: UUID) -> FollowRequest | None:
        return self._w.requests.get(request_id)

    async def remove_request(self, requester_id: UUID, target_id: UUID) -> bool:
        for request in list(self._w.requests.values()):
            if (request.requester_id, request.target_id) == (requester_id, target_id):
                del self._w.requests[request.id]
                return True
        return False

    async def pending_requests(
        self, target_id: UUID, page: PageRequest[Cursor]
    ) -> Page[FollowRequest, Cursor]:
        rows = [
            (r.created_at, r.id, r) for r in self._w.requests.values() if r.target_id == target_id
        ]
        return _page(rows, page)

    async def all_pending_requests(self, target_id: UUID) -> list[FollowRequest]:
        return [r for r in self._w.requests.values() if r.target_id == target_id]

    async def count_pending_requests(self, target_id: UUID) -> int:
        return len(await self.all_pending_requests(target_id))

    async def add_block(self, blocker_id: UUID, blocked_id: UUID, at: datetime) -> bool:
        return self._add(self._w.blocks, (blocker_id, blocked_id), at)

    async def remove_block(self, blocker_id: UUID, blocked_id: UUID) -> bool:
        return self._w.blocks.pop((blocker_id, blocked_id), None) is not None

    async def add_mute(self, muter_id: UUID, muted_id: UUID, at: datetime) -> bool:
        return self._add(self._w.mutes, (muter_id, muted_id), at)

    async def remove_mute(self, muter_id: UUID, muted_id: UUID) -> bool:
        return self._w.mutes.pop((muter_id, muted_id), None) is not None

    @staticmethod
    def _add(
        edges: dict[tuple[UUID, UUID], datetime], pair: tuple[UUID, UUID], at: datetime
    ) -> bool:
        if pair in edges:
            return False
        edges[pair] = at
        return True

    async def remove_all_edges(self, user_id: UUID) -> None:
        for follower, followee in list(self._w.follows):
            if user_id in (follower, followee):
                await self.remove_follow(follower, followee)
        self._w.requests = {
            k: r
            for k, r in self._w.requests.items()
            if user_id not in (r.requester_id, r.target_id)
        }
        for edges in (self._w.blocks, self._w.mutes):
            for pair in [p for p in edges if user_id in p]:
                del edges[pair]
