"""What one id of the app API's statuses names here: a post, a comment on one, or a share of
one (all UUIDv7, unique across the three), found as the viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from social.domain.interactions.comment_on_post import authors_shown
from social.domain.interactions.model import Share
from social.domain.interactions.ports import InteractionsUnitOfWork, InteractionsUnitOfWorkFactory
from social.domain.posts.access import find_visible_post
from social.domain.reads.model import Comment
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["FindStatusTarget", "StatusKind", "StatusTarget"]


class StatusKind(StrEnum):
    POST = "post"
    COMMENT = "comment"
    SHARE = "share"


@dataclass(frozen=True, slots=True)
class StatusTarget:
    """The post a status is about, and the comment or share the id names (if not the post)."""

    post_id: UUID
    comment: Comment | None = None
    share: Share | None = None

    @property
    def kind(self) -> StatusKind:
        if self.comment is not None:
            return StatusKind.COMMENT
        return StatusKind.SHARE if self.share is not None else StatusKind.POST


class FindStatusTarget:
    """Rules: found only when the viewer may see the post (POST-5) and, for a comment, its
    author and the author of its thread (as ``CommentOnPost`` and ``ListComments`` decide), for a
    share, its sharer; anything else is not found, as if absent."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer | None, status_id: UUID) -> StatusTarget:
        async with self._uow() as uow:
            target = await _target(uow, status_id)
            if target is None:
                raise NotFound("No such status.")
            try:
                await find_visible_post(uow, viewer, target.post_id)
            except NotFound:
                raise NotFound("No such status.") from None
            if not await authors_shown(uow, viewer, await _authors(uow, target)):
                raise NotFound("No such status.")
        return target


async def _target(uow: InteractionsUnitOfWork, status_id: UUID) -> StatusTarget | None:
    if await uow.posts.get(status_id) is not None:
        return StatusTarget(post_id=status_id)
    comment = await uow.comments.get(status_id)
    if comment is not None:
        return StatusTarget(post_id=comment.post_id, comment=comment)
    share = await uow.interactions.get_share(status_id)
    if share is not None:
        return StatusTarget(post_id=share.post_id, share=share)
    return None


async def _authors(uow: InteractionsUnitOfWork, target: StatusTarget) -> set[UUID]:
    """Whose accounts the viewer must be shown to be shown the status (beyond the post's)."""
    if target.share is not None:
        return {target.share.user_id}
    comment = target.comment
    if comment is None:
        return set()
    if comment.parent_id is None:
        return {comment.author_id}
    thread = await uow.comments.get(comment.parent_id)
    return {comment.author_id} | ({thread.author_id} if thread else set())
