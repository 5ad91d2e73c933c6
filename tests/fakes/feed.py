"""The fake of the feed's database view (``domain/feed``'s ``FeedSource``), on a unit of work's
copy of the store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.feed.model import FeedEntry, FeedItemKind, newest_first
from social.domain.shared.pagination import Cursor
from tests.fakes.interactions import Edge

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryFeedSource"]


class InMemoryFeedSource:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def timeline(self, user_id: UUID, after: Cursor | None, limit: int) -> list[FeedEntry]:
        actors = [followee for follower, followee in self._w.follows if follower == user_id]
        return await self.by_actors([*actors, user_id], after, limit)

    async def by_actors(
        self, actor_ids: Sequence[UUID], after: Cursor | None, limit: int
    ) -> list[FeedEntry]:
        wanted = set(actor_ids)
        entries = [self._post(p.id) for p in self._w.posts.values() if p.author_id in wanted]
        entries += [self._share(e) for e in self._w.shares.values() if e.user_id in wanted]
        found = [e for e in entries if e is not None and e.is_after(after)]
        return newest_first(found)[:limit]

    async def large_followees(self, user_id: UUID, threshold: int) -> list[UUID]:
        users = self._w.users
        return [
            followee
            for follower, followee in self._w.follows
            if follower == user_id
            and followee in users
            and users[followee].followers_count > threshold
        ]

    async def followers_after(self, user_id: UUID, after: UUID | None, limit: int) -> list[UUID]:
        ids = sorted(f for f, followee in self._w.follows if followee == user_id)
        return [i for i in ids if after is None or i > after][:limit]

    async def post_entry(self, post_id: UUID) -> FeedEntry | None:
        return self._post(post_id)

    async def share_entry(self, share_id: UUID) -> FeedEntry | None:
        edge = next((e for e in self._w.shares.values() if e.id == share_id), None)
        return self._share(edge) if edge else None

    def _post(self, post_id: UUID) -> FeedEntry | None:
        post = self._w.posts.get(post_id)
        if post is None:
            return None
        return FeedEntry(
            post.id, FeedItemKind.POST, post.id, post.author_id, post.author_id, post.created_at
        )

    def _share(self, edge: Edge) -> FeedEntry | None:
        post = self._w.posts.get(edge.post_id)
        if post is None:
            return None
        return FeedEntry(
            edge.id, FeedItemKind.SHARE, post.id, edge.user_id, post.author_id, edge.created_at
        )
