"""Read who shares a post (INT-3), as ``ListLikers`` reads who likes it."""

from __future__ import annotations

from uuid import UUID

from social.domain.reads.cards import Reads, show_accounts_of_post
from social.domain.reads.model import AccountCard
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["ListSharers"]


class ListSharers:
    """Rules: the post's visibility decides (a hidden post is not found); most recent share
    first; accounts hidden from the viewer are left out."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(
        self, viewer: Viewer | None, post_id: UUID, page: PageRequest[Cursor]
    ) -> Page[AccountCard, Cursor]:
        ids = await self._reads.listings.sharers(post_id, page)
        people = await show_accounts_of_post(self._reads, viewer, post_id, ids.items)
        items = [people[i] for i in ids.items if i in people]
        return Page(items=items, next_cursor=ids.next_cursor)
