"""The in-memory post repository (``domain/posts``), working on a unit of work's copy of the
store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.posts.model import Post, PostCounters
from social.domain.shared.errors import Conflict

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryPostRepository"]


class InMemoryPostRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add(self, post: Post) -> None:
        repeated = len(set(post.media_ids)) != len(post.media_ids)
        if repeated or await self.attached_media(post.media_ids):
            raise Conflict("A media item is already in another post.", field="media_ids")
        self._w.posts[post.id] = replace(post, likes_count=0, comments_count=0, shares_count=0)
        self._count(post.author_id, +1)

    async def get(self, post_id: UUID) -> Post | None:
        return self._w.posts.get(post_id)

    async def get_many(self, post_ids: Iterable[UUID]) -> dict[UUID, Post]:
        return {i: self._w.posts[i] for i in post_ids if i in self._w.posts}

    async def update(self, post: Post) -> None:
        current = self._w.posts[post.id]
        self._w.posts[post.id] = replace(
            current,
            caption=post.caption,
            tags=post.tags,
            extra_tags=post.extra_tags,
            mentions=post.mentions,
            place=post.place,
            comments_enabled=post.comments_enabled,
            edited_at=post.edited_at,
        )

    async def delete(self, post_id: UUID) -> bool:
        post = self._w.posts.pop(post_id, None)
        if post is None:
            return False
        self._count(post.author_id, -1)
        for edges in (self._w.likes, self._w.shares, self._w.bookmarks):  # ON DELETE CASCADE
            for key in [k for k, edge in edges.items() if edge.post_id == post_id]:
                del edges[key]
        for comment_id in [c.id for c in self._w.comments.values() if c.post_id == post_id]:
            del self._w.comments[comment_id]
        return True

    async def attached_media(self, media_ids: Iterable[UUID]) -> set[UUID]:
        wanted = set(media_ids)
        return {m for post in self._w.posts.values() for m in post.media_ids if m in wanted}

    async def ids_by_author(self, author_id: UUID) -> list[UUID]:
        return [p.id for p in self._w.posts.values() if p.author_id == author_id]

    async def counters(self, post_id: UUID) -> PostCounters:
        post = self._w.posts.get(post_id)
        if post is None:
            return PostCounters()
        return PostCounters(post.likes_count, post.comments_count, post.shares_count)

    def _count(self, author_id: UUID, step: int) -> None:
        if author := self._w.users.get(author_id):
            self._w.users[author_id] = replace(author, posts_count=author.posts_count + step)
