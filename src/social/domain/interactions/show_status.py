"""One status of the app API as a viewer gets it: a post, a comment on one or a share of one,
with the cards its rendering needs."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.interactions.model import Share
from social.domain.interactions.status_target import FindStatusTarget, StatusKind
from social.domain.interactions.views import CommentView
from social.domain.posts.read_post import show_post
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import AccountCard, PostCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["ShowStatus", "StatusView"]


@dataclass(frozen=True, slots=True)
class StatusView:
    """The post the status is about (itself, the commented or the shared one), and for a comment
    the comment with its author and the account it answers (the post's author, or the author of
    the thread it replies in); for a share the share and its sharer."""

    post: PostCard
    comment: CommentView | None = None
    answers_id: UUID | None = None
    share: Share | None = None
    sharer: AccountCard | None = None

    @property
    def kind(self) -> StatusKind:
        if self.comment is not None:
            return StatusKind.COMMENT
        return StatusKind.SHARE if self.share is not None else StatusKind.POST


class ShowStatus:
    """Rules: as ``FindStatusTarget`` finds it (hidden: not found), with fresh counters and the
    viewer's flags."""

    def __init__(self, *, find: FindStatusTarget, reads: Reads) -> None:
        self._find = find
        self._reads = reads

    async def execute(self, viewer: Viewer | None, status_id: UUID) -> StatusView:
        target = await self._find.execute(viewer, status_id)
        post = await show_post(self._reads, viewer, target.post_id)
        if target.comment is not None:
            comment = target.comment
            answers = post.state.author_id
            if comment.parent_id is not None:
                thread = await self._reads.listings.comment(comment.parent_id)
                answers = thread.author_id if thread is not None else answers
            author = await self._card(viewer, comment.author_id)
            return StatusView(post, CommentView(comment, author), answers_id=answers)
        if target.share is not None:
            sharer = await self._card(viewer, target.share.user_id)
            return StatusView(post, share=target.share, sharer=sharer)
        return StatusView(post)

    async def _card(self, viewer: Viewer | None, account_id: UUID) -> AccountCard:
        found = await show_accounts(self._reads, viewer, [account_id])
        if not found:  # suspended, deleted or blocked since the status was found
            raise NotFound("No such status.")
        return found[0]
