"""Hybrid fan-out (FEED-3): new posts and shares pushed into followers' stored feeds by jobs.

Authors with more than ``fan_out_threshold`` followers are not fanned out (a million writes per
post); their posts are merged into their followers' feeds when those are read.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from uuid import UUID

from social.domain.feed.model import FeedEntry, FeedLimits
from social.domain.feed.ports import FeedSource, FeedStore
from social.domain.notifications.model import StreamEvent
from social.domain.notifications.ports import EventStream
from social.domain.posts.ports import PostsUnitOfWorkFactory
from social.domain.shared.errors import Unavailable

__all__ = [
    "DropFromFeed",
    "FanOut",
    "RefreshFeed",
    "RetractFromFeeds",
    "feed_item_event",
    "feed_item_removed_event",
]

log = logging.getLogger(__name__)


def feed_item_event(entry: FeedEntry) -> StreamEvent:
    """What followers' open sockets hear of a new post or share (they fetch the post)."""
    return StreamEvent(
        "feed_item",
        {
            "id": str(entry.id),
            "kind": entry.kind.value,
            "post_id": str(entry.post_id),
            "actor_id": str(entry.actor_id),
            "created_at": entry.created_at.isoformat(),
        },
    )


def feed_item_removed_event(entry_id: UUID) -> StreamEvent:
    """What the actor's and followers' open sockets hear when a post or a share leaves the
    feeds (deleted, unshared, removed by a moderator): stop showing it."""
    return StreamEvent("feed_item_removed", {"id": str(entry_id)})


async def _followers_in_batches(
    source: FeedSource, actor_id: UUID, batch: int
) -> AsyncIterator[list[UUID]]:
    """Every follower of ``actor_id``, in id order, a batch a query."""
    after: UUID | None = None
    while True:
        ids = await source.followers_after(actor_id, after, batch)
        if not ids:
            return
        yield ids
        after = ids[-1]


class FanOut:
    """Rules: the entry goes into the actor's own feed and, unless the actor is large, into
    every follower's stored feed (only feeds that exist; cold ones are rebuilt from the database
    when read); a post or share gone meanwhile is not spread. Idempotent (pushes are)."""

    def __init__(
        self,
        *,
        uow: PostsUnitOfWorkFactory,
        source: FeedSource,
        store: FeedStore,
        limits: FeedLimits,
        stream: EventStream,
    ) -> None:
        self._uow = uow
        self._source = source
        self._store = store
        self._limits = limits
        self._stream = stream

    async def post(self, post_id: UUID) -> int:
        return await self._spread(await self._source.post_entry(post_id))

    async def share(self, share_id: UUID) -> int:
        return await self._spread(await self._source.share_entry(share_id))

    async def _spread(self, entry: FeedEntry | None) -> int:
        if entry is None:
            return 0
        async with self._uow() as uow:
            actor = await uow.users.get(entry.actor_id)
        if actor is None or not actor.is_active:
            return 0
        reached = await self._store.push([actor.id], entry)
        if actor.followers_count > self._limits.fan_out_threshold:
            return reached  # merged at read time (and not announced to a million sockets)
        event = feed_item_event(entry)
        batches = _followers_in_batches(self._source, actor.id, self._limits.fan_out_batch)
        async for batch in batches:
            reached += await self._store.push(batch, entry)
            try:
                await self._stream.publish(batch, event)
            except Unavailable:  # the feeds have it; open sockets just hear of it later
                log.warning("stream unavailable: feed items not announced")
        log.info("fanned out", extra={"entry": str(entry.id), "feeds": reached})
        return reached


class RetractFromFeeds:
    """Rules: a deleted post or an undone share leaves the actor's and the followers' stored
    feeds (reads already skip it; this keeps the stored feeds clean), and their open sockets
    hear of it. Idempotent."""

    def __init__(
        self,
        *,
        source: FeedSource,
        store: FeedStore,
        limits: FeedLimits,
        stream: EventStream | None = None,
    ) -> None:
        self._source = source
        self._store = store
        self._limits = limits
        self._stream = stream

    async def execute(self, entry_id: UUID, actor_id: UUID) -> None:
        event = feed_item_removed_event(entry_id)
        await self._store.retract([actor_id], entry_id)
        await self._announce([actor_id], event)
        batches = _followers_in_batches(self._source, actor_id, self._limits.fan_out_batch)
        async for batch in batches:
            await self._store.retract(batch, entry_id)
            await self._announce(batch, event)

    async def _announce(self, user_ids: list[UUID], event: StreamEvent) -> None:
        if self._stream is None:
            return
        try:
            await self._stream.publish(user_ids, event)
        except Unavailable:  # the feeds are clean; open sockets just keep showing it a while
            log.warning("stream unavailable: a removal not announced")


class RefreshFeed:
    """Rules: after a follow (or an approved request) the follower's feed is rebuilt from the
    database at its next read, so it holds the new followee's recent posts."""

    def __init__(self, *, store: FeedStore) -> None:
        self._store = store

    async def execute(self, owner_id: UUID) -> None:
        await self._store.forget(owner_id)


class DropFromFeed:
    """Rules: after an unfollow or a block, what ``actor_id`` put into the owner's feed goes."""

    def __init__(self, *, store: FeedStore) -> None:
        self._store = store

    async def execute(self, owner_id: UUID, actor_id: UUID) -> None:
        await self._store.drop_actor(owner_id, actor_id)
