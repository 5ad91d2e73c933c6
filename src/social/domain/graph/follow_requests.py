"""A private account's owner approves and rejects follow requests (REL-1)."""

from __future__ import annotations

from uuid import UUID

from social.domain.graph.model import Follow
from social.domain.graph.ports import GraphUnitOfWork, GraphUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import (
    RefreshHomeFeed,
    WithdrawNotification,
)
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["DecideFollowRequest"]


class DecideFollowRequest:
    """Rules: only the account the request was made to may decide it; approving turns it into a
    follow, rejecting drops it; a request that no longer exists is not found. A request is
    named by its id (the native API) or by its requester (the app API: one pending request per
    requester and target)."""

    def __init__(self, *, uow: GraphUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, request_id: UUID, *, approve: bool) -> None:
        async with self._uow() as uow:
            request = await uow.graph.get_request(request_id)
            if request is None or request.target_id != viewer.user_id:
                raise NotFound("No such follow request.")
            await self._decide(uow, request.requester_id, viewer.user_id, approve)

    async def from_requester(self, viewer: Viewer, requester_id: UUID, *, approve: bool) -> None:
        async with self._uow() as uow:
            await self._decide(uow, requester_id, viewer.user_id, approve)

    async def _decide(
        self, uow: GraphUnitOfWork, requester_id: UUID, target_id: UUID, approve: bool
    ) -> None:
        if not await uow.graph.remove_request(requester_id, target_id):
            raise NotFound("No such follow request.")
        await uow.jobs.enqueue(
            WithdrawNotification(
                NotificationKind.FOLLOW_REQUEST, actor_id=requester_id, user_id=target_id
            )
        )
        if approve:
            follow = Follow(new_id(), requester_id, target_id, self._clock.now())
            if await uow.graph.add_follow(follow):
                await uow.jobs.enqueue(RefreshHomeFeed(requester_id))
        await uow.commit()
