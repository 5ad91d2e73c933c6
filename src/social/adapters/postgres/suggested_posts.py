"""Suggested posts (DISC-2) on a read pool: candidates first, then one ranking statement a page.

Scoring every post of the window cost 85-95 ms a page (46,000 posts on the bench). A score is
``(engagement + 1) * affinity`` with affinity from 1 (none of the viewer's tags or authors) to
``1 + TAGS_COUNTED + AUTHOR_BOOST``, so only three sets of posts are scored (the domain's
``HOT_POOL_SIZE``, ``TAGGED_READ`` and ``AUTHOR_POSTS_READ`` bound them):

- the hot pool: the window's most engaging posts of public, active accounts, the same for every
  viewer, so ``HotPool`` keeps their ids for ``HOT_POOL_TTL_S`` (one full scan of the window a
  minute per process instead of one a page);
- the window's newest posts carrying one of the viewer's tags (``ix_posts_tags`` or
  ``ix_posts_recent``: the tags are a parameter, so the planner weighs how common they are);
- the window's newest posts of each of the viewer's authors (``ix_posts_author_recent``).

Why the top is exact: let E be the engagement of the pool's last post (when the pool is not
full it holds every eligible post, and everything below is exact too). A post outside the
three sets has engagement at most E, and, when neither the tagged set nor any author's posts
reached their bound, none of the viewer's tags or authors: affinity 1, a score of at most
E + 1. Every candidate is scored on its live counts, so every post scoring above E + 1 is a
candidate and in its exact place. When a bound was reached, an older post cut off by it may
keep up to the whole affinity: the exact top is then the scores above
(E + 1) * (1 + TAGS_COUNTED + AUTHOR_BOOST). What is lost below it: posts outside the three
sets never show (the listing ends after at most 1,000 + 500 + 10 per author posts, where
scoring everything listed the whole window), so a fairly engaging post in the viewer's tags
that is neither hot nor among the newest is missed; and the pool is up to a minute old (a
post that became hot within it shows only if the viewer's tags or authors bring it). On the
bench seed E = 18: a viewer without history gets exactly the old list's first 1,000 posts; the
two busiest (31 tags, both bounds reached) the old list's first 416 and 508 posts exactly (the
guaranteed part, scores above 114: 273 and 337 posts), then 558 and 576 more of its posts in
the same relative order with the others left out, 974 and 1,084 in all instead of 41,700.

The viewer's side is read by ``_TASTE`` (their recent tags and authors, bounded as the domain
says); the page's statement then reads the authors passed over (themselves, followees, blocks
and mutes either way) and the posts already seen (liked or shared by them, shared by a
followee: within the window, as a like or a share is never older than its post) as hashed sets,
scores the candidates as ``suggestion_score`` says (materialized, so a page after a cursor
computes the score once) and keyset-pages them over ``(score, id)``. Planned per call (the
time window and the tags make the best plan depend on the parameters).

Cost (``benchmarks/suggested_posts_plans.py``: EXPLAIN ANALYZE medians, 200,000-post bench
seed, 45,000 in the window, a shared 2-core machine; the old statement in the same runs):

==========================  ==============  ============  =====================
statement                   busy viewer     new viewer    before (busy / new)
==========================  ==============  ============  =====================
tags and authors            1.1 ms          0.05 ms       (inside the page's)
first page                  7.2 ms          4.3-5.1 ms    112-114 / 91-92 ms
page after a cursor         7.2-11.5 ms     4.3-4.5 ms    118-121 / 93-94 ms
hot pool, once a minute     48-66 ms        (shared)      (none)
explore's first page        36-60 ms        (unchanged)
==========================  ==============  ============  =====================

Most of a page is now reading the ~1,500 candidates' rows and the viewer's exclusion sets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from social.adapters.postgres.keyset import KeysetQuery
from social.adapters.postgres.read_pool import ReadPool
from social.domain.discovery.suggested_posts import (
    AUTHOR_BOOST,
    COMMENTS_READ,
    LIKES_READ,
    OWN_POSTS_READ,
    TAGS_COUNTED,
    CandidateBounds,
)
from social.domain.shared.pagination import Page, PageRequest, RankCursor

__all__ = [
    "HOT_POOL",
    "HOT_POOL_TTL_S",
    "SUGGESTED_POSTS",
    "TASTE",
    "HotPool",
    "RankedPool",
    "suggested_posts",
]

HOT_POOL_TTL_S = 60.0
"""How long a process reuses the window's hot pool."""

