"""Read one post (POST-5: hidden posts do not exist for the viewer)."""

from __future__ import annotations

from uuid import UUID

from social.domain.accounts.model import Viewer
from social.domain.posts.ports import PostsUnitOfWorkFactory
from social.domain.posts.views import PostView, post_views
from social.domain.shared.errors import NotFound

__all__ = ["GetPost"]


class GetPost:
    """Rules: the visibility policy decides; a post the viewer may not see is not found."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer | None, post_id: UUID) -> PostView:
        async with self._uow() as uow:
            post = await uow.posts.get(post_id)
            views = await post_views(uow, viewer, [post]) if post else []
        if not views:
            raise NotFound("No such post.")
        return views[0]
