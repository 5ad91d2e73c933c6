"""What the posts context needs from storage."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol
from uuid import UUID

from social.domain.accounts.ports import UserRepository
from social.domain.graph.ports import GraphRepository
from social.domain.media.ports import MediaRepository
from social.domain.posts.model import Post, PostCounters
from social.domain.shared.ports import IdempotencyKeys, UnitOfWork
from social.domain.shared.search_changes import SearchChanges

__all__ = ["PostRepository", "PostsUnitOfWork", "PostsUnitOfWorkFactory"]


class PostRepository(Protocol):
    async def add(self, post: Post) -> None:
        """Insert the post with its media in order, and count it in the author's posts."""
        ...

    async def get(self, post_id: UUID) -> Post | None: ...

    async def get_many(self, post_ids: Iterable[UUID]) -> dict[UUID, Post]: ...

    async def update(self, post: Post) -> None:
        """Write back caption, tags, mentions, place, comments flag and edit time."""
        ...

    async def delete(self, post_id: UUID) -> bool:
        """Remove the post (and its media links), uncounting it; ``False`` if it was gone."""
        ...

    async def attached_media(self, media_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these media items already belong to a post."""
        ...

    async def ids_by_author(self, author_id: UUID) -> list[UUID]: ...

    async def counters(self, post_id: UUID) -> PostCounters:
        """The post's counters as this transaction sees them (zeros for a missing post)."""
        ...


class PostsUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...

    @property
    def graph(self) -> GraphRepository: ...

    @property
    def media(self) -> MediaRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def idempotency(self) -> IdempotencyKeys: ...

    @property
    def search_changes(self) -> SearchChanges: ...


PostsUnitOfWorkFactory = Callable[[], PostsUnitOfWork]
