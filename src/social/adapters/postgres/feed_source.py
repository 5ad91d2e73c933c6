"""Home-feed entries straight from PostgreSQL: the fallback, the source of rebuilds and of the
large accounts merged in at read time, and the follower lists fan-out walks.

Plain SQL on the read pool (architecture rule 6: hot read paths return read models through
their port): one round trip a call, no transaction, a connection only while it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from social.adapters.postgres.read_pool import ReadPool
from social.domain.feed.model import FeedEntry, FeedItemKind
from social.domain.shared.pagination import Cursor

__all__ = ["AsyncpgFeedSource"]

_POST_COLUMNS = "p.id, 'post' AS kind, p.id AS post_id, p.author_id AS actor_id, " + (
    "p.author_id AS post_author_id, p.created_at"
)
_SHARE_COLUMNS = "s.id, 'share' AS kind, s.post_id, s.user_id AS actor_id, " + (
    "p.author_id AS post_author_id, s.created_at"
)


def _entries_sql(actors: str, *, after: bool) -> str:
    """The newest ``$4`` posts and shares by ``actors`` (a ``FROM`` item with an ``id``
    column), strictly after the cursor ``($2, $3)`` when ``after``: each arm is limited per
    actor on its own index first (``(author_id, created_at, id)``, ``(user_id, created_at,
    id)``), so the sort only sees actors x ``$4`` rows at most, however old the cursor."""
    posts_after = "AND (p.created_at, p.id) < ($2::timestamptz, $3::uuid)" if after else ""
    shares_after = "AND (s.created_at, s.id) < ($2::timestamptz, $3::uuid)" if after else ""
    typed = "" if after else "WHERE $2::timestamptz IS NULL AND $3::uuid IS NULL"
    return f"""
WITH actors AS ({actors}), params AS (SELECT 1 {typed})
SELECT e.* FROM actors a
CROSS JOIN LATERAL (
    (SELECT {_POST_COLUMNS} FROM posts p
     WHERE p.author_id = a.id {posts_after}
     ORDER BY p.created_at DESC, p.id DESC LIMIT $4)
    UNION ALL
    (SELECT {_SHARE_COLUMNS} FROM shares s JOIN posts p ON p.id = s.post_id
     WHERE s.user_id = a.id {shares_after}
     ORDER BY s.created_at DESC, s.id DESC LIMIT $4)
) e
ORDER BY e.created_at DESC, e.id DESC
LIMIT $4
"""  # noqa: S608 (assembled from constants)


_TIMELINE_ACTORS = (
    "SELECT followee_id AS id FROM follows WHERE follower_id = $1::uuid UNION SELECT $1::uuid"
)
_LISTED_ACTORS = "SELECT DISTINCT unnest($1::uuid[]) AS id"
_TIMELINE = _entries_sql(_TIMELINE_ACTORS, after=False)
_TIMELINE_AFTER = _entries_sql(_TIMELINE_ACTORS, after=True)
_BY_ACTORS = _entries_sql(_LISTED_ACTORS, after=False)
_BY_ACTORS_AFTER = _entries_sql(_LISTED_ACTORS, after=True)
_LARGE_FOLLOWEES = """
SELECT f.followee_id FROM follows f JOIN users u ON u.id = f.followee_id
WHERE f.follower_id = $1 AND u.followers_count > $2
"""
_FOLLOWERS = """
SELECT follower_id FROM follows WHERE followee_id = $1 AND ($2::uuid IS NULL OR follower_id > $2)
ORDER BY follower_id LIMIT $3
"""
_POST_ENTRY = f"SELECT {_POST_COLUMNS} FROM posts p WHERE p.id = $1"  # noqa: S608
_SHARE_ENTRY = (
    f"SELECT {_SHARE_COLUMNS} FROM shares s JOIN posts p ON p.id = s.post_id WHERE s.id = $1"  # noqa: S608
)
_KINDS = {kind.value: kind for kind in FeedItemKind}


class AsyncpgFeedSource:
    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool

    async def timeline(self, user_id: UUID, after: Cursor | None, limit: int) -> list[FeedEntry]:
        return await self._entries(_TIMELINE, _TIMELINE_AFTER, user_id, after, limit)

    async def by_actors(
        self, actor_ids: Sequence[UUID], after: Cursor | None, limit: int
    ) -> list[FeedEntry]:
        if not actor_ids:
            return []
        return await self._entries(_BY_ACTORS, _BY_ACTORS_AFTER, list(actor_ids), after, limit)

    async def large_followees(self, user_id: UUID, threshold: int) -> list[UUID]:
        return [row[0] for row in await self._pool.fetch(_LARGE_FOLLOWEES, user_id, threshold)]

    async def followers_after(self, user_id: UUID, after: UUID | None, limit: int) -> list[UUID]:
        return [row[0] for row in await self._pool.fetch(_FOLLOWERS, user_id, after, limit)]

    async def post_entry(self, post_id: UUID) -> FeedEntry | None:
        rows = await self._pool.fetch(_POST_ENTRY, post_id)
        return _entry(rows[0]) if rows else None

    async def share_entry(self, share_id: UUID) -> FeedEntry | None:
        rows = await self._pool.fetch(_SHARE_ENTRY, share_id)
        return _entry(rows[0]) if rows else None

    async def _entries(
        self, first: str, later: str, actors: object, after: Cursor | None, limit: int
    ) -> list[FeedEntry]:
        if limit <= 0:
            return []
        at, id_ = (after.at, after.id) if after is not None else (None, None)
        rows = await self._pool.fetch(later if after else first, actors, at, id_, limit)
        return [_entry(row) for row in rows]


def _entry(row: Any) -> FeedEntry:
    id_, kind, post_id, actor_id, post_author_id, created_at = row
    return FeedEntry(id_, _KINDS[kind], post_id, actor_id, post_author_id, created_at)
