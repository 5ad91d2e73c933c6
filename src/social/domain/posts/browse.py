"""Browsing posts (FEED-2): a profile's grid, a tag's page, explore."""

from __future__ import annotations

from datetime import timedelta

from social.domain.graph.model import AccountRef
from social.domain.graph.visibility import can_see_content
from social.domain.reads.cards import Reads, card_page, find_account
from social.domain.reads.model import PostCard
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor

__all__ = ["Explore", "ListUserPosts", "TagPosts"]


class ListUserPosts:
    """Rules: a private account's posts are for its owner, approved followers and moderators
    (others get not found, like for anything hidden); newest first; only those carrying
    ``tag`` when one is given."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(
        self,
        viewer: Viewer | None,
        account: AccountRef,
        page: PageRequest[Cursor],
        *,
        tag: str | None = None,
    ) -> Page[PostCard, Cursor]:
        owner, ties, _ = await find_account(self._reads, viewer, account)
        if not can_see_content(viewer, owner, ties):
            raise NotFound("No such user.")
        listings = self._reads.listings
        if tag is None:
            ids = await listings.posts_by_author(owner.id, page)
        else:
            ids = await listings.posts_by_author_tagged(owner.id, tag, page)
        return await card_page(self._reads, viewer, ids)


class TagPosts:
    """Rules: posts of public accounts carrying the tag (case-insensitive, ``#`` optional),
    newest first; a private account's posts never show on tag pages, even to its followers."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(
        self, viewer: Viewer | None, tag: str, page: PageRequest[Cursor]
    ) -> Page[PostCard, Cursor]:
        ids = await self._reads.listings.public_posts_tagged(tag, page)
        return await card_page(self._reads, viewer, ids)


class Explore:
    """Rules: recent popular posts of public accounts: created within the window, most engaging
    first (a share counts three likes, a comment two), ties by id. The order may be a little
    old (the listing may rank from a snapshot of the window refreshed every minute), so a post
    liked meanwhile may climb above the cursor (and is not shown again), one unliked may sink
    below it (and show a second time); a snapshot is what makes the page cheap. What the order
    is made of may be old, what is shown is not: an author gone private since is left out here,
    and the read model's visibility rules (deleted, suspended, blocked) apply to every card."""

    def __init__(self, *, reads: Reads, clock: Clock, window: timedelta) -> None:
        self._reads = reads
        self._clock = clock
        self._window = window

    async def execute(
        self, viewer: Viewer | None, page: PageRequest[RankCursor]
    ) -> Page[PostCard, RankCursor]:
        since = self._clock.now() - self._window
        ids = await self._reads.listings.popular_posts_since(since, page)
        cards = await card_page(self._reads, viewer, ids)
        public = [card for card in cards.items if not card.author.state.is_private]
        return cards if len(public) == len(cards.items) else Page(public, cards.next_cursor)
