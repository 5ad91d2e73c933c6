"""Read one thing the app API calls a status: a post, a comment on one or a share of one (their
UUIDv7 ids never collide), as the viewer may see it, with the cards it is shown with."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.interactions.model import Share
from social.domain.interactions.ports import InteractionsUnitOfWorkFactory
from social.domain.posts.read_post import show_post
from social.domain.reads.cards import Reads, show_accounts, show_accounts_of_post, show_posts
from social.domain.reads.model import AccountCard, Comment, PostCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["CommentStatus", "ReadStatus", "ShareStatus"]


@dataclass(frozen=True, slots=True)
class CommentStatus:
    comment: Comment
    author: AccountCard
    post: PostCard
    replied_to_id: UUID
    """The author of what the comment answers: the post's, or the parent comment's."""


@dataclass(frozen=True, slots=True)
class ShareStatus:
    share: Share
    sharer: AccountCard
    post: PostCard


class ReadStatus:
    """Rules: a post as ``GetPost`` decides (POST-5); a comment when its post is visible and its
    author and its thread's author are shown to the viewer (as ``ListComments`` and
    ``CommentOnPost`` decide); a share while it stands, its post is visible and its sharer shown
    to the viewer. Anything else is not found, as if absent."""

    def __init__(self, *, reads: Reads, uow: InteractionsUnitOfWorkFactory) -> None:
        self._reads = reads
        self._uow = uow

    async def execute(
        self, viewer: Viewer | None, status_id: UUID
    ) -> PostCard | CommentStatus | ShareStatus:
        posts = await show_posts(self._reads, viewer, [status_id])
        if posts:
            return posts[0]
        comment = await self._reads.listings.comment(status_id)
        if comment is not None:
            return await self.comment(viewer, comment)
        async with self._uow() as uow:
            share = await uow.interactions.get_share(status_id)
        if share is None:
            raise NotFound("No such status.")
        post = await show_post(self._reads, viewer, share.post_id)
        sharers = await show_accounts(self._reads, viewer, [share.user_id])
        if not sharers:
            raise NotFound("No such status.")
        return ShareStatus(share, sharers[0], post)

    async def comment(self, viewer: Viewer | None, comment: Comment) -> CommentStatus:
        """A comment already read, with its cards, if the viewer may see it."""
        parent = (
            await self._reads.listings.comment(comment.parent_id)
            if comment.parent_id is not None
            else None
        )
        post = await show_post(self._reads, viewer, comment.post_id)
        wanted = [comment.author_id] + ([parent.author_id] if parent is not None else [])
        people = await show_accounts_of_post(self._reads, viewer, comment.post_id, wanted)
        if any(author_id not in people for author_id in wanted):
            raise NotFound("No such status.")
        replied_to = parent.author_id if parent is not None else post.state.author_id
        return CommentStatus(comment, people[comment.author_id], post, replied_to)
