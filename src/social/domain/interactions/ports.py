"""What interactions need from storage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.interactions.model import Share
from social.domain.posts.ports import PostsUnitOfWork
from social.domain.reads.model import Comment

__all__ = [
    "CommentRepository",
    "InteractionRepository",
    "InteractionsUnitOfWork",
    "InteractionsUnitOfWorkFactory",
]


class InteractionRepository(Protocol):
    """Likes, shares and bookmarks. Each edge and the post's counter change together in one
    transaction, and only when the edge really changed, so counters equal the rows."""

    async def add_like(self, post_id: UUID, user_id: UUID, at: datetime) -> bool:
        """``False`` (and no change) when the like exists."""
        ...

    async def remove_like(self, post_id: UUID, user_id: UUID) -> bool: ...

    async def add_share(self, share: Share) -> bool: ...

    async def remove_share(self, post_id: UUID, user_id: UUID) -> Share | None:
        """The share removed, or ``None`` if there was none."""
        ...

    async def get_share(self, share_id: UUID) -> Share | None: ...

    async def share_of(self, post_id: UUID, user_id: UUID) -> Share | None:
        """The user's share of the post, if they share it."""
        ...

    async def add_bookmark(self, post_id: UUID, user_id: UUID, at: datetime) -> bool: ...

    async def remove_bookmark(self, post_id: UUID, user_id: UUID) -> bool: ...

    async def remove_all_by(self, user_id: UUID) -> None:
        """Drop every like, share and bookmark of the account, fixing the posts' counters
        (account deletion). Idempotent."""
        ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> None:
        """Insert; the post's ``comments_count`` and the parent's ``replies_count`` follow."""
        ...

    async def get(self, comment_id: UUID) -> Comment | None: ...

    async def delete(self, comment_id: UUID) -> int:
        """Remove the comment and its replies, fixing the counters; how many went (0 if none)."""
        ...

    async def remove_all_by(self, user_id: UUID) -> None:
        """Drop every comment of the account (and replies to them), fixing the counters."""
        ...


class InteractionsUnitOfWork(PostsUnitOfWork, Protocol):
    """A post's unit of work plus what people did with posts: interactions sit above posts."""

    @property
    def interactions(self) -> InteractionRepository: ...

    @property
    def comments(self) -> CommentRepository: ...


InteractionsUnitOfWorkFactory = Callable[[], InteractionsUnitOfWork]
