"""Followers and following lists (REL-2)."""

from __future__ import annotations

from enum import StrEnum

from social.domain.accounts.model import Viewer
from social.domain.graph.lookup import find_visible_account
from social.domain.graph.visibility import can_see_content
from social.domain.profiles.model import ProfileView
from social.domain.profiles.ports import ProfilesUnitOfWorkFactory
from social.domain.profiles.presenting import profile_views
from social.domain.shared.errors import NotFound
from social.domain.shared.pagination import Page, PageRequest

__all__ = ["Connections", "ListConnections"]


class Connections(StrEnum):
    FOLLOWERS = "followers"
    FOLLOWING = "following"


class ListConnections:
    """Rules: a private account's lists are for its owner and approved followers only (others get
    not found, like for anything hidden); newest connection first, by cursor, stable while people
    follow and unfollow between pages; accounts hidden from the viewer are left out."""

    def __init__(self, *, uow: ProfilesUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer | None, username: str, which: Connections, page: PageRequest
    ) -> Page[ProfileView]:
        async with self._uow() as uow:
            owner, ties = await find_visible_account(uow, viewer, username)
            if not can_see_content(viewer, owner, ties):
                raise NotFound("No such user.")
            listing = uow.graph.followers if which is Connections.FOLLOWERS else uow.graph.following
            ids = await listing(owner.id, page)
            users = await uow.users.get_many(ids.items)
            ordered = [users[i] for i in ids.items if i in users]
            views = await profile_views(uow, viewer, ordered)
        return Page(items=views, next_cursor=ids.next_cursor)
