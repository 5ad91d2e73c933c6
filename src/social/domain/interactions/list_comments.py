"""Read the comments of a post, and the people who like it (INT-1, INT-2)."""

from __future__ import annotations

from uuid import UUID

from social.domain.accounts.model import Viewer
from social.domain.interactions.views import CommentView, comment_views
from social.domain.posts.access import find_visible_post
from social.domain.posts.ports import PostsUnitOfWorkFactory
from social.domain.profiles.model import ProfileView
from social.domain.profiles.presenting import profile_views
from social.domain.shared.errors import Invalid
from social.domain.shared.pagination import Page, PageRequest

__all__ = ["ListComments", "ListLikers"]


class ListComments:
    """Rules: the post's visibility decides; top-level comments (or the replies to one), oldest
    first; comments by accounts the viewer cannot see (blocked either way, suspended) are left
    out."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer | None, post_id: UUID, parent_id: UUID | None, page: PageRequest
    ) -> Page[CommentView]:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            if parent_id is not None:
                parent = await uow.comments.get(parent_id)
                if parent is None or parent.post_id != post.id:
                    raise Invalid.field("parent_id", "is not a comment of this post")
            found = await uow.comments.thread(post.id, parent_id, page)
            views = await comment_views(uow, viewer, found.items)
        return Page(items=views, next_cursor=found.next_cursor)


class ListLikers:
    """Rules: the post's visibility decides; most recent like first; accounts hidden from the
    viewer are left out."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer | None, post_id: UUID, page: PageRequest
    ) -> Page[ProfileView]:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            ids = await uow.interactions.likers(post.id, page)
            users = await uow.users.get_many(ids.items)
            views = await profile_views(uow, viewer, [users[i] for i in ids.items if i in users])
        return Page(items=views, next_cursor=ids.next_cursor)