HOT_POOL = """
SELECT t.id, t.likes_count + 2 * t.comments_count + 3 * t.shares_count AS engagement FROM posts t
JOIN users u ON u.id = t.author_id AND NOT u.is_private AND u.status = 'active'
WHERE t.created_at > $1
ORDER BY t.likes_count + 2 * t.comments_count + 3 * t.shares_count DESC, t.id DESC LIMIT $2"""
"""The window's most engaging posts of public, active accounts (explore's order), with their
engagement when read."""

TASTE = f"""
WITH liked AS MATERIALIZED (
    SELECT l.post_id FROM likes l WHERE l.user_id = $1
    ORDER BY l.created_at DESC, l.id DESC LIMIT {LIKES_READ}
)
SELECT ARRAY(
    SELECT DISTINCT unnest(o.tags) FROM (
        SELECT p.tags FROM posts p WHERE p.author_id = $1
        ORDER BY p.created_at DESC, p.id DESC LIMIT {OWN_POSTS_READ}
    ) o
    UNION SELECT unnest(p.tags) FROM liked JOIN posts p ON p.id = liked.post_id
) AS tags, ARRAY(
    SELECT p.author_id FROM liked JOIN posts p ON p.id = liked.post_id
    UNION
    SELECT p.author_id FROM (
        SELECT c.post_id FROM comments c WHERE c.author_id = $1
        ORDER BY c.created_at DESC, c.id DESC LIMIT {COMMENTS_READ}
    ) commented JOIN posts p ON p.id = commented.post_id
) AS authors"""  # noqa: S608 (constants of the domain, no input)
"""The viewer's tags and authors: one row."""

_COLUMNS = (
    "p.id, p.author_id, p.tags, p.created_at, "
    "p.likes_count + 2 * p.comments_count + 3 * p.shares_count AS engagement"
)
_SCORED = f"""
WITH my_tags AS MATERIALIZED (SELECT DISTINCT unnest($4::text[]) AS tag),
my_authors AS MATERIALIZED (SELECT DISTINCT unnest($5::uuid[]) AS author_id),
passed_authors AS MATERIALIZED (
    SELECT $1::uuid AS id
    UNION ALL SELECT f.followee_id FROM follows f WHERE f.follower_id = $1
    UNION ALL SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = $1
    UNION ALL SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = $1
    UNION ALL SELECT m.muted_id FROM mutes m WHERE m.muter_id = $1
    UNION ALL SELECT m.muter_id FROM mutes m WHERE m.muted_id = $1
),
seen_posts AS MATERIALIZED (
    SELECT l.post_id FROM likes l WHERE l.user_id = $1 AND l.created_at > $2
    UNION ALL SELECT s.post_id FROM shares s WHERE s.user_id = $1 AND s.created_at > $2
    UNION ALL SELECT s.post_id FROM follows f
        JOIN shares s ON s.user_id = f.followee_id AND s.created_at > $2
        WHERE f.follower_id = $1
),
candidates AS MATERIALIZED (
    SELECT {_COLUMNS} FROM posts p WHERE p.id = ANY($3::uuid[])
    UNION (
        SELECT {_COLUMNS} FROM posts p
        WHERE p.created_at > $2 AND p.tags && $4::text[]
        AND p.author_id NOT IN (SELECT a.id FROM passed_authors a)
        ORDER BY p.created_at DESC, p.id DESC LIMIT $6
    )
    UNION
    SELECT newest.* FROM my_authors mine CROSS JOIN LATERAL (
        SELECT {_COLUMNS} FROM posts p
        WHERE p.author_id = mine.author_id AND p.created_at > $2
        ORDER BY p.created_at DESC, p.id DESC LIMIT $7
    ) newest
    WHERE mine.author_id NOT IN (SELECT a.id FROM passed_authors a)
),
scored AS MATERIALIZED (
    SELECT t.id, (t.engagement + 1)::bigint * (
            1 + LEAST({TAGS_COUNTED}, (
                SELECT count(*) FROM unnest(t.tags) tag
                WHERE tag IN (SELECT m.tag FROM my_tags m)))
            + CASE WHEN t.author_id IN (SELECT m.author_id FROM my_authors m)
                THEN {AUTHOR_BOOST} ELSE 0 END
        ) AS score
    FROM candidates t
    WHERE t.created_at > $2
    AND (SELECT NOT u.is_private AND u.status = 'active' FROM users u WHERE u.id = t.author_id)
    AND t.author_id NOT IN (SELECT p.id FROM passed_authors p)
    AND t.id NOT IN (SELECT s.post_id FROM seen_posts s)
)
SELECT id, score FROM scored"""  # noqa: S608 (constants of the domain, no input)
_ORDER = "ORDER BY score DESC, id DESC LIMIT"


