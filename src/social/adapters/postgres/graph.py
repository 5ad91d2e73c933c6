"""The social graph in PostgreSQL: edges and their counters change in one statement pair."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, delete, func, literal, or_, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.graph_tables import BlockRow, FollowRequestRow, FollowRow, MuteRow
from social.adapters.postgres.keyset import any_of, keyset_rows
from social.domain.graph.model import Follow, FollowRequest, Ties
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["SqlaGraphRepository"]


class SqlaGraphRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def ties(self, viewer_id: UUID, others: Iterable[UUID]) -> dict[UUID, Ties]:
        ids = list(others)
        result: dict[UUID, dict[str, bool]] = {other: {} for other in ids}
        if not ids:
            return {}
        f, r, b, m = FollowRow, FollowRequestRow, BlockRow, MuteRow

        def edge(kind: str, mine: Any, theirs: Any) -> Any:
            return select(literal(kind), theirs).where(mine == viewer_id, any_of(theirs, ids))

        facts = union_all(  # one round trip for all six kinds of edge
            edge("following", f.follower_id, f.followee_id),
            edge("followed_by", f.followee_id, f.follower_id),
            edge("requested", r.requester_id, r.target_id),
            edge("blocking", b.blocker_id, b.blocked_id),
            edge("blocked_by", b.blocked_id, b.blocker_id),
            edge("muting", m.muter_id, m.muted_id),
        )
        for kind, other in (await self._db.execute(facts)).all():
            result[other][kind] = True
        return {other: Ties(**flags) for other, flags in result.items()}

    async def add_follow(self, follow: Follow) -> bool:
        inserted = await self._db.execute(
            pg_insert(FollowRow)
            .values(
                id=follow.id,
                follower_id=follow.follower_id,
                followee_id=follow.followee_id,
                created_at=follow.created_at,
            )
            .on_conflict_do_nothing(constraint="uq_follows_pair")
            .returning(FollowRow.id)
        )
        if inserted.first() is None:
            return False
        await self._count(follow.follower_id, follow.followee_id, +1)
        return True

    async def remove_follow(self, follower_id: UUID, followee_id: UUID) -> bool:
        removed = await self._db.execute(
            delete(FollowRow)
            .where(FollowRow.follower_id == follower_id, FollowRow.followee_id == followee_id)
            .returning(FollowRow.id)
        )
        if removed.first() is None:
            return False
        await self._count(follower_id, followee_id, -1)
        return True

    async def _count(self, follower_id: UUID, followee_id: UUID, step: int) -> None:
        """Both counters in one UPDATE: its row locks are taken in one order for everyone, so
        concurrent follows in opposite directions cannot deadlock on them."""
        await self._db.execute(
            update(UserRow)
            .where(UserRow.id.in_([follower_id, followee_id]))
            .values(
                following_count=UserRow.following_count
                + case((UserRow.id == follower_id, step), else_=0),
                followers_count=UserRow.followers_count
                + case((UserRow.id == followee_id, step), else_=0),
            )
            .execution_options(synchronize_session=False)
        )

    async def add_request(self, request: FollowRequest) -> bool:
        inserted = await self._db.execute(
            pg_insert(FollowRequestRow)
            .values(
                id=request.id,
                requester_id=request.requester_id,
                target_id=request.target_id,
                created_at=request.created_at,
            )
            .on_conflict_do_nothing(constraint="uq_follow_requests_pair")
            .returning(FollowRequestRow.id)
        )
        return inserted.first() is not None

    async def get_request(self, request_id: UUID) -> FollowRequest | None:
        row = await self._db.get(FollowRequestRow, request_id)
        return _request(row) if row else None

    async def remove_request(self, requester_id: UUID, target_id: UUID) -> bool:
        removed = await self._db.execute(
            delete(FollowRequestRow)
            .where(
                FollowRequestRow.requester_id == requester_id,
                FollowRequestRow.target_id == target_id,
            )
            .returning(FollowRequestRow.id)
        )
        return removed.first() is not None

    async def pending_requests(
        self, target_id: UUID, page: PageRequest[Cursor]
    ) -> Page[FollowRequest, Cursor]:
        r = FollowRequestRow
        return await keyset_rows(self._db, r, r.target_id == target_id, page, map=_request)

    async def all_pending_requests(self, target_id: UUID) -> list[FollowRequest]:
        rows = await self._db.scalars(
            select(FollowRequestRow).where(FollowRequestRow.target_id == target_id)
        )
        return [_request(row) for row in rows]

    async def count_pending_requests(self, target_id: UUID) -> int:
        r = FollowRequestRow
        count = await self._db.scalar(
            select(func.count()).select_from(r).where(r.target_id == target_id)
        )
        return int(count or 0)

    async def add_block(self, blocker_id: UUID, blocked_id: UUID, at: datetime) -> bool:
        return await self._add_pair(
            BlockRow, "uq_blocks_pair", blocker_id=blocker_id, blocked_id=blocked_id, created_at=at
        )

    async def remove_block(self, blocker_id: UUID, blocked_id: UUID) -> bool:
        return await self._remove(
            BlockRow, BlockRow.blocker_id == blocker_id, BlockRow.blocked_id == blocked_id
        )

    async def add_mute(self, muter_id: UUID, muted_id: UUID, at: datetime) -> bool:
        return await self._add_pair(
            MuteRow, "uq_mutes_pair", muter_id=muter_id, muted_id=muted_id, created_at=at
        )

    async def remove_mute(self, muter_id: UUID, muted_id: UUID) -> bool:
        return await self._remove(
            MuteRow, MuteRow.muter_id == muter_id, MuteRow.muted_id == muted_id
        )

    async def remove_all_edges(self, user_id: UUID) -> None:
        followed = await self._db.scalars(
            delete(FollowRow)
            .where(FollowRow.follower_id == user_id)
            .returning(FollowRow.followee_id)
        )
        await self._lower(UserRow.followers_count, list(followed))
        followers = await self._db.scalars(
            delete(FollowRow)
            .where(FollowRow.followee_id == user_id)
            .returning(FollowRow.follower_id)
        )
        await self._lower(UserRow.following_count, list(followers))
        await self._db.execute(
            update(UserRow)
            .where(UserRow.id == user_id)
            .values(followers_count=0, following_count=0)
            .execution_options(synchronize_session=False)
        )
        r, b, m = FollowRequestRow, BlockRow, MuteRow
        await self._db.execute(
            delete(r).where(or_(r.requester_id == user_id, r.target_id == user_id))
        )
        await self._db.execute(
            delete(b).where(or_(b.blocker_id == user_id, b.blocked_id == user_id))
        )
        await self._db.execute(delete(m).where(or_(m.muter_id == user_id, m.muted_id == user_id)))

    async def _lower(self, counter: Any, user_ids: list[UUID]) -> None:
        if user_ids:
            await self._db.execute(
                update(UserRow)
                .where(UserRow.id.in_(user_ids))
                .values({counter: counter - 1})
                .execution_options(synchronize_session=False)
            )

    async def _add_pair(self, table: Any, constraint: str, **values: Any) -> bool:
        inserted = await self._db.execute(
            pg_insert(table)
            .values(id=new_id(), **values)
            .on_conflict_do_nothing(constraint=constraint)
            .returning(table.id)
        )
        return inserted.first() is not None

    async def _remove(self, table: Any, *conditions: Any) -> bool:
        removed = await self._db.execute(delete(table).where(and_(*conditions)).returning(table.id))
        return removed.first() is not None


def _request(row: FollowRequestRow) -> FollowRequest:
    return FollowRequest(row.id, row.requester_id, row.target_id, row.created_at)
