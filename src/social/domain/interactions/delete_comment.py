"""Delete a comment (INT-2)."""

from __future__ import annotations

from uuid import UUID

from social.domain.interactions.ports import InteractionsUnitOfWorkFactory
from social.domain.posts.access import find_visible_post
from social.domain.shared.errors import Forbidden, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["DeleteComment"]


class DeleteComment:
    """Rules: the comment's author, the post's author or a moderator may delete it; its replies
    go with it and the post's count drops by all of them; a comment on a post the viewer cannot
    see does not exist for them."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, comment_id: UUID) -> None:
        async with self._uow() as uow:
            comment = await uow.comments.get(comment_id)
            if comment is None:
                raise NotFound("No such comment.")
            post, _, _ = await find_visible_post(uow, viewer, comment.post_id)
            allowed = viewer.user_id in (comment.author_id, post.author_id)
            if not allowed and not viewer.role.can_moderate:
                raise Forbidden("Only its author, the post's author or a moderator can do that.")
            await uow.comments.delete(comment.id)
            await uow.commit()
