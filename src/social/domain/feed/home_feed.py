"""The home feed (FEED-1, FEED-3): stored feeds, large accounts merged in, the database as the
fallback, and the visibility policy on every item."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

from social.domain.accounts.model import Viewer
from social.domain.feed.model import FeedEntry, FeedItemKind, FeedLimits, FeedSlice, newest_first
from social.domain.feed.ports import FeedStore, FeedUnitOfWork, FeedUnitOfWorkFactory
from social.domain.graph.model import Ties
from social.domain.posts.views import PostView, hydration, post_views
from social.domain.profiles.model import ProfileView
from social.domain.profiles.presenting import build_profile_views
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["FeedItemView", "HomeFeed"]

log = logging.getLogger(__name__)

_ROUNDS = 4
"""Reads of the sources per page at most, when hidden items thin a page out."""
_REFILL = 20
"""Newest entries checked again right after a rebuild (a push racing the rebuild)."""


@dataclass(frozen=True, slots=True)
class FeedItemView:
    entry: FeedEntry
    post: PostView
    shared_by: ProfileView | None


@dataclass(frozen=True, slots=True)
class _Batch:
    entries: list[FeedEntry]
    exhausted: bool


class HomeFeed:
    """Rules: posts and shares by the accounts the viewer follows, and the viewer's own, newest
    first by (time, id), paged by cursor so new items never cause repeats or gaps; an item shows
    only while its actor is followed (or is the viewer), neither actor nor author is muted or
    blocked either way, and the post is visible to the viewer. Stored feeds serve most reads;
    large accounts are merged in; a cold, evicted or unreachable store falls back to the
    database (the store is rebuilt on the first page)."""

    def __init__(self, *, uow: FeedUnitOfWorkFactory, store: FeedStore, limits: FeedLimits) -> None:
        self._uow = uow
        self._store = store
        self._limits = limits

    async def execute(self, viewer: Viewer, page: PageRequest) -> Page[FeedItemView]:
        wanted = page.limit + 1
        shown: list[FeedItemView] = []
        after, examined = page.after, page.after
        exhausted = False
        async with self._uow() as uow:
            large = await uow.feed_source.large_followees(
                viewer.user_id, self._limits.fan_out_threshold
            )
            for _ in range(_ROUNDS):
                batch = await self._entries(uow, viewer.user_id, after, wanted - len(shown), large)
                shown += await self._visible(uow, viewer, batch.entries)
                if batch.entries:
                    after = examined = batch.entries[-1].cursor
                exhausted = batch.exhausted
                if exhausted or len(shown) >= wanted:
                    break
        items = shown[: page.limit]
        if len(shown) > page.limit:
            next_cursor: Cursor | None = items[-1].entry.cursor
        elif not exhausted and examined is not None:
            next_cursor = examined  # a page thinned out by hidden items; more may follow
        else:
            next_cursor = None
        return Page(items=items, next_cursor=next_cursor)

    async def _entries(
        self,
        uow: FeedUnitOfWork,
        user_id: UUID,
        after: Cursor | None,
        want: int,
        large: list[UUID],
    ) -> _Batch:
        stored, reachable = await self._stored(user_id, after, want)
        if stored is None and reachable and after is None:  # cold: rebuild from one query
            newest = await uow.feed_source.timeline(user_id, None, self._limits.max_length + 1)
            await self._rebuild(uow, user_id, newest)
            return _Batch(newest[:want], len(newest) < want)
        if stored is None:  # a later page of a cold feed, or the store is down
            entries = await uow.feed_source.timeline(user_id, after, want)
            return _Batch(entries, len(entries) < want)
        entries, exhausted = stored.entries, stored.exhausted
        if exhausted and stored.trimmed and len(entries) < want:
            resume = entries[-1].cursor if entries else after
            older = await uow.feed_source.timeline(user_id, resume, want - len(entries))
            exhausted = len(older) < want - len(entries)
            entries = entries + older
        if large:
            merged = await uow.feed_source.by_actors(large, after, want)
            exhausted = exhausted and len(merged) < want
            unique = {e.id: e for e in [*entries, *merged]}
            combined = newest_first(list(unique.values()))
            exhausted = exhausted and len(combined) <= want
            entries = combined[:want]
        return _Batch(entries, exhausted)

    async def _stored(
        self, user_id: UUID, after: Cursor | None, want: int
    ) -> tuple[FeedSlice | None, bool]:
        """The stored slice (``None`` when the feed is cold) and whether the store answered."""
        try:
            return await self._store.read(user_id, after, want), True
        except Unavailable:
            log.warning("feed store unavailable: reading the feed from the database")
            return None, False

    async def _rebuild(self, uow: FeedUnitOfWork, user_id: UUID, newest: list[FeedEntry]) -> None:
        """Store the newest ``max_length`` entries; then look again at the very newest, in case
        a fan-out ran between the query and the write (it found no feed to push to)."""
        limit = self._limits.max_length
        try:
            await self._store.replace(user_id, newest[:limit], trimmed=len(newest) > limit)
            stored = {e.id for e in newest[:_REFILL]}
            for entry in await uow.feed_source.timeline(user_id, None, _REFILL):
                if entry.id not in stored:
                    await self._store.push([user_id], entry)
        except Unavailable:
            log.warning("feed store unavailable: the feed is not rebuilt now")

    async def _visible(
        self, uow: FeedUnitOfWork, viewer: Viewer, entries: list[FeedEntry]
    ) -> list[FeedItemView]:
        if not entries:
            return []
        me = viewer.user_id
        people = {e.actor_id for e in entries} | {e.post_author_id for e in entries}
        ties = await uow.graph.ties(me, people - {me}) if people - {me} else {}

        def followed_and_welcome(entry: FeedEntry) -> bool:
            actor, author = ties.get(entry.actor_id, Ties()), ties.get(entry.post_author_id, Ties())
            if entry.actor_id != me and not actor.following:
                return False
            return not (actor.muting or author.muting or actor.blocked_either_way)

        kept = [e for e in entries if followed_and_welcome(e)]
        shares = [e.id for e in kept if e.kind is FeedItemKind.SHARE]
        standing = await uow.interactions.existing_shares(shares) if shares else set()
        kept = [e for e in kept if e.kind is FeedItemKind.POST or e.id in standing]
        found = await uow.posts.get_many({e.post_id for e in kept})
        posts = list(found.values())
        sharer_ids = [e.actor_id for e in kept if e.kind is FeedItemKind.SHARE]
        facts = await hydration(uow, viewer, posts, more_users=sharer_ids, ties=ties)
        views = {v.post.id: v for v in await post_views(uow, viewer, posts, facts=facts)}
        sharer_users = [facts.users[i] for i in dict.fromkeys(sharer_ids) if i in facts.users]
        sharers = {
            view.user.id: view
            for view in build_profile_views(viewer, sharer_users, facts.ties, facts.media)
        }
        items = []
        for entry in kept:
            post = views.get(entry.post_id)
            if post is None:
                continue  # deleted, or hidden from the viewer
            if entry.kind is FeedItemKind.SHARE:
                sharer = sharers.get(entry.actor_id)
                if sharer is None:
                    continue
                items.append(FeedItemView(entry, post, sharer))
            else:
                items.append(FeedItemView(entry, post, None))
        return items
