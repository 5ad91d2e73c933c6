"""The home feed (FEED-1, FEED-3): stored feeds, large accounts merged in, the database as the
fallback, and the visibility policy on every item."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from social.domain.feed.model import FeedEntry, FeedItemKind, FeedLimits, FeedSlice, newest_first
from social.domain.feed.ports import FeedSource, FeedStore
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_account
from social.domain.notifications.model import StreamEvent
from social.domain.reads.cards import Reads, cards, visible_posts
from social.domain.reads.model import AccountCard, AccountState, Overlay, PostCard, PostState
from social.domain.shared.caching import ExpiringCache
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Unavailable
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["FeedItemView", "HomeFeed"]

log = logging.getLogger(__name__)

_ROUNDS = 4
"""Reads of the sources per page at most, when hidden items thin a page out."""
_NO_TIES = Ties()


class FeedItemView(NamedTuple):
    entry: FeedEntry
    post: PostCard
    shared_by: AccountCard | None


@dataclass(frozen=True, slots=True)
class _Batch:
    entries: list[FeedEntry]
    exhausted: bool


class _Shown(NamedTuple):
    """An entry that passed the rules, with the states its card is made of."""

    entry: FeedEntry
    post: PostState
    sharer: AccountState | None


class HomeFeed:
    """Rules: posts and shares by the accounts the viewer follows, and the viewer's own, newest
    first by (time, id), paged by cursor so new items never cause repeats or gaps; an item shows
    only while its actor is followed (or is the viewer), neither actor nor author is muted or
    blocked either way, a share still stands and the post is visible to the viewer. Stored
    feeds serve most reads; large accounts are merged in; a cold, evicted or unreachable store
    falls back to the database (the store is rebuilt on the first page).

    Two things are remembered briefly per process, because every read needs them and they
    change rarely: which large accounts a viewer follows (a large account followed a moment
    ago shows within ``FeedLimits.large_followees_ttl``; an unfollow applies at once, by the
    rules above) and the newest entries of each set of large accounts (a new post of theirs
    shows within ``FeedLimits.large_entries_ttl``, a deleted one at once)."""

    def __init__(
        self,
        *,
        reads: Reads,
        source: FeedSource,
        store: FeedStore,
        limits: FeedLimits,
        clock: Clock,
    ) -> None:
        self._reads = reads
        self._source = source
        self._store = store
        self._limits = limits
        self._large: ExpiringCache[UUID, list[UUID]] = ExpiringCache(
            clock, limits.large_followees_ttl, max_entries=100_000
        )
        self._large_entries: ExpiringCache[frozenset[UUID], list[FeedEntry]] = ExpiringCache(
            clock, limits.large_entries_ttl, max_entries=10_000
        )

    async def execute(
        self, viewer: Viewer, page: PageRequest[Cursor]
    ) -> Page[FeedItemView, Cursor]:
        wanted = page.limit + 1
        shown: list[_Shown] = []
        overlays: list[Overlay] = []
        after, examined = page.after, page.after
        exhausted = False
        large = await self._large_followees(viewer.user_id)
        for round_ in range(_ROUNDS):
            # the first round reads a little more: a hidden item or two then costs no 2nd round
            want = wanted - len(shown) + (page.limit // 10 + 1 if round_ == 0 else 0)
            batch = await self._entries(viewer.user_id, after, want, large)
            overlay, kept = await self._visible(viewer, batch.entries)
            overlays.append(overlay)
            shown += kept
            if batch.entries:
                after = examined = batch.entries[-1].cursor
            exhausted = batch.exhausted
            if exhausted or len(shown) >= wanted:
                break
        on_page = shown[: page.limit]
        if len(shown) > page.limit:
            next_cursor: Cursor | None = on_page[-1].entry.cursor
        elif not exhausted and examined is not None:
            next_cursor = examined  # a page thinned out by hidden items; more may follow
        else:
            next_cursor = None
        return Page(items=await self._cards(viewer, overlays, on_page), next_cursor=next_cursor)

    async def pushed(self, viewer: Viewer, event: StreamEvent) -> FeedItemView | None:
        """A ``feed_item`` the stream pushed to the viewer (``feed_item_event``), as this feed
        shows it: by the same rules, so an item the feed would hide is ``None``."""
        entry = _announced(event)
        if entry is None:
            return None
        overlay, kept = await self._visible(viewer, [entry])
        shown = [s._replace(entry=replace(s.entry, post_author_id=s.post.author_id)) for s in kept]
        items = await self._cards(viewer, [overlay], shown)
        return items[0] if items else None

    async def _large_followees(self, user_id: UUID) -> list[UUID]:
        fresh, large = self._large.get(user_id)
        if fresh and large is not None:
            return large
        large = await self._source.large_followees(user_id, self._limits.fan_out_threshold)
        self._large.put(user_id, large)
        return large

    async def _entries(
        self, user_id: UUID, after: Cursor | None, want: int, large: list[UUID]
    ) -> _Batch:
        stored, reachable = await self._stored(user_id, after, want)
        if stored is None and reachable and after is None:  # cold: rebuild from one query
            newest = await self._source.timeline(user_id, None, self._limits.max_length + 1)
            await self._rebuild(user_id, newest)
            return _Batch(newest[:want], len(newest) < want)
        if stored is None:  # a later page of a cold feed, or the store is down
            entries = await self._source.timeline(user_id, after, want)
            return _Batch(entries, len(entries) < want)
        entries, exhausted = stored.entries, stored.exhausted
        if exhausted and stored.trimmed and len(entries) < want:
            resume = entries[-1].cursor if entries else after
            older = await self._source.timeline(user_id, resume, want - len(entries))
            exhausted = len(older) < want - len(entries)
            entries = entries + older
        if large:
            merged = await self._by_large(large, after, want)
            exhausted = exhausted and len(merged) < want
            unique = {e.id: e for e in [*entries, *merged]}
            combined = newest_first(list(unique.values()))
            exhausted = exhausted and len(combined) <= want
            entries = combined[:want]
        return _Batch(entries, exhausted)

    async def _by_large(
        self, large: list[UUID], after: Cursor | None, want: int
    ) -> list[FeedEntry]:
        """The newest entries of these large accounts after the cursor; first pages (nearly
        every read) share one answer per set of accounts for a moment."""
        if after is not None or want > self._limits.large_entries_kept:
            return await self._source.by_actors(large, after, want)
        key = frozenset(large)
        fresh, cached = self._large_entries.get(key)
        if not fresh or cached is None:
            cached = await self._source.by_actors(large, None, self._limits.large_entries_kept)
            self._large_entries.put(key, cached)
        return cached[:want]

    async def _stored(
        self, user_id: UUID, after: Cursor | None, want: int
    ) -> tuple[FeedSlice | None, bool]:
        """The stored slice (``None`` when the feed is cold) and whether the store answered."""
        try:
            return await self._store.read(user_id, after, want), True
        except Unavailable:
            log.warning("feed store unavailable: reading the feed from the database")
            return None, False

    async def _rebuild(self, user_id: UUID, newest: list[FeedEntry]) -> None:
        """Store the newest ``max_length`` entries; pushes that raced the query were kept aside
        by the store since the cold read and join them."""
        limit = self._limits.max_length
        try:
            await self._store.replace(user_id, newest[:limit], trimmed=len(newest) > limit)
        except Unavailable:
            log.warning("feed store unavailable: the feed is not rebuilt now")

    async def _visible(
        self, viewer: Viewer, entries: list[FeedEntry]
    ) -> tuple[Overlay, list[_Shown]]:
        """The entries that pass the rules, from one overlay of them all."""
        if not entries:
            return Overlay(), []
        me = viewer.user_id
        overlay = await self._reads.overlay.overlay(
            me,
            post_ids=list({e.post_id: None for e in entries}),
            account_ids=list({e.actor_id: None for e in entries}),
            share_ids=[e.id for e in entries if e.kind is FeedItemKind.SHARE],
        )
        ties, accounts, shares = overlay.ties, overlay.accounts, overlay.shares
        posts = {p.id: p for p in visible_posts(viewer, overlay, {e.post_id for e in entries})}
        kept = []
        for entry in entries:
            post = posts.get(entry.post_id)
            if post is None:
                continue  # deleted, or hidden from the viewer
            actor = ties.get(entry.actor_id, _NO_TIES)
            if entry.actor_id != me and not actor.following:
                continue
            if actor.muting or actor.blocked_either_way:
                continue
            if post.author_id in ties and ties[post.author_id].muting:
                continue
            if entry.kind is FeedItemKind.POST:
                kept.append(_Shown(entry, post, None))
                continue
            sharer = accounts.get(entry.actor_id)
            if entry.id in shares and sharer is not None and can_see_account(viewer, sharer, actor):
                kept.append(_Shown(entry, post, sharer))
        return overlay, kept

    async def _cards(
        self, viewer: Viewer, overlays: list[Overlay], shown: list[_Shown]
    ) -> list[FeedItemView]:
        """The page's cards: one call for every presentation on it."""
        if not shown:
            return []
        overlay = overlays[0] if len(overlays) == 1 else _merged(overlays)
        posts = list({item.post.id: item.post for item in shown}.values())
        sharers = [item.sharer for item in shown if item.sharer is not None]
        made = await cards(self._reads.views, viewer, overlay, posts, sharers)
        by_id = {card.state.id: card for card in made.posts}
        items = []
        for item in shown:
            post = by_id.get(item.post.id)
            if post is None:
                continue  # deleted since the overlay
            if item.sharer is None:
                items.append(FeedItemView(item.entry, post, None))
            elif (sharer := made.accounts.get(item.sharer.id)) is not None:
                items.append(FeedItemView(item.entry, post, sharer))
        return items


def _announced(event: StreamEvent) -> FeedEntry | None:
    """The entry a ``feed_item`` event names. The event does not carry the post's author; the
    rules read it from the post (``pushed`` writes it in before the entry leaves)."""
    data = event.data
    try:
        actor_id = UUID(data["actor_id"])
        return FeedEntry(
            id=UUID(data["id"]),
            kind=FeedItemKind(data["kind"]),
            post_id=UUID(data["post_id"]),
            actor_id=actor_id,
            post_author_id=actor_id,
            created_at=datetime.fromisoformat(data["created_at"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _merged(overlays: list[Overlay]) -> Overlay:
    return Overlay(
        posts={k: v for o in overlays for k, v in o.posts.items()},
        accounts={k: v for o in overlays for k, v in o.accounts.items()},
        ties={k: v for o in overlays for k, v in o.ties.items()},
        flags={k: v for o in overlays for k, v in o.flags.items()},
        shares=frozenset(s for o in overlays for s in o.shares),
    )
