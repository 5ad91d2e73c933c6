"""List pages on the read pools: each a single statement, keyset-paged over ``(created_at, id)``
(explore: over its rank), returning ids (comments whole) for the read model to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from social.adapters.postgres.read_pool import ReadPool
from social.domain.reads.model import Comment
from social.domain.shared.pagination import (
    Cursor,
    Page,
    PageRequest,
    RankCursor,
    RankedPageRequest,
)
from social.domain.shared.tags import normalize_tag

__all__ = ["AsyncpgListings", "KeysetQuery"]

_PUBLIC_AUTHOR = (
    "EXISTS (SELECT 1 FROM users u WHERE u.id = t.author_id "
    "AND NOT u.is_private AND u.status = 'active')"
)
_COMMENT_COLUMNS = (
    "t.id, t.post_id, t.author_id, t.text, t.created_at, t.parent_id, t.replies_count"
)


@dataclass(frozen=True, slots=True)
class KeysetQuery:
    """A page of ``item`` from ``table t`` where ``where`` holds, ordered by the row's time
    then id; its two statements, for a first page and for one after a cursor. ``where`` uses
    ``$1`` (…) and the cursor and limit take the next numbers. The cursor names the row, not
    the item, so a row added while a client pages sorts before its cursor."""

    first: str
    after: str
    arguments: int

    @classmethod
    def of(
        cls,
        item: str,
        table: str,
        where: str,
        *,
        arguments: int,
        newest_first: bool = True,
        key: str = "id",
    ) -> KeysetQuery:
        """``key`` is the row's unique tie-breaker after its time (its id unless the table
        has none)."""
        order, past = ("DESC", "<") if newest_first else ("ASC", ">")
        head = f"SELECT {item}, t.created_at, t.{key} FROM {table} t WHERE {where}"  # noqa: S608
        tail = f"ORDER BY t.created_at {order}, t.{key} {order} LIMIT ${{limit}}"
        n = arguments
        return cls(
            first=f"{head} {tail.format(limit=n + 1)}",
            after=(
                f"{head} AND (t.created_at, t.{key}) {past} "
                f"(${n + 1}::timestamptz, ${n + 2}::uuid) {tail.format(limit=n + 3)}"
            ),
            arguments=n,
        )

    async def page(self, pool: ReadPool, page: PageRequest, *arguments: object) -> Page[Any]:
        """The first column of each row, and a cursor only when more follow."""
        rows = await self.rows(pool, page, *arguments)
        return Page(items=[row[0] for row in rows.items], next_cursor=rows.next_cursor)

    async def rows(self, pool: ReadPool, page: PageRequest, *arguments: object) -> Page[Any]:
        """Whole rows (``limit + 1`` are read: the last says whether more follow)."""
        if page.after is None:
            found = await pool.fetch(self.first, *arguments, page.limit + 1)
        else:
            found = await pool.fetch(
                self.after, *arguments, page.after.at, page.after.id, page.limit + 1
            )
        items = found[: page.limit]
        last = items[-1] if len(found) > page.limit else None
        cursor = Cursor(at=last[-2], id=last[-1]) if last is not None else None
        return Page(items=list(items), next_cursor=cursor)


_BY_AUTHOR = KeysetQuery.of("t.id", "posts", "t.author_id = $1", arguments=1)
_TAGGED = KeysetQuery.of(
    "t.post_id",
    "post_tags",
    "t.tag = $1 AND EXISTS (SELECT 1 FROM posts p JOIN users u ON u.id = p.author_id "
    "WHERE p.id = t.post_id AND NOT u.is_private AND u.status = 'active')",
    arguments=1,
    key="post_id",
)
_TAGGED_COUNT = (
    "SELECT count(*) FROM (SELECT 1 FROM post_tags t WHERE t.tag = $1 AND EXISTS ("
    "SELECT 1 FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = t.post_id "
    "AND NOT u.is_private AND u.status = 'active') LIMIT $2) counted"
)
"""The tag page's own rows and rule, counted: 1,001 rows cost ~4 ms warm (200,000 posts)."""
_BOOKMARKED = KeysetQuery.of("t.post_id", "bookmarks", "t.user_id = $1", arguments=1)
_LIKERS = KeysetQuery.of("t.user_id", "likes", "t.post_id = $1", arguments=1)
_FOLLOWERS = KeysetQuery.of("t.follower_id", "follows", "t.followee_id = $1", arguments=1)
_FOLLOWING = KeysetQuery.of("t.followee_id", "follows", "t.follower_id = $1", arguments=1)
_TOP_LEVEL = KeysetQuery.of(
    _COMMENT_COLUMNS,
    "comments",
    "t.post_id = $1 AND t.parent_id IS NULL",
    arguments=1,
    newest_first=False,
)
_REPLIES = KeysetQuery.of(
    _COMMENT_COLUMNS,
    "comments",
    "t.post_id = $1 AND t.parent_id = $2",
    arguments=2,
    newest_first=False,
)
_COMMENT = f"SELECT {_COMMENT_COLUMNS} FROM comments t WHERE t.id = $1"  # noqa: S608
_RANK = "(t.likes_count + 2 * t.comments_count + 3 * t.shares_count)"
_POPULAR = f"""
SELECT t.id, {_RANK} AS rank FROM posts t
WHERE t.created_at > $1 AND {_PUBLIC_AUTHOR} {{after}}
ORDER BY rank DESC, t.id DESC LIMIT $2
"""  # noqa: S608 (assembled from constants)
_POPULAR_FIRST = _POPULAR.format(after="")
_POPULAR_AFTER = _POPULAR.format(after=f"AND ({_RANK}, t.id) < ($3::int, $4::uuid)")


