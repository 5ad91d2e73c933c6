"""Comment on a post, or reply to a comment (INT-2)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.graph.visibility import can_see_account
from social.domain.interactions.model import CommentLimits, clean_comment_text
from social.domain.interactions.ports import InteractionsUnitOfWork, InteractionsUnitOfWorkFactory
from social.domain.interactions.views import CommentView
from social.domain.posts.access import find_visible_post
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import Comment
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Forbidden, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import SendNotification
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["CommentCommand", "CommentOnPost"]

SCOPE = "comments"


@dataclass(frozen=True, slots=True)
class CommentCommand:
    text: str
    parent_id: UUID | None = None


class CommentOnPost:
    """Rules: only on a post the viewer may see, whose author left comments on; 1 to 1,000
    characters; a reply names a comment of the same post, and a reply to a reply joins the
    thread of the top-level comment (one level of threading). A comment the viewer is not shown
    (its author, or the author of its thread, blocks the viewer or is blocked by them, or is
    suspended: ``ListComments`` leaves it out) cannot be replied to either: 404, as if absent.
    A repeated ``Idempotency-Key`` returns the first comment while it exists."""

    def __init__(
        self,
        *,
        uow: InteractionsUnitOfWorkFactory,
        reads: Reads,
        clock: Clock,
        limits: CommentLimits,
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock
        self._limits = limits

    async def execute(
        self,
        viewer: Viewer,
        post_id: UUID,
        command: CommentCommand,
        *,
        idempotency_key: str | None = None,
    ) -> CommentView:
        text = clean_comment_text(command.text, self._limits)
        async with self._uow() as uow:
            earlier = await _recall(uow, viewer, idempotency_key)
            if earlier is not None:
                return await self._view(viewer, earlier)
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            if not post.comments_enabled:
                raise Forbidden("Comments are turned off for this post.")
            parent_id = None
            if command.parent_id is not None:
                parent = await uow.comments.get(command.parent_id)
                if parent is None or parent.post_id != post.id:
                    raise Invalid.field("parent_id", "is not a comment of this post")
                parent_id = parent.parent_id or parent.id
                thread = parent if parent.parent_id is None else await uow.comments.get(parent_id)
                shown_by = {parent.author_id} | ({thread.author_id} if thread else set())
                if not await _all_visible(uow, viewer, shown_by):
                    raise NotFound("No such comment.")
            comment = Comment(
                id=new_id(),
                post_id=post.id,
                author_id=viewer.user_id,
                text=text,
                created_at=self._clock.now(),
                parent_id=parent_id,
            )
            await uow.comments.add(comment)
            if idempotency_key:
                await uow.idempotency.remember(viewer.user_id, SCOPE, idempotency_key, comment.id)
            await uow.jobs.enqueue(
                SendNotification(
                    NotificationKind.COMMENT,
                    viewer.user_id,
                    post_id=post.id,
                    comment_id=comment.id,
                )
            )
            await uow.commit()
        return await self._view(viewer, comment)

    async def _view(self, viewer: Viewer, comment: Comment) -> CommentView:
        authors = await show_accounts(self._reads, viewer, [viewer.user_id])
        if not authors:  # suspended or deleted meanwhile
            raise NotFound("The account does not exist.")
        return CommentView(comment, authors[0])


async def _recall(uow: InteractionsUnitOfWork, viewer: Viewer, key: str | None) -> Comment | None:
    """The comment a repeated key made, while it exists."""
    earlier = await uow.idempotency.recall(viewer.user_id, SCOPE, key) if key else None
    return await uow.comments.get(earlier) if earlier else None


async def _all_visible(uow: InteractionsUnitOfWork, viewer: Viewer, author_ids: set[UUID]) -> bool:
    """Whether the viewer is shown comments by every one of these accounts."""
    others = author_ids - {viewer.user_id}
    if not others:
        return True
    users = await uow.users.get_many(others)
    ties = await uow.graph.ties(viewer.user_id, others)
    return all(
        user_id in users and can_see_account(viewer, users[user_id], ties[user_id])
        for user_id in others
    )