def _position(row: Any) -> RankCursor:
    return RankCursor(float(row[1]), row[0])


def _bounds(cursor: RankCursor) -> tuple[object, object]:
    """Compared as ``float8``: any float a client sends back (even ``Infinity``) is a value
    there, never an overflow; the scores, small integers, are exact in it."""
    return cursor.rank, cursor.id


SUGGESTED_POSTS = KeysetQuery(
    first=f"{_SCORED} {_ORDER} $8",
    after=f"{_SCORED} WHERE (score::float8, id) < ($8::float8, $9::uuid) {_ORDER} $10",
    position=_position,
    bounds=_bounds,
)
"""The page's two forms (a first page, a page after a cursor): ``$1`` the viewer, ``$2`` the
window's start, ``$3`` the hot pool, ``$4`` and ``$5`` the viewer's tags and authors, ``$6``
and ``$7`` how many of the newest tagged posts and of each author's posts are scored."""


@dataclass(frozen=True, slots=True)
class RankedPool:
    """The hot pool as read: ``ranked`` is ``(engagement, id)`` pairs in explore's order
    (highest first, ties by highest id); ``full`` when the bound cut it, so posts below its last
    one exist and are not in it."""

    since: datetime
    ranked: list[tuple[int, UUID]]
    full: bool
    taken_at: float

    @property
    def ids(self) -> list[UUID]:
        return [post_id for _, post_id in self.ranked]


class HotPool:
    """The window's hot pool of one process (its size, and the listing's other bounds, in
    ``bounds``), kept ``ttl_s`` seconds (monotonic) for windows
    starting within ``ttl_s`` of the one it was read for: one entry, read again by one caller
    at a time when stale (the others wait for it rather than scan the window too)."""

    def __init__(
        self,
        *,
        bounds: CandidateBounds,
        ttl_s: float = HOT_POOL_TTL_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bounds = bounds
        self._ttl = ttl_s
        self._monotonic = monotonic
        self._kept: RankedPool | None = None
        self._reading: asyncio.Lock | None = None

    async def ids(self, pool: ReadPool, since: datetime) -> list[UUID]:
        return (await self.read(pool, since)).ids

    async def read(self, pool: ReadPool, since: datetime) -> RankedPool:
        kept = self._fresh(since)
        if kept is not None:
            return kept
        self._reading = self._reading or asyncio.Lock()
        async with self._reading:
            kept = self._fresh(since)
            if kept is not None:
                return kept
            size = self.bounds.hot_pool
            rows = await pool.fetch(HOT_POOL, since, size)
            ranked = [(int(row[1]), row[0]) for row in rows]
            self._kept = RankedPool(since, ranked, len(rows) >= size, self._monotonic())
            return self._kept

    def _fresh(self, since: datetime) -> RankedPool | None:
        kept = self._kept
        if kept is None or self._monotonic() - kept.taken_at >= self._ttl:
            return None
        if abs((since - kept.since).total_seconds()) > self._ttl:
            return None
        return kept


async def suggested_posts(
    pool: ReadPool, hot: HotPool, viewer_id: UUID, since: datetime, page: PageRequest[RankCursor]
) -> Page[UUID, RankCursor]:
    ids = await hot.ids(pool, since)
    (taste,) = await pool.fetch(TASTE, viewer_id)
    bounds = (hot.bounds.tagged, hot.bounds.per_author)
    return await SUGGESTED_POSTS.page(
        pool, page, viewer_id, since, ids, taste["tags"], taste["authors"], *bounds
    )