class AsyncpgListings:
    """``planned`` runs the statements whose best plan depends on the parameters (a time
    window): planned for each call. The rest plan alike for
    any parameters and run on ``pool``."""

    def __init__(self, pool: ReadPool, *, planned: ReadPool) -> None:
        self._pool = pool
        self._planned = planned

    async def posts_by_author(self, author_id: UUID, page: PageRequest) -> Page[UUID]:
        return await _BY_AUTHOR.page(self._pool, page, author_id)

    async def public_posts_tagged(self, tag: str, page: PageRequest) -> Page[UUID]:
        wanted = normalize_tag(tag)
        if not wanted:
            return Page(items=[], next_cursor=None)
        return await _TAGGED.page(self._pool, page, wanted)

    async def count_public_posts_tagged(self, tag: str, *, at_most: int) -> int:
        wanted = normalize_tag(tag)
        if not wanted or at_most <= 0:
            return 0
        rows = await self._pool.fetch(_TAGGED_COUNT, wanted, at_most)
        return int(rows[0][0])

    async def popular_posts_since(self, since: datetime, page: RankedPageRequest) -> Page[UUID]:
        if page.after is None:
            rows = await self._planned.fetch(_POPULAR_FIRST, since, page.limit + 1)
        else:
            after = page.after
            rows = await self._planned.fetch(
                _POPULAR_AFTER, since, page.limit + 1, int(after.rank), after.id
            )
        items = rows[: page.limit]
        last = items[-1] if len(rows) > page.limit else None
        return Page(
            items=[row[0] for row in items],
            next_cursor=RankCursor(float(last[1]), last[0]) if last is not None else None,
        )

    async def bookmarked_posts(self, user_id: UUID, page: PageRequest) -> Page[UUID]:
        return await _BOOKMARKED.page(self._pool, page, user_id)

    async def likers(self, post_id: UUID, page: PageRequest) -> Page[UUID]:
        return await _LIKERS.page(self._pool, page, post_id)

    async def followers(self, user_id: UUID, page: PageRequest) -> Page[UUID]:
        return await _FOLLOWERS.page(self._pool, page, user_id)

    async def following(self, user_id: UUID, page: PageRequest) -> Page[UUID]:
        return await _FOLLOWING.page(self._pool, page, user_id)

    async def comments(
        self, post_id: UUID, parent_id: UUID | None, page: PageRequest
    ) -> Page[Comment]:
        if parent_id is None:
            rows = await _TOP_LEVEL.rows(self._pool, page, post_id)
        else:
            rows = await _REPLIES.rows(self._pool, page, post_id, parent_id)
        return Page(items=[_comment(row) for row in rows.items], next_cursor=rows.next_cursor)

    async def comment(self, comment_id: UUID) -> Comment | None:
        rows = await self._pool.fetch(_COMMENT, comment_id)
        return _comment(rows[0]) if rows else None


def _comment(row: Any) -> Comment:
    return Comment(*row[:7])
