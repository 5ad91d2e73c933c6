"""The posts one likes, as a list (the app API's favourites)."""

from __future__ import annotations

from social.domain.reads.cards import Reads, card_page
from social.domain.reads.model import PostCard
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["ListLikedPosts"]


class ListLikedPosts:
    """Rules: the viewer's own liked posts, most recently liked first; posts that became hidden
    or were deleted are left out (as for saved posts)."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(self, viewer: Viewer, page: PageRequest[Cursor]) -> Page[PostCard, Cursor]:
        ids = await self._reads.listings.liked_posts(viewer.user_id, page)
        return await card_page(self._reads, viewer, ids)
