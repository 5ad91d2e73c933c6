"""Suggested accounts in PostgreSQL: the candidates in one statement, the store replaced whole
per user, a page read with the exclusions applied in the same statement."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.graph_tables import FollowRow
from social.adapters.postgres.suggestion_queries import CANDIDATES, PAGE, STALE
from social.adapters.postgres.suggestion_tables import (
    account_suggestion_runs,
    account_suggestions,
    suggestion_dismissals,
)
from social.domain.discovery.account_suggestions import (
    CandidateBounds,
    Candidates,
    FollowedBy,
    PopularInTag,
    ReasonKind,
    RecentlyActive,
    Suggestion,
)
from social.domain.discovery.ports import StaleUsers
from social.domain.shared.pagination import Page, PageRequest, RankCursor, page_of

__all__ = ["SqlaSuggestionStore"]

_NO_ID = UUID(int=0)
_MAX_RANK = 2**31 - 1


def _after_rank(cursor: RankCursor | None) -> int:
    """The cursor's rank as the integer column compares it (a forged one cannot overflow)."""
    if cursor is None or math.isnan(cursor.rank):
        return 0
    return int(max(0.0, min(cursor.rank, float(_MAX_RANK))))


class SqlaSuggestionStore:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def candidates(self, user_id: UUID, bounds: CandidateBounds) -> Candidates:
        rows = await self._db.execute(text(CANDIDATES), {"user_id": user_id, **asdict(bounds)})
        followed_by: list[FollowedBy] = []
        popular: list[PopularInTag] = []
        active: list[RecentlyActive] = []
        for source, candidate_id, n, likes, comments, shares, label, affinity, at in rows:
            if source == "f":
                followed_by.append(FollowedBy(candidate_id, int(n), label))
            elif source == "t":
                popular.append(
                    PopularInTag(
                        candidate_id,
                        label,
                        affinity,
                        int(n),
                        int(likes),
                        int(comments),
                        int(shares),
                    )
                )
            else:
                active.append(RecentlyActive(candidate_id, at))
        return Candidates(followed_by, popular, active)

    async def replace(
        self, user_id: UUID, suggestions: Sequence[Suggestion], computed_at: datetime
    ) -> None:
        # the run's row first: it locks the user, so two computations at once run one after
        # the other (the second's DELETE then sees the first's rows)
        runs = account_suggestion_runs
        upsert = pg_insert(runs).values(user_id=user_id, computed_at=computed_at)
        await self._db.execute(
            upsert.on_conflict_do_update(
                index_elements=[runs.c.user_id], set_={"computed_at": computed_at}
            )
        )
        table = account_suggestions
        await self._db.execute(delete(table).where(table.c.user_id == user_id))
        if suggestions:
            await self._db.execute(
                pg_insert(table).on_conflict_do_nothing(),
                [
                    {
                        "user_id": user_id,
                        "candidate_id": s.candidate_id,
                        "rank": s.rank,
                        "score": s.score,
                        "reason_kind": s.kind.value,
                        "reason": s.reason,
                        "computed_at": computed_at,
                    }
                    for s in suggestions
                ],
            )

    async def claim_run(
        self, user_id: UUID, at: datetime, unless_after: datetime
    ) -> datetime | None:
        # the upsert locks the user's row whether or not it updates it (a concurrent claim
        # waits, then sees this one's time); the read after it thus sees the row as locked
        runs = account_suggestion_runs
        upsert = pg_insert(runs).values(user_id=user_id, computed_at=at)
        claimed = await self._db.execute(
            upsert.on_conflict_do_update(
                index_elements=[runs.c.user_id],
                set_={"computed_at": at},
                where=runs.c.computed_at <= unless_after,
            ).returning(runs.c.user_id)
        )
        if claimed.first() is not None:
            return None
        last: datetime | None = await self._db.scalar(
            select(runs.c.computed_at).where(runs.c.user_id == user_id)
        )
        return last

    async def page(
        self, user_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[Suggestion, RankCursor] | None:
        after = page.after
        parameters = {
            "user_id": user_id,
            "after_rank": _after_rank(after),
            "after_id": after.id if after is not None else _NO_ID,
            "limit": page.limit + 1,
        }
        rows = (await self._db.execute(text(PAGE), parameters)).all()
        if not rows and after is None and not await self._computed(user_id):
            return None
        return page_of(rows, page.limit, _suggestion, lambda r: RankCursor(float(r[1]), r[0]))

    async def followed_since_run(self, user_id: UUID) -> bool:
        # ix_follows_follower_recent: one probe past the run's time
        runs = account_suggestion_runs
        last_run = select(runs.c.computed_at).where(runs.c.user_id == user_id).scalar_subquery()
        newer = exists().where(FollowRow.follower_id == user_id, FollowRow.created_at > last_run)
        return bool(await self._db.scalar(select(newer)))

    async def _computed(self, user_id: UUID) -> bool:
        runs = account_suggestion_runs
        found = await self._db.scalar(select(exists().where(runs.c.user_id == user_id)))
        return bool(found)

    async def dismiss(self, user_id: UUID, candidate_id: UUID, at: datetime) -> None:
        await self._db.execute(
            pg_insert(suggestion_dismissals)
            .values(user_id=user_id, candidate_id=candidate_id, created_at=at)
            .on_conflict_do_nothing()
        )
        table = account_suggestions
        await self._db.execute(
            delete(table).where(table.c.user_id == user_id, table.c.candidate_id == candidate_id)
        )

    async def stale(
        self, computed_before: datetime, active_since: datetime, limit: int
    ) -> StaleUsers:
        parameters = {
            "computed_before": computed_before,
            "active_since": active_since,
            "limit": limit,
        }
        rows = (await self._db.execute(text(STALE), parameters)).all()
        return StaleUsers(
            active=[user_id for user_id, active in rows if active],
            idle=[user_id for user_id, active in rows if not active],
        )

    async def forget(self, user_ids: Collection[UUID]) -> None:
        if not user_ids:
            return
        ids = list(user_ids)
        for table in (account_suggestions, account_suggestion_runs):
            await self._db.execute(delete(table).where(table.c.user_id.in_(ids)))


def _suggestion(row: Any) -> Suggestion:
    candidate_id, rank, score, kind, reason = row
    return Suggestion(candidate_id, rank, score, ReasonKind(kind), reason)
