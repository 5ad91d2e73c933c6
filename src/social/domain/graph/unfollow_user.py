"""Stop following someone, or withdraw a pending request (REL-1)."""

from __future__ import annotations

from social.domain.graph.lookup import find_visible_account
from social.domain.graph.model import AccountRef
from social.domain.graph.ports import GraphUnitOfWorkFactory
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import (
    DropActorFromFeed,
    WithdrawNotification,
)
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["UnfollowUser"]


class UnfollowUser:
    """Rules: removes the follow and any pending request; doing it again changes nothing; the
    account's posts and shares leave the home feed (at once on read, from the store by a job)."""

    def __init__(self, *, uow: GraphUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, account: AccountRef) -> None:
        async with self._uow() as uow:
            target, _ = await find_visible_account(uow, viewer, account)
            if await uow.graph.remove_follow(viewer.user_id, target.id):
                await uow.jobs.enqueue(
                    DropActorFromFeed(owner_id=viewer.user_id, actor_id=target.id)
                )
                await uow.jobs.enqueue(
                    WithdrawNotification(
                        NotificationKind.FOLLOW, actor_id=viewer.user_id, user_id=target.id
                    )
                )
            if await uow.graph.remove_request(viewer.user_id, target.id):
                await uow.jobs.enqueue(
                    WithdrawNotification(
                        NotificationKind.FOLLOW_REQUEST,
                        actor_id=viewer.user_id,
                        user_id=target.id,
                    )
                )
            await uow.commit()
