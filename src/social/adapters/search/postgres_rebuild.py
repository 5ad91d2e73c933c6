"""Rebuilding the PostgreSQL search index: one transaction replaces every document.

Readers keep seeing the old rows until the commit (MVCC: ``DELETE`` takes no lock a reader
waits for, unlike ``TRUNCATE``), then see the new ones all at once. A write of a document the
rebuild deleted waits for the commit; the sync is paused during rebuilds anyway.

Bulk inserts leave their GIN entries in each index's pending list, which every query scans
linearly until a vacuum merges it (about 490 buffers for 100k users, ~12 ms a query instead of
0.1 ms): the rebuild merges them itself before it commits.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import TypeVar

from sqlalchemy import delete, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.search_tables import SearchPostDocumentRow, SearchUserDocumentRow
from social.adapters.search.postgres_posts import insert_posts
from social.adapters.search.postgres_tags import recount_tags
from social.adapters.search.postgres_users import write_users
from social.domain.search.model import PostDocument, UserDocument

__all__ = ["REBUILD_BATCH", "rebuild"]

REBUILD_BATCH = 500
"""Documents per ``INSERT`` (and per progress report)."""
_GIN_INDEXES = (
    "ix_search_post_documents_search_vector",
    "ix_search_post_documents_place_vector",
    "ix_search_post_documents_tags",
    "ix_search_user_documents_name_vector",
)
_CLEAN_PENDING_LIST = text("SELECT gin_clean_pending_list(CAST(:name AS regclass))")

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
        await _merge_pending_lists(session)
    return written


async def _merge_pending_lists(session: AsyncSession) -> None:
    """Best effort, each in a savepoint: it needs the index's owner, and autovacuum does the
    same later anyway."""
    for name in _GIN_INDEXES:
        try:
            async with session.begin_nested():
                await session.execute(_CLEAN_PENDING_LIST, {"name": name})
        except DBAPIError:
            continue


async def _batches(items: AsyncIterable[T]) -> AsyncIterator[list[T]]:
    batch: list[T] = []
    async for item in items:
        batch.append(item)
        if len(batch) == REBUILD_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
