"""Read the comments of a post, and the people who like it (INT-1, INT-2)."""

from __future__ import annotations

from uuid import UUID

from social.domain.interactions.views import CommentView
from social.domain.reads.cards import Reads, show_accounts_of_post
from social.domain.reads.model import AccountCard
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["ListComments", "ListLikers"]


class ListComments:
    """Rules: the post's visibility decides; top-level comments (or the replies to one), oldest
    first; comments by accounts the viewer cannot see (blocked either way, suspended) are left
    out."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(
        self,
        viewer: Viewer | None,
        post_id: UUID,
        parent_id: UUID | None,
        page: PageRequest[Cursor],
    ) -> Page[CommentView, Cursor]:
        listings = self._reads.listings
        parent = await listings.comment(parent_id) if parent_id is not None else None
        found = await listings.comments(post_id, parent_id, page)
        authors = await show_accounts_of_post(
            self._reads, viewer, post_id, [c.author_id for c in found.items]
        )
        if parent_id is not None and (parent is None or parent.post_id != post_id):
            raise Invalid.field("parent_id", "is not a comment of this post")
        items = [
            CommentView(c, authors[c.author_id]) for c in found.items if c.author_id in authors
        ]
        return Page(items=items, next_cursor=found.next_cursor)


class ListLikers:
    """Rules: the post's visibility decides; most recent like first; accounts hidden from the
    viewer are left out."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(
        self, viewer: Viewer | None, post_id: UUID, page: PageRequest[Cursor]
    ) -> Page[AccountCard, Cursor]:
        ids = await self._reads.listings.likers(post_id, page)
        people = await show_accounts_of_post(self._reads, viewer, post_id, ids.items)
        items = [people[i] for i in ids.items if i in people]
        return Page(items=items, next_cursor=ids.next_cursor)
