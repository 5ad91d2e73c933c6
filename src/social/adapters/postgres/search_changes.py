"""The search outbox in PostgreSQL, and the lock a rebuild uses to pause syncing.

Syncs take a *shared* transaction-level advisory lock before claiming rows; a rebuild holds the
*exclusive* one on a connection of its own for as long as it reads the database, so no sync
writes to an index that is about to be replaced (the changes wait for the new one).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from social.adapters.postgres.search_queue_tables import SearchChangeRow
from social.domain.shared.clock import Clock
from social.domain.shared.ids import new_id
from social.domain.shared.search_changes import ChangeKind, SearchChange

__all__ = ["PostgresSearchSyncPause", "SqlaSearchChanges"]

_SYNC_LOCK = 0x5EA2C4  # advisory lock key shared by syncs (shared) and rebuilds (exclusive)


class SqlaSearchChanges:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._db = session
        self._clock = clock

    async def record(self, kind: ChangeKind, target_id: UUID) -> None:
        self._db.add(
            SearchChangeRow(
                id=new_id(), kind=kind.value, target_id=target_id, created_at=self._clock.now()
            )
        )

    async def claim(self, limit: int) -> list[SearchChange] | None:
        allowed = await self._db.scalar(
            text("SELECT pg_try_advisory_xact_lock_shared(:key)"), {"key": _SYNC_LOCK}
        )
        if not allowed:
            return None
        rows = await self._db.execute(
            select(SearchChangeRow.id, SearchChangeRow.kind, SearchChangeRow.target_id)
            .order_by(SearchChangeRow.created_at, SearchChangeRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [SearchChange(row[0], ChangeKind(row[1]), row[2]) for row in rows]

    async def done(self, changes: Sequence[SearchChange]) -> None:
        if changes:
            await self._db.execute(
                delete(SearchChangeRow).where(SearchChangeRow.id.in_([c.id for c in changes]))
            )

    async def backlog(self) -> int:
        return int(await self._db.scalar(select(func.count()).select_from(SearchChangeRow)) or 0)


class PostgresSearchSyncPause:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SYNC_LOCK})
            try:
                yield
            finally:
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _SYNC_LOCK}
                )
