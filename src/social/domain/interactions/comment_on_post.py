"""Comment on a post, or reply to a comment (INT-2)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.accounts.model import Viewer
from social.domain.interactions.model import Comment, CommentLimits, clean_comment_text
from social.domain.interactions.views import CommentView
from social.domain.posts.access import find_visible_post
from social.domain.posts.ports import PostsUnitOfWorkFactory
from social.domain.reads.cards import Reads, show_accounts
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Forbidden, Invalid, NotFound
from social.domain.shared.ids import new_id

__all__ = ["CommentCommand", "CommentOnPost"]


@dataclass(frozen=True, slots=True)
class CommentCommand:
    text: str
    parent_id: UUID | None = None


class CommentOnPost:
    """Rules: only on a post the viewer may see, whose author left comments on; 1 to 1,000
    characters; a reply names a comment of the same post, and a reply to a reply joins the
    thread of the top-level comment (one level of threading)."""

    def __init__(
        self, *, uow: PostsUnitOfWorkFactory, reads: Reads, clock: Clock, limits: CommentLimits
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, post_id: UUID, command: CommentCommand) -> CommentView:
        text = clean_comment_text(command.text, self._limits)
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            if not post.comments_enabled:
                raise Forbidden("Comments are turned off for this post.")
            parent_id = None
            if command.parent_id is not None:
                parent = await uow.comments.get(command.parent_id)
                if parent is None or parent.post_id != post.id:
                    raise Invalid.field("parent_id", "is not a comment of this post")
                parent_id = parent.parent_id or parent.id
            comment = Comment(
                id=new_id(),
                post_id=post.id,
                author_id=viewer.user_id,
                text=text,
                created_at=self._clock.now(),
                parent_id=parent_id,
            )
            await uow.comments.add(comment)
            await uow.jobs.enqueue(
                "notify",
                kind="comment",
                actor_id=str(viewer.user_id),
                post_id=str(post.id),
                comment_id=str(comment.id),
            )
            await uow.commit()
        authors = await show_accounts(self._reads, viewer, [viewer.user_id])
        if not authors:  # suspended or deleted meanwhile
            raise NotFound("The account does not exist.")
        return CommentView(comment, authors[0])
