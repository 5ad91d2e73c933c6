"""Follow someone, or ask to when their account is private (REL-1)."""

from __future__ import annotations

from social.domain.graph.lookup import find_visible_account
from social.domain.graph.model import AccountRef, Follow, FollowRequest, FollowState
from social.domain.graph.ports import GraphUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import RefreshHomeFeed, SendNotification
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["FollowUser"]


class FollowUser:
    """Rules: nobody follows themselves; blocked either way → not found; following again is a
    no-op; a private account gets a request (asking again keeps the first one) until its owner
    approves; a public one is followed at once, and the follower's home feed is rebuilt to
    hold its posts."""

    def __init__(self, *, uow: GraphUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, account: AccountRef) -> FollowState:
        async with self._uow() as uow:
            target, ties = await find_visible_account(uow, viewer, account)
            if target.id == viewer.user_id:
                raise Invalid.field("username", "you cannot follow yourself")
            if ties.following:
                return FollowState.FOLLOWING
            now = self._clock.now()
            if target.is_private:
                request = FollowRequest(new_id(), viewer.user_id, target.id, now)
                if await uow.graph.add_request(request):
                    await uow.jobs.enqueue(
                        SendNotification(
                            NotificationKind.FOLLOW_REQUEST,
                            actor_id=viewer.user_id,
                            user_id=target.id,
                        )
                    )
                state = FollowState.REQUESTED
            else:
                if await uow.graph.add_follow(Follow(new_id(), viewer.user_id, target.id, now)):
                    await uow.jobs.enqueue(RefreshHomeFeed(viewer.user_id))
                    await uow.jobs.enqueue(
                        SendNotification(
                            NotificationKind.FOLLOW, actor_id=viewer.user_id, user_id=target.id
                        )
                    )
                state = FollowState.FOLLOWING
            await uow.commit()
        return state
