"""Rebuilding the PostgreSQL search index: one transaction replaces every document.

Readers keep seeing the old rows until the commit (MVCC: ``DELETE`` takes no lock a reader
waits for, unlike ``TRUNCATE``), then see the new ones all at once. A write of a document the
rebuild deleted waits for the commit; the sync is paused during rebuilds anyway.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import TypeVar

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.search_tables import SearchUserDocumentRow
from social.adapters.postgres.tables import SearchPostDocumentRow
from social.adapters.search.postgres_posts import insert_posts
from social.adapters.search.postgres_tags import recount_tags
from social.adapters.search.postgres_users import write_users
from social.domain.search.model import PostDocument, UserDocument

__all__ = ["REBUILD_BATCH", "rebuild"]

REBUILD_BATCH = 500
"""Documents per ``INSERT`` (and per progress report)."""

T = TypeVar("T")


async def rebuild(
    sessions: async_sessionmaker[AsyncSession],
    posts: AsyncIterable[PostDocument],
    users: AsyncIterable[UserDocument],
    progress: Callable[[int], None],
) -> int:
    written = 0
    async with sessions.begin() as session:
        await session.execute(delete(SearchPostDocumentRow))
        await session.execute(delete(SearchUserDocumentRow))
        async for batch in _batches(posts):
            await insert_posts(session, batch)
            written += len(batch)
            progress(written)
        async for users_batch in _batches(users):
            await write_users(session, users_batch)
            written += len(users_batch)
            progress(written)
        await recount_tags(session)
    return written


async def _batches(items: AsyncIterable[T]) -> AsyncIterator[list[T]]:
    batch: list[T] = []
    async for item in items:
        batch.append(item)
        if len(batch) == REBUILD_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
