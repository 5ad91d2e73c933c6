"""Share a post to one's followers, and take the share back (INT-3)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.interactions.model import Share
from social.domain.interactions.ports import InteractionsUnitOfWorkFactory
from social.domain.posts.access import find_visible_post
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Forbidden, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import (
    FanOutShare,
    RetractFeedEntry,
    SendNotification,
    WithdrawNotification,
)
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["SharePost", "ShareState", "UnsharePost", "WithdrawShare"]


@dataclass(frozen=True, slots=True)
class ShareState:
    shared: bool
    shares_count: int
    share_id: UUID | None = None
    """The viewer's share (new or earlier) after sharing; ``None`` after taking it back."""


class SharePost:
    """Rules: only a post the viewer may see; a private account's post cannot be re-shared (its
    audience is its owner's choice), nor one's own; sharing again is a no-op. A new share reaches
    the sharer's followers' home feeds through the fan-out job."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, post_id: UUID) -> ShareState:
        async with self._uow() as uow:
            post, author, _ = await find_visible_post(uow, viewer, post_id)
            if author.id == viewer.user_id:
                raise Forbidden("You cannot share your own post.")
            if author.is_private:
                raise Forbidden("Posts of private accounts cannot be shared.")
            share = Share(new_id(), post.id, viewer.user_id, self._clock.now())
            if await uow.interactions.add_share(share):
                await uow.jobs.enqueue(FanOutShare(share.id))
                await uow.jobs.enqueue(
                    SendNotification(NotificationKind.SHARE, viewer.user_id, post_id=post.id)
                )
            else:
                share = await uow.interactions.share_of(post.id, viewer.user_id) or share
            count = await uow.posts.counters(post.id)
            await uow.commit()
        return ShareState(shared=True, shares_count=count.shares, share_id=share.id)


class UnsharePost:
    """Rules: taking back a share one did not make is a no-op; the share leaves the followers'
    feeds (at once on read, and from the stored feeds by a job)."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, post_id: UUID) -> ShareState:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            removed = await uow.interactions.remove_share(post.id, viewer.user_id)
            if removed is not None:
                await uow.jobs.enqueue(
                    RetractFeedEntry(entry_id=removed.id, actor_id=viewer.user_id)
                )
                await uow.jobs.enqueue(
                    WithdrawNotification(NotificationKind.SHARE, viewer.user_id, post_id=post.id)
                )
            count = await uow.posts.counters(post.id)
            await uow.commit()
        return ShareState(shared=False, shares_count=count.shares)


class WithdrawShare:
    """Rules: a share named by its own id (the app API's status id of a reblog) is taken back
    by its sharer only, as ``UnsharePost`` takes it back."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory, unshare: UnsharePost) -> None:
        self._uow = uow
        self._unshare = unshare

    async def execute(self, viewer: Viewer, share_id: UUID) -> ShareState:
        async with self._uow() as uow:
            share = await uow.interactions.get_share(share_id)
        if share is None:
            raise NotFound("No such share.")
        if share.user_id != viewer.user_id:
            raise Forbidden("Only its sharer can take a share back.")
        return await self._unshare.execute(viewer, share.post_id)
