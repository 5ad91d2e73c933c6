"""In-memory likes, shares, bookmarks and comments (``domain/interactions``), on a unit of
work's copy of the store, with the same observable rules as PostgreSQL; and ``keyset``, the
paging their lists and the read model's share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.interactions.model import Share
from social.domain.reads.model import Comment
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor, Page, PageRequest

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["Edge", "InMemoryCommentRepository", "InMemoryInteractionRepository", "keyset"]


@dataclass(frozen=True, slots=True)
class Edge:
    """A like, share or bookmark: one user, one post, a time and the row's id."""

    id: UUID
    post_id: UUID
    user_id: UUID
    created_at: datetime


def keyset(
    rows: Iterable[tuple[datetime, UUID, UUID]],
    page: PageRequest[Cursor],
    *,
    newest_first: bool = True,
) -> Page[UUID, Cursor]:
    """Rows ``(time, row id, item)`` paged by (time, row id) like ``adapters/postgres/keyset``."""
    ordered = sorted(rows, key=lambda r: (r[0], r[1]), reverse=newest_first)
    if page.after is not None:
        key = (page.after.at, page.after.id)
        ordered = [
            r for r in ordered if ((r[0], r[1]) < key) == newest_first and (r[0], r[1]) != key
        ]
    items = ordered[: page.limit]
    last = items[-1] if len(ordered) > page.limit else None
    return Page([r[2] for r in items], Cursor(last[0], last[1]) if last else None)


class InMemoryInteractionRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add_like(self, post_id: UUID, user_id: UUID, at: datetime) -> bool:
        return self._add(self._w.likes, "likes_count", Edge(new_id(), post_id, user_id, at))

    async def remove_like(self, post_id: UUID, user_id: UUID) -> bool:
        return self._remove(self._w.likes, "likes_count", post_id, user_id) is not None

    async def add_share(self, share: Share) -> bool:
        edge = Edge(share.id, share.post_id, share.user_id, share.created_at)
        return self._add(self._w.shares, "shares_count", edge)

    async def remove_share(self, post_id: UUID, user_id: UUID) -> Share | None:
        edge = self._remove(self._w.shares, "shares_count", post_id, user_id)
        return Share(edge.id, edge.post_id, edge.user_id, edge.created_at) if edge else None

    async def get_share(self, share_id: UUID) -> Share | None:
        edge = next((e for e in self._w.shares.values() if e.id == share_id), None)
        return Share(edge.id, edge.post_id, edge.user_id, edge.created_at) if edge else None

    async def share_of(self, post_id: UUID, user_id: UUID) -> Share | None:
        edge = self._w.shares.get((user_id, post_id))
        return Share(edge.id, edge.post_id, edge.user_id, edge.created_at) if edge else None

    async def add_bookmark(self, post_id: UUID, user_id: UUID, at: datetime) -> bool:
        return self._add(self._w.bookmarks, None, Edge(new_id(), post_id, user_id, at))

    async def remove_bookmark(self, post_id: UUID, user_id: UUID) -> bool:
        return self._remove(self._w.bookmarks, None, post_id, user_id) is not None

    async def remove_all_by(self, user_id: UUID) -> None:
        for edges, counter in ((self._w.likes, "likes_count"), (self._w.shares, "shares_count")):
            for user, post_id in [k for k in edges if k[0] == user_id]:
                self._remove(edges, counter, post_id, user)
        for key in [k for k in self._w.bookmarks if k[0] == user_id]:
            del self._w.bookmarks[key]

    def _add(self, edges: dict[tuple[UUID, UUID], Edge], counter: str | None, edge: Edge) -> bool:
        key = (edge.user_id, edge.post_id)
        if key in edges or edge.post_id not in self._w.posts:
            return False
        edges[key] = edge
        self._step(counter, edge.post_id, +1)
        return True

    def _remove(
        self,
        edges: dict[tuple[UUID, UUID], Edge],
        counter: str | None,
        post_id: UUID,
        user_id: UUID,
    ) -> Edge | None:
        edge = edges.pop((user_id, post_id), None)
        if edge is not None:
            self._step(counter, post_id, -1)
        return edge

    def _step(self, counter: str | None, post_id: UUID, step: int) -> None:
        post = self._w.posts.get(post_id)
        if counter is not None and post is not None:
            value = max(getattr(post, counter) + step, 0)
            self._w.posts[post_id] = replace(post, **{counter: value})


class InMemoryCommentRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add(self, comment: Comment) -> None:
        self._w.comments[comment.id] = replace(comment, replies_count=0)
        self._comments_count(comment.post_id, +1)
        if comment.parent_id is not None and (parent := self._w.comments.get(comment.parent_id)):
            self._w.comments[parent.id] = replace(parent, replies_count=parent.replies_count + 1)

    async def get(self, comment_id: UUID) -> Comment | None:
        return self._w.comments.get(comment_id)

    async def delete(self, comment_id: UUID) -> int:
        comment = self._w.comments.get(comment_id)
        if comment is None:
            return 0
        gone = [
            c for c in self._w.comments.values() if c.id == comment_id or c.parent_id == comment_id
        ]
        for c in gone:
            del self._w.comments[c.id]
        self._comments_count(comment.post_id, -len(gone))
        if comment.parent_id and (parent := self._w.comments.get(comment.parent_id)):
            self._w.comments[parent.id] = replace(
                parent, replies_count=max(parent.replies_count - 1, 0)
            )
        return len(gone)

    async def remove_all_by(self, user_id: UUID) -> None:
        for comment in [c for c in self._w.comments.values() if c.author_id == user_id]:
            if comment.id in self._w.comments:
                await self.delete(comment.id)

    def _comments_count(self, post_id: UUID, step: int) -> None:
        if post := self._w.posts.get(post_id):
            self._w.posts[post_id] = replace(
                post, comments_count=max(post.comments_count + step, 0)
            )
