"""Search and discovery (SRCH-1): posts by text and place, people by prefix, tags."""

from __future__ import annotations

from datetime import timedelta

from social.domain.reads.cards import Reads, account_page, card_page
from social.domain.reads.model import AccountCard, PostCard
from social.domain.reads.ports import Listings
from social.domain.search.model import TagCount
from social.domain.search.ports import SearchIndex
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, KeyCursor, Page, PageRequest
from social.domain.shared.tags import normalize_tag

__all__ = ["SearchEverything", "TagSummary"]

MAX_QUERY = 200


def _query(text: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise Invalid.field("q", "must not be empty")
    if len(clean) > MAX_QUERY:
        raise Invalid.field("q", f"must be at most {MAX_QUERY} characters")
    return clean


class SearchEverything:
    """Rules: posts (by caption text or by place name) come from public accounts only and
    never include what the viewer may not see (blocked either way, suspended, deleted); people
    search finds active accounts by username or display-name prefix, minus those blocked either
    way; tags come with their public post counts. With the search engine down: ``Unavailable``
    (503), while the rest of the API goes on."""

    def __init__(
        self,
        *,
        reads: Reads,
        search: SearchIndex,
        clock: Clock,
        trending_window: timedelta,
    ) -> None:
        self._reads = reads
        self._search = search
        self._clock = clock
        self._window = trending_window

    async def posts(
        self, viewer: Viewer | None, text: str, page: PageRequest[Cursor]
    ) -> Page[PostCard, Cursor]:
        ids = await self._search.posts_matching(_query(text), page)
        return await card_page(self._reads, viewer, ids)

    async def places(
        self, viewer: Viewer | None, name: str, page: PageRequest[Cursor]
    ) -> Page[PostCard, Cursor]:
        ids = await self._search.posts_at_place(_query(name), page)
        return await card_page(self._reads, viewer, ids)

    async def users(
        self, viewer: Viewer | None, prefix: str, page: PageRequest[KeyCursor]
    ) -> Page[AccountCard, KeyCursor]:
        ids = await self._search.users_by_prefix(_query(prefix), page)
        return await account_page(self._reads, viewer, ids)

    async def tags(self, prefix: str, limit: int) -> list[TagCount]:
        wanted = normalize_tag(_query(prefix))
        if not wanted:
            return []
        return await self._search.tags_by_prefix(wanted, limit)

    async def trending(self, limit: int) -> list[TagCount]:
        return await self._search.trending_tags(self._clock.now() - self._window, limit)


class TagSummary:
    """Rules: a tag's name (normalized) and how many public posts carry it; a tag nobody used
    has 0 posts (it is not an error to look).

    The count comes from the tag page's own source (``Listings``: the rows a page lists, kept by
    the posts' triggers in the post's transaction), so a post on the tag page is counted at
    once and a deleted one drops out at once. Counting is bounded at ``exact_up_to`` rows (a
    few milliseconds); a tag on more posts than that takes the search index's count (which
    follows within seconds), never less than the bound. (The listing may remember for a minute
    that a tag reached the bound: it takes that many deletions to fall below it.)"""

    def __init__(self, *, search: SearchIndex, listings: Listings, exact_up_to: int = 1000) -> None:
        self._search = search
        self._listings = listings
        self._exact_up_to = exact_up_to

    async def execute(self, tag: str) -> TagCount:
        name = normalize_tag(tag)
        if not name:
            raise Invalid.field("tag", "must not be empty")
        bound = self._exact_up_to + 1
        counted = await self._listings.count_public_posts_tagged(name, at_most=bound)
        if counted < bound:
            return TagCount(name, counted)
        return TagCount(name, max(bound, await self._search.tag_count(name)))
