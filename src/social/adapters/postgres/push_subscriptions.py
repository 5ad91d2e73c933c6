"""Web Push subscriptions in PostgreSQL: one row per (user, endpoint), upserted."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.push_tables import PushSubscriptionRow
from social.domain.notifications.push_ports import PushSubscription
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["SqlaPushSubscriptionRepository"]


class SqlaPushSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, subscription: PushSubscription) -> PushSubscription:
        s = subscription
        kinds = sorted(k.value for k in s.kinds)
        insert = pg_insert(PushSubscriptionRow).values(
            id=s.id,
            user_id=s.user_id,
            endpoint=s.endpoint,
            p256dh=s.p256dh,
            auth=s.auth,
            kinds=kinds,
            created_at=s.created_at,
        )
        row = await self._db.scalar(
            insert.on_conflict_do_update(
                constraint="uq_push_subscriptions_device",
                set_={"p256dh": s.p256dh, "auth": s.auth, "kinds": kinds},
            )
            .returning(PushSubscriptionRow)
            .execution_options(populate_existing=True)
        )
        assert row is not None  # an upsert returns its row
        return _entity(row)

    async def get(self, subscription_id: UUID) -> PushSubscription | None:
        r = PushSubscriptionRow
        row = await self._db.scalar(
            select(r).where(r.id == subscription_id).execution_options(populate_existing=True)
        )
        return None if row is None else _entity(row)

    async def for_user(self, user_id: UUID) -> Sequence[PushSubscription]:
        r = PushSubscriptionRow
        rows = await self._db.scalars(
            select(r)
            .where(r.user_id == user_id)
            .order_by(r.created_at, r.id)
            .execution_options(populate_existing=True)
        )
        return [_entity(row) for row in rows]

    async def remove(self, subscription_id: UUID, *, user_id: UUID | None = None) -> bool:
        r = PushSubscriptionRow
        statement = delete(r).where(r.id == subscription_id)
        if user_id is not None:
            statement = statement.where(r.user_id == user_id)
        removed = await self._db.execute(statement.returning(r.id))
        return removed.first() is not None


def _entity(row: PushSubscriptionRow) -> PushSubscription:
    return PushSubscription(
        id=row.id,
        user_id=row.user_id,
        endpoint=row.endpoint,
        p256dh=row.p256dh,
        auth=row.auth,
        kinds=frozenset(NotificationKind(k) for k in row.kinds),
        created_at=row.created_at,
    )
