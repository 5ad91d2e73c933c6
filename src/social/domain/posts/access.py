"""Finding a post the viewer may see: the one check every interaction starts with."""

from __future__ import annotations

from uuid import UUID

from social.domain.accounts.model import User
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_content
from social.domain.posts.model import Post
from social.domain.posts.ports import PostsUnitOfWork
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["find_visible_post"]


async def find_visible_post(
    uow: PostsUnitOfWork, viewer: Viewer | None, post_id: UUID
) -> tuple[Post, User, Ties]:
    """The post, its author and the viewer's ties to the author; ``NotFound`` when the post does
    not exist or is hidden from the viewer (private, blocked either way, author suspended)."""
    post = await uow.posts.get(post_id)
    author = await uow.users.get(post.author_id) if post else None
    if post is None or author is None:
        raise NotFound("No such post.")
    ties = Ties()
    if viewer is not None and viewer.user_id != author.id:
        ties = (await uow.graph.ties(viewer.user_id, [author.id]))[author.id]
    if not can_see_content(viewer, author, ties):
        raise NotFound("No such post.")
    return post, author, ties
