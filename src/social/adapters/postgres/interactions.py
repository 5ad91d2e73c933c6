"""Likes, shares and bookmarks in PostgreSQL; each edge moves its post's counter with it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.interaction_tables import BookmarkRow, LikeRow, ShareRow
from social.adapters.postgres.post_tables import PostRow
from social.domain.interactions.model import Share
from social.domain.shared.ids import new_id

__all__ = ["SqlaInteractionRepository", "lower_counters"]


class SqlaInteractionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add_like(self, post_id: UUID, user_id: UUID, at: datetime) -> bool:
        return await self._add(
            LikeRow, "uq_likes_user_post", PostRow.likes_count, post_id, user_id, at
        )

    async def remove_like(self, post_id: UUID, user_id: UUID) -> bool:
        return await self._remove(LikeRow, PostRow.likes_count, post_id, user_id) is not None

    async def add_share(self, share: Share) -> bool:
        return await self._add(
            ShareRow,
            "uq_shares_user_post",
            PostRow.shares_count,
            share.post_id,
            share.user_id,
            share.created_at,
            row_id=share.id,
        )

    async def remove_share(self, post_id: UUID, user_id: UUID) -> Share | None:
        removed = await self._remove(ShareRow, PostRow.shares_count, post_id, user_id)
        return Share(removed[0], post_id, user_id, removed[1]) if removed else None

    async def get_share(self, share_id: UUID) -> Share | None:
        row = await self._db.get(ShareRow, share_id)
        return Share(row.id, row.post_id, row.user_id, row.created_at) if row else None

    async def share_of(self, post_id: UUID, user_id: UUID) -> Share | None:
        row = await self._db.scalar(
            select(ShareRow).where(ShareRow.post_id == post_id, ShareRow.user_id == user_id)
        )
        return Share(row.id, row.post_id, row.user_id, row.created_at) if row else None

    async def add_bookmark(self, post_id: UUID, user_id: UUID, at: datetime) -> bool:
        return await self._add(BookmarkRow, "uq_bookmarks_user_post", None, post_id, user_id, at)

    async def remove_bookmark(self, post_id: UUID, user_id: UUID) -> bool:
        return await self._remove(BookmarkRow, None, post_id, user_id) is not None

    async def remove_all_by(self, user_id: UUID) -> None:
        for table, counter in (
            (LikeRow, PostRow.likes_count),
            (ShareRow, PostRow.shares_count),
        ):
            gone = await self._db.scalars(
                delete(table).where(table.user_id == user_id).returning(table.post_id)
            )
            await lower_counters(self._db, PostRow, counter, list(gone))
        await self._db.execute(delete(BookmarkRow).where(BookmarkRow.user_id == user_id))

    async def _add(
        self,
        table: Any,
        constraint: str,
        counter: Any,
        post_id: UUID,
        user_id: UUID,
        at: datetime,
        *,
        row_id: UUID | None = None,
    ) -> bool:
        inserted = await self._db.execute(
            pg_insert(table)
            .values(id=row_id or new_id(), post_id=post_id, user_id=user_id, created_at=at)
            .on_conflict_do_nothing(constraint=constraint)
            .returning(table.id)
        )
        if inserted.first() is None:
            return False
        if counter is not None:
            await _step(self._db, counter, post_id, +1)
        return True

    async def _remove(
        self, table: Any, counter: Any, post_id: UUID, user_id: UUID
    ) -> tuple[UUID, datetime] | None:
        removed = (
            await self._db.execute(
                delete(table)
                .where(table.post_id == post_id, table.user_id == user_id)
                .returning(table.id, table.created_at)
            )
        ).first()
        if removed is None:
            return None
        if counter is not None:
            await _step(self._db, counter, post_id, -1)
        return removed[0], removed[1]


async def _step(db: AsyncSession, counter: Any, post_id: UUID, step: int) -> None:
    await db.execute(
        update(PostRow)
        .where(PostRow.id == post_id)
        .values({counter: counter + step})
        .execution_options(synchronize_session=False)
    )


async def lower_counters(db: AsyncSession, table: Any, counter: Any, ids: list[UUID]) -> None:
    """One decrement of ``counter`` on ``table`` per id given (an id may repeat: several of a
    user's comments on one post), in one UPDATE per distinct amount."""
    counts = Counter(ids)
    for amount in set(counts.values()):
        chosen = [row_id for row_id, n in counts.items() if n == amount]
        await db.execute(
            update(table)
            .where(table.id.in_(chosen))
            .values({counter: func.greatest(counter - amount, 0)})
            .execution_options(synchronize_session=False)
        )
