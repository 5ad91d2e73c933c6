"""Browsing posts (FEED-2): a profile's grid, a tag's page, explore."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from social.domain.accounts.model import Viewer
from social.domain.graph.lookup import find_visible_account
from social.domain.graph.visibility import can_see_content
from social.domain.posts.ports import PostsUnitOfWork, PostsUnitOfWorkFactory
from social.domain.posts.views import PostView, post_views
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.pagination import Page, PageRequest, RankedPageRequest

__all__ = ["Explore", "ListUserPosts", "TagPosts", "hydrate"]


async def hydrate(uow: PostsUnitOfWork, viewer: Viewer | None, ids: Page[UUID]) -> Page[PostView]:
    """The page's posts as the viewer sees them, in order; hidden ones are left out and the
    cursor is kept, so the next page continues after the last id looked at."""
    found = await uow.posts.get_many(ids.items)
    views = await post_views(uow, viewer, [found[i] for i in ids.items if i in found])
    return Page(items=views, next_cursor=ids.next_cursor)


class ListUserPosts:
    """Rules: a private account's posts are for its owner, approved followers and moderators
    (others get not found, like for anything hidden); newest first."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer | None, username: str, page: PageRequest
    ) -> Page[PostView]:
        async with self._uow() as uow:
            owner, ties = await find_visible_account(uow, viewer, username)
            if not can_see_content(viewer, owner, ties):
                raise NotFound("No such user.")
            return await hydrate(uow, viewer, await uow.posts.by_author(owner.id, page))


class TagPosts:
    """Rules: posts of public accounts carrying the tag (case-insensitive, ``#`` optional),
    newest first; a private account's posts never show on tag pages, even to its followers."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer | None, tag: str, page: PageRequest) -> Page[PostView]:
        async with self._uow() as uow:
            return await hydrate(uow, viewer, await uow.posts.public_tagged(tag, page))


class Explore:
    """Rules: recent popular posts of public accounts: created within the window, most engaging
    first (a share counts three likes, a comment two), ties by id. Counts move between page
    loads: a post liked meanwhile may climb above the cursor (and is not shown again), one
    unliked may sink below it (and show a second time); a snapshot would cost more than it is
    worth for a browsing page."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory, clock: Clock, window: timedelta) -> None:
        self._uow = uow
        self._clock = clock
        self._window = window

    async def execute(self, viewer: Viewer | None, page: RankedPageRequest) -> Page[PostView]:
        since = self._clock.now() - self._window
        async with self._uow() as uow:
            return await hydrate(uow, viewer, await uow.posts.popular_since(since, page))
