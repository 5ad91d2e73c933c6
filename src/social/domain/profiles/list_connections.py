"""Followers and following lists (REL-2)."""

from __future__ import annotations

from enum import StrEnum

from social.domain.graph.model import AccountRef
from social.domain.graph.visibility import can_see_content
from social.domain.reads.cards import Reads, account_page, find_account
from social.domain.reads.model import AccountCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["Connections", "ListConnections"]


class Connections(StrEnum):
    FOLLOWERS = "followers"
    FOLLOWING = "following"


class ListConnections:
    """Rules: a private account's lists are for its owner and approved followers only (others get
    not found, like for anything hidden); newest connection first, by cursor, stable while people
    follow and unfollow between pages; accounts hidden from the viewer are left out."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(
        self,
        viewer: Viewer | None,
        account: AccountRef,
        which: Connections,
        page: PageRequest[Cursor],
    ) -> Page[AccountCard, Cursor]:
        owner, ties, _ = await find_account(self._reads, viewer, account)
        if not can_see_content(viewer, owner, ties):
            raise NotFound("No such user.")
        listings = self._reads.listings
        listing = listings.followers if which is Connections.FOLLOWERS else listings.following
        return await account_page(self._reads, viewer, await listing(owner.id, page))
