"""Idempotency keys in PostgreSQL: the unique constraint settles two requests racing."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.post_tables import IdempotencyKeyRow
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Conflict
from social.domain.shared.ids import new_id

__all__ = ["SqlaIdempotencyKeys"]


class SqlaIdempotencyKeys:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._db = session
        self._clock = clock

    async def recall(self, owner_id: UUID, scope: str, key: str) -> UUID | None:
        return await self._db.scalar(
            select(IdempotencyKeyRow.resource_id).where(
                IdempotencyKeyRow.owner_id == owner_id,
                IdempotencyKeyRow.scope == scope,
                IdempotencyKeyRow.key == key,
            )
        )

    async def remember(self, owner_id: UUID, scope: str, key: str, resource_id: UUID) -> None:
        inserted = await self._db.execute(
            insert(IdempotencyKeyRow)
            .values(
                id=new_id(),
                owner_id=owner_id,
                scope=scope,
                key=key,
                resource_id=resource_id,
                created_at=self._clock.now(),
            )
            .on_conflict_do_nothing(constraint="uq_idempotency_keys_owner_scope_key")
            .returning(IdempotencyKeyRow.id)
        )
        if inserted.first() is None:
            raise Conflict("A request with this Idempotency-Key is already being handled.")

    async def forget_before(self, cutoff: datetime, limit: int) -> int:
        k = IdempotencyKeyRow
        old = select(k.id).where(k.created_at < cutoff).limit(limit).scalar_subquery()
        gone = await self._db.execute(
            delete(k).where(k.id.in_(old)).execution_options(synchronize_session=False)
        )
        return int(getattr(gone, "rowcount", 0) or 0)
