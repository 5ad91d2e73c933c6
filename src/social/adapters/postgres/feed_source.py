"""Home-feed entries straight from PostgreSQL: the fallback and the source of rebuilds.

Core SQL on purpose: these are hot read paths (architecture rule 6) and return read models,
never ORM rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import literal, select, tuple_, union, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.graph_tables import FollowRow
from social.adapters.postgres.interaction_tables import ShareRow
from social.adapters.postgres.post_tables import PostRow
from social.adapters.postgres.tables import UserRow
from social.domain.feed.model import FeedEntry, FeedItemKind
from social.domain.shared.pagination import Cursor

__all__ = ["SqlaFeedSource"]


class SqlaFeedSource:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def timeline(self, user_id: UUID, after: Cursor | None, limit: int) -> list[FeedEntry]:
        actors = union(
            select(FollowRow.followee_id).where(FollowRow.follower_id == user_id),
            select(literal(user_id)),
        )
        return await self._entries(actors, after, limit)

    async def by_actors(
        self, actor_ids: Sequence[UUID], after: Cursor | None, limit: int
    ) -> list[FeedEntry]:
        if not actor_ids:
            return []
        return await self._entries(list(actor_ids), after, limit)

    async def large_followees(self, user_id: UUID, threshold: int) -> list[UUID]:
        large = select(UserRow.id).where(UserRow.followers_count > threshold)
        rows = await self._db.scalars(
            select(FollowRow.followee_id).where(
                FollowRow.follower_id == user_id, FollowRow.followee_id.in_(large)
            )
        )
        return list(rows)

    async def followers_after(self, user_id: UUID, after: UUID | None, limit: int) -> list[UUID]:
        query = select(FollowRow.follower_id).where(FollowRow.followee_id == user_id)
        if after is not None:
            query = query.where(FollowRow.follower_id > after)
        rows = await self._db.scalars(query.order_by(FollowRow.follower_id).limit(limit))
        return list(rows)

    async def post_entry(self, post_id: UUID) -> FeedEntry | None:
        row = (
            await self._db.execute(
                select(PostRow.id, PostRow.author_id, PostRow.created_at).where(
                    PostRow.id == post_id
                )
            )
        ).first()
        if row is None:
            return None
        return FeedEntry(row[0], FeedItemKind.POST, row[0], row[1], row[1], row[2])

    async def share_entry(self, share_id: UUID) -> FeedEntry | None:
        s, p = ShareRow, PostRow
        row = (
            await self._db.execute(
                select(s.id, s.post_id, s.user_id, p.author_id, s.created_at)
                .join(p, p.id == s.post_id)
                .where(s.id == share_id)
            )
        ).first()
        if row is None:
            return None
        return FeedEntry(row[0], FeedItemKind.SHARE, row[1], row[2], row[3], row[4])

    async def _entries(self, actors: Any, after: Cursor | None, limit: int) -> list[FeedEntry]:
        """The newest ``limit`` posts and shares by ``actors`` after the cursor; each arm is
        limited on its own index first, so the sort only ever sees twice ``limit`` rows."""
        p, s = PostRow, ShareRow
        posts = select(
            p.id,
            literal(FeedItemKind.POST.value).label("kind"),
            p.id.label("post_id"),
            p.author_id.label("actor_id"),
            p.author_id.label("post_author_id"),
            p.created_at,
        ).where(p.author_id.in_(actors))
        shares = (
            select(
                s.id,
                literal(FeedItemKind.SHARE.value).label("kind"),
                s.post_id,
                s.user_id.label("actor_id"),
                p.author_id.label("post_author_id"),
                s.created_at,
            )
            .join(p, p.id == s.post_id)
            .where(s.user_id.in_(actors))
        )
        if after is not None:
            cursor = (after.at, after.id)
            posts = posts.where(tuple_(p.created_at, p.id) < cursor)
            shares = shares.where(tuple_(s.created_at, s.id) < cursor)
        posts = posts.order_by(p.created_at.desc(), p.id.desc()).limit(limit)
        shares = shares.order_by(s.created_at.desc(), s.id.desc()).limit(limit)
        both = union_all(posts, shares).subquery()
        rows = await self._db.execute(
            select(both).order_by(both.c.created_at.desc(), both.c.id.desc()).limit(limit)
        )
        return [
            FeedEntry(
                r.id, FeedItemKind(r.kind), r.post_id, r.actor_id, r.post_author_id, r.created_at
            )
            for r in rows
        ]
