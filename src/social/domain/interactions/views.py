"""Comments as a viewer sees them, with their authors, in batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from social.domain.accounts.model import Viewer
from social.domain.interactions.model import Comment
from social.domain.posts.ports import PostsUnitOfWork
from social.domain.profiles.model import ProfileView
from social.domain.profiles.presenting import profile_views

__all__ = ["CommentView", "comment_views"]


@dataclass(frozen=True, slots=True)
class CommentView:
    comment: Comment
    author: ProfileView


async def comment_views(
    uow: PostsUnitOfWork, viewer: Viewer | None, comments: Sequence[Comment]
) -> list[CommentView]:
    """Comments whose authors the viewer may see (not blocked either way, still active)."""
    users = await uow.users.get_many({c.author_id for c in comments})
    views = {
        view.user.id: view for view in await profile_views(uow, viewer, [users[i] for i in users])
    }
    return [CommentView(c, views[c.author_id]) for c in comments if c.author_id in views]
