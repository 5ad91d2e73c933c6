"""Notifications in PostgreSQL; a unique constraint makes the same action one notification."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import String, and_, any_, delete, func, literal, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.keyset import keyset_rows
from social.adapters.postgres.notification_groups import mark_group_read, notification_groups
from social.adapters.postgres.notification_tables import NotificationRow
from social.domain.notifications.model import Notification, NotificationGroup
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
                group_key=n.group_key,
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
        self,
        recipient_id: UUID,
        page: PageRequest[Cursor],
        kinds: Collection[NotificationKind] = (),
    ) -> Page[Notification, Cursor]:
        condition = _mine(recipient_id, kinds)
        return await keyset_rows(self._db, NotificationRow, condition, page, map=_entity)

    async def newer(
        self,
        recipient_id: UUID,
        than: Cursor,
        limit: int,
        kinds: Collection[NotificationKind] = (),
        *,
        closest: bool = False,
    ) -> list[Notification]:
        r = NotificationRow
        key = tuple_(r.created_at, r.id)
        order = (r.created_at.asc(), r.id.asc()) if closest else (r.created_at.desc(), r.id.desc())
        rows = await self._db.scalars(
            select(r)
            .where(_mine(recipient_id, kinds), key > (than.at, than.id))
            .order_by(*order)
            .limit(limit)
        )
        found = [_entity(row) for row in rows]
        return found[::-1] if closest else found

    async def get(self, recipient_id: UUID, notification_id: UUID) -> Notification | None:
        r = NotificationRow
        row = await self._db.scalar(
            select(r).where(r.id == notification_id, r.recipient_id == recipient_id)
        )
        return None if row is None else _entity(row)

    async def dismiss(self, recipient_id: UUID, notification_id: UUID) -> bool:
        r = NotificationRow
        removed = await self._db.execute(
            delete(r).where(r.id == notification_id, r.recipient_id == recipient_id).returning(r.id)
        )
        return removed.first() is not None

    async def clear(self, recipient_id: UUID) -> int:
        r = NotificationRow
        removed = await self._db.execute(
            delete(r).where(r.recipient_id == recipient_id).returning(r.id)
        )
        return len(removed.all())

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

    async def groups(
        self, recipient_id: UUID, page: PageRequest[Cursor], *, actors: int = 3
    ) -> Page[NotificationGroup, Cursor]:
        return await notification_groups(self._db, recipient_id, page, actors)

    async def mark_group_read(self, recipient_id: UUID, group_key: str) -> int:
        return await mark_group_read(self._db, self._clock, recipient_id, group_key)


def _mine(recipient_id: UUID, kinds: Collection[NotificationKind]) -> Any:
    r = NotificationRow
    if not kinds:
        return r.recipient_id == recipient_id
    wanted = literal(sorted(k.value for k in kinds), ARRAY(String))
    return and_(r.recipient_id == recipient_id, r.kind == any_(wanted))


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
