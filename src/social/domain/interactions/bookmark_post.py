"""Save posts for later, and list them (INT-4)."""

from __future__ import annotations

from uuid import UUID

from social.domain.interactions.ports import InteractionsUnitOfWorkFactory
from social.domain.posts.access import find_visible_post
from social.domain.reads.cards import Reads, card_page
from social.domain.reads.model import PostCard
from social.domain.shared.clock import Clock
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["BookmarkPost", "ListBookmarks", "UnbookmarkPost"]


class BookmarkPost:
    """Rules: only a post the viewer may see; saving again is a no-op; bookmarks are private."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, post_id: UUID) -> bool:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            await uow.interactions.add_bookmark(post.id, viewer.user_id, self._clock.now())
            await uow.commit()
        return True


class UnbookmarkPost:
    """Rules: works even when the post became hidden meanwhile (one can always tidy up)."""

    def __init__(self, *, uow: InteractionsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, post_id: UUID) -> bool:
        async with self._uow() as uow:
            await uow.interactions.remove_bookmark(post_id, viewer.user_id)
            await uow.commit()
        return False


class ListBookmarks:
    """Rules: the viewer's own saved posts, most recently saved first; posts that became hidden
    or were deleted are left out."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(self, viewer: Viewer, page: PageRequest[Cursor]) -> Page[PostCard, Cursor]:
        ids = await self._reads.listings.bookmarked_posts(viewer.user_id, page)
        return await card_page(self._reads, viewer, ids)
