"""Notifications in PostgreSQL; a unique constraint makes the same action one notification."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.keyset import keyset_rows
from social.adapters.postgres.notification_tables import NotificationRow
from social.domain.notifications.model import Notification
from social.domain.shared.clock import Clock
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["SqlaNotificationRepository"]


class SqlaNotificationRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._db = session
        self._clock = clock

    async def add(self, notification: Notification) -> Notification | None:
        n = notification
        inserted = await self._db.execute(
            pg_insert(NotificationRow)
            .values(
                id=n.id,
                recipient_id=n.recipient_id,
                kind=n.kind.value,
                actor_id=n.actor_id,
                post_id=n.post_id,
                comment_id=n.comment_id,
                created_at=n.created_at,
            )
            .on_conflict_do_nothing(constraint="uq_notifications_once")
            .returning(NotificationRow.id)
        )
        return notification if inserted.first() is not None else None

    async def withdraw(
        self,
        kind: NotificationKind,
        actor_id: UUID,
        *,
        recipient_id: UUID | None = None,
        post_id: UUID | None = None,
        comment_id: UUID | None = None,
    ) -> int:
        r = NotificationRow
        conditions: list[Any] = [r.kind == kind.value, r.actor_id == actor_id]
        for column, value in ((r.recipient_id, recipient_id), (r.post_id, post_id)):
            if value is not None:
                conditions.append(column == value)
        if comment_id is not None:
            conditions.append(r.comment_id == comment_id)
        removed = await self._db.execute(delete(r).where(and_(*conditions)).returning(r.id))
        return len(removed.all())

    async def page(
        self, recipient_id: UUID, page: PageRequest[Cursor]
    ) -> Page[Notification, Cursor]:
        r = NotificationRow
        return await keyset_rows(self._db, r, r.recipient_id == recipient_id, page, map=_entity)

    async def unread_count(self, recipient_id: UUID) -> int:
        r = NotificationRow
        count = await self._db.scalar(
            select(func.count())
            .select_from(r)
            .where(r.recipient_id == recipient_id, r.read_at.is_(None))
        )
        return int(count or 0)

    async def mark_read(self, recipient_id: UUID, up_to: UUID | None) -> int:
        r = NotificationRow
        conditions: list[Any] = [r.recipient_id == recipient_id, r.read_at.is_(None)]
        if up_to is not None:
            mark = (
                await self._db.execute(
                    select(r.created_at, r.id).where(r.id == up_to, r.recipient_id == recipient_id)
                )
            ).first()
            if mark is None:
                return 0
            conditions.append(
                or_(r.created_at < mark[0], and_(r.created_at == mark[0], r.id <= mark[1]))
            )
        changed = await self._db.execute(
            update(r)
            .where(and_(*conditions))
            .values(read_at=self._clock.now())
            .returning(r.id)
            .execution_options(synchronize_session=False)
        )
        return len(changed.all())


def _entity(row: NotificationRow) -> Notification:
    return Notification(
        id=row.id,
        recipient_id=row.recipient_id,
        kind=NotificationKind(row.kind),
        actor_id=row.actor_id,
        created_at=row.created_at,
        post_id=row.post_id,
        comment_id=row.comment_id,
        read=row.read_at is not None,
    )
