"""List pages on the read pools: each a single statement, keyset-paged over ``(created_at, id)``
(explore: over its rank), returning ids (comments whole) for the read model to show."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any
from uuid import UUID

from social.adapters.postgres.keyset import KeysetQuery
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.suggested_posts import HotPool, RankedPool, suggested_posts
from social.domain.discovery.suggested_posts import CandidateBounds
from social.domain.reads.model import Comment
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor, page_of
from social.domain.shared.tags import normalize_tag

__all__ = ["AsyncpgListings"]

_PUBLIC_AUTHOR = (
    "EXISTS (SELECT 1 FROM users u WHERE u.id = t.author_id "
    "AND NOT u.is_private AND u.status = 'active')"
)
_COMMENT_COLUMNS = (
    "t.id, t.post_id, t.author_id, t.text, t.created_at, t.parent_id, t.replies_count"
)


_BY_AUTHOR = KeysetQuery.by_time("t.id", "posts", "t.author_id = $1", arguments=1)
_BY_AUTHOR_TAGGED = KeysetQuery.by_time(
    "t.id",
    "posts",
    "t.author_id = $1 AND EXISTS (SELECT 1 FROM post_tags pt WHERE pt.post_id = t.id "
    "AND pt.tag = $2)",
    arguments=2,
)
_TAGGED = KeysetQuery.by_time(
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
"""The tag page's own rows and rule, counted: 1,001 rows cost ~4 ms warm (200,000 posts), 14-20
ms under load."""
BIG_TAG_TTL_S = 60.0
"""How long a process takes a tag whose count reached the bound asked for as still that big."""
_BIG_TAGS_KEPT = 4096
_BOOKMARKED = KeysetQuery.by_time("t.post_id", "bookmarks", "t.user_id = $1", arguments=1)
_LIKED = KeysetQuery.by_time("t.post_id", "likes", "t.user_id = $1", arguments=1)
"""Served by ``ix_likes_user_recent`` (user_id, created_at, id)."""
_LIKERS = KeysetQuery.by_time("t.user_id", "likes", "t.post_id = $1", arguments=1)
_SHARERS = KeysetQuery.by_time("t.user_id", "shares", "t.post_id = $1", arguments=1)
_FOLLOWERS = KeysetQuery.by_time("t.follower_id", "follows", "t.followee_id = $1", arguments=1)
_FOLLOWING = KeysetQuery.by_time("t.followee_id", "follows", "t.follower_id = $1", arguments=1)
_BLOCKED = KeysetQuery.by_time("t.blocked_id", "blocks", "t.blocker_id = $1", arguments=1)
_MUTED = KeysetQuery.by_time("t.muted_id", "mutes", "t.muter_id = $1", arguments=1)
_TOP_LEVEL = KeysetQuery.by_time(
    _COMMENT_COLUMNS,
    "comments",
    "t.post_id = $1 AND t.parent_id IS NULL",
    arguments=1,
    newest_first=False,
)
_REPLIES = KeysetQuery.by_time(
    _COMMENT_COLUMNS,
    "comments",
    "t.post_id = $1 AND t.parent_id = $2",
    arguments=2,
    newest_first=False,
)
_COMMENT = f"SELECT {_COMMENT_COLUMNS} FROM comments t WHERE t.id = $1"  # noqa: S608
_COMMENTS = f"SELECT {_COMMENT_COLUMNS} FROM comments t WHERE t.id = ANY($1::uuid[])"  # noqa: S608
_POPULAR = KeysetQuery.by_rank(
    "t.id",
    "posts",
    "(t.likes_count + 2 * t.comments_count + 3 * t.shares_count)",
    f"t.created_at > $1 AND {_PUBLIC_AUTHOR}",
    arguments=1,
)


class AsyncpgListings:
    """``planned`` runs the statements whose best plan depends on the parameters (a time
    window): planned for each call. The rest plan alike for
    any parameters and run on ``pool``. Explore and suggested posts share the window's most
    engaging posts, read once a minute per process (``HotPool``); suggested posts score at
    most ``suggestion_bounds`` of each kind of candidate."""

    def __init__(
        self,
        pool: ReadPool,
        *,
        planned: ReadPool,
        suggestion_bounds: CandidateBounds | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pool = pool
        self._planned = planned
        self._hot = HotPool(bounds=suggestion_bounds or CandidateBounds())
        self._big_tags: dict[tuple[str, int], float] = {}
        self._monotonic = monotonic

    async def posts_by_author(
        self, author_id: UUID, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        return await _BY_AUTHOR.page(self._pool, page, author_id)

    async def posts_by_author_tagged(
        self, author_id: UUID, tag: str, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        wanted = normalize_tag(tag)
        if not wanted:
            return Page(items=[], next_cursor=None)
        return await _BY_AUTHOR_TAGGED.page(self._pool, page, author_id, wanted)

    async def public_posts_tagged(self, tag: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        wanted = normalize_tag(tag)
        if not wanted:
            return Page(items=[], next_cursor=None)
        return await _TAGGED.page(self._pool, page, wanted)

    async def count_public_posts_tagged(self, tag: str, *, at_most: int) -> int:
        """Exact below ``at_most``. A tag counted at the bound is taken as that big for
        ``BIG_TAG_TTL_S`` (it takes as many deletions to fall below): the count costs in
        proportion to the rows counted, so only the big tags' are worth keeping."""
        wanted = normalize_tag(tag)
        if not wanted or at_most <= 0:
            return 0
        key, now = (wanted, at_most), self._monotonic()
        if now - self._big_tags.get(key, -BIG_TAG_TTL_S) < BIG_TAG_TTL_S:
            return at_most
        rows = await self._pool.fetch(_TAGGED_COUNT, wanted, at_most)
        counted = int(rows[0][0])
        if counted >= at_most:
            if len(self._big_tags) >= _BIG_TAGS_KEPT:
                self._big_tags.clear()
            self._big_tags[key] = now
        return counted

    async def popular_posts_since(
        self, since: datetime, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        """Explore's pages from the hot pool (its order as read, up to a minute old), and from
        the table past the pool's end: ranking the window's posts cost 36-180 ms of PostgreSQL
        a page (45,000 posts on the bench), the pool costs that once a minute per process."""
        hot = await self._hot.read(self._planned, since)
        return explore_page(hot, page) or await _POPULAR.page(self._planned, page, since)

    async def suggested_posts(
        self, viewer_id: UUID, since: datetime, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        return await suggested_posts(self._planned, self._hot, viewer_id, since, page)

    async def bookmarked_posts(
        self, user_id: UUID, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        return await _BOOKMARKED.page(self._pool, page, user_id)

    async def liked_posts(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        return await _LIKED.page(self._pool, page, user_id)

    async def likers(self, post_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        return await _LIKERS.page(self._pool, page, post_id)

    async def sharers(self, post_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        return await _SHARERS.page(self._pool, page, post_id)

    async def followers(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        return await _FOLLOWERS.page(self._pool, page, user_id)

    async def following(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        return await _FOLLOWING.page(self._pool, page, user_id)

    async def blocked(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        return await _BLOCKED.page(self._pool, page, user_id)

    async def muted(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        return await _MUTED.page(self._pool, page, user_id)

    async def comments(
        self, post_id: UUID, parent_id: UUID | None, page: PageRequest[Cursor]
    ) -> Page[Comment, Cursor]:
        if parent_id is None:
            return await _TOP_LEVEL.rows(self._pool, page, post_id, map=_comment)
        return await _REPLIES.rows(self._pool, page, post_id, parent_id, map=_comment)

    async def comment(self, comment_id: UUID) -> Comment | None:
        rows = await self._pool.fetch(_COMMENT, comment_id)
        return _comment(rows[0]) if rows else None

    async def comments_by_id(self, comment_ids: Collection[UUID]) -> dict[UUID, Comment]:
        if not comment_ids:
            return {}
        rows = await self._pool.fetch(_COMMENTS, list(comment_ids))
        return {row[0]: _comment(row) for row in rows}


def explore_page(hot: RankedPool, page: PageRequest[RankCursor]) -> Page[UUID, RankCursor] | None:
    """The page after the cursor from the pool's ``(engagement, id)`` pairs; ``None`` when it
    would reach past the end of a full pool (posts below it are not in the pool)."""
    ranked = hot.ranked
    start = 0 if page.after is None else _first_below(ranked, (page.after.rank, page.after.id))
    rows = ranked[start : start + page.limit + 1]
    if hot.full and len(rows) <= page.limit:
        return None
    return page_of(rows, page.limit, _pool_item, _pool_position)


def _first_below(ranked: list[tuple[int, UUID]], key: tuple[float, UUID]) -> int:
    """Index of the first pair ordered after ``key`` in the pool's descending order (where
    ``pair < key`` turns from false to true once)."""
    return bisect.bisect_left(ranked, True, key=lambda pair: pair < key)


def _pool_item(pair: tuple[int, UUID]) -> UUID:
    return pair[1]


def _pool_position(pair: tuple[int, UUID]) -> RankCursor:
    return RankCursor(float(pair[0]), pair[1])


def _comment(row: Any) -> Comment:
    return Comment(*row[:7])
