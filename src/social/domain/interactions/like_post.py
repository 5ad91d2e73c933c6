"""Like and unlike a post (INT-1)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.interactions.ports import InteractionsUnitOfWorkFactory
from social.domain.posts.access import find_visible_post
from social.domain.shared.clock import Clock
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import SendNotification, WithdrawNotification
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["LikePost", "LikeState", "UnlikePost"]


@dataclass(frozen=True, slots=True)
class LikeState:
    liked: bool
    likes_count: int


class LikePost:
    """Rules: only a post the viewer may see (blocked either way: not found); liking again is a
    no-op; the count changes with the like, in one transaction; the author is notified."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, post_id: UUID) -> LikeState:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            if await uow.interactions.add_like(post.id, viewer.user_id, self._clock.now()):
                await uow.jobs.enqueue(
                    SendNotification(NotificationKind.LIKE, viewer.user_id, post_id=post.id)
                )
            count = await uow.posts.counters(post.id)
            await uow.commit()
        return LikeState(liked=True, likes_count=count.likes)


class UnlikePost:
    """Rules: unliking a post one does not like is a no-op; the like's notification goes."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, post_id: UUID) -> LikeState:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            if await uow.interactions.remove_like(post.id, viewer.user_id):
                await uow.jobs.enqueue(
                    WithdrawNotification(NotificationKind.LIKE, viewer.user_id, post_id=post.id)
                )
            count = await uow.posts.counters(post.id)
            await uow.commit()
        return LikeState(liked=False, likes_count=count.likes)
