"""Suggested posts (DISC-2) on a read pool: one statement a page.

CTEs read the viewer's side once: their recent taste (tags of their latest posts and likes,
authors of their latest likes and comments, bounded by ``domain.discovery.suggested_posts``),
the authors passed over (themselves, followees, blocks and mutes either way) and the posts
already seen (liked or shared by them, shared by a followee: within the window, as a like or a
share is never older than its post). The last two are hashed sets (``NOT IN``: 40 ms a page
faster than anti-joins on the bench below); PostgreSQL hashes one when it expects it to fit
in hash_mem (8 MB by default, above 100,000 ids): fifteen times the 6,400 shares a week of
the whole bench seed (10,000 users), so even a viewer following everyone stays hashed. Then
every post of the window by a public, active account is scored as ``suggestion_score`` says
(materialized, so a page after a cursor computes the score once) and keyset-paged over
``(score, id)``.

Cost: the window's posts are all scored, like explore's rank: on the 200,000-post bench seed
(46,000 in a 7-day window) a page took 85-95 ms against explore's 52-60 ms on the same loaded
machine. The time window makes the best plan depend on the parameters, so it runs on the pool
that plans each call."""

from __future__ import annotations

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
)
from social.domain.shared.pagination import Page, PageRequest, RankCursor

__all__ = ["SUGGESTED_POSTS", "suggested_posts"]

_SCORED = f"""
WITH liked AS MATERIALIZED (
    SELECT l.post_id FROM likes l WHERE l.user_id = $1
    ORDER BY l.created_at DESC, l.id DESC LIMIT {LIKES_READ}
),
my_tags AS MATERIALIZED (
    SELECT DISTINCT tag FROM (
        SELECT unnest(o.tags) AS tag FROM (
            SELECT p.tags FROM posts p WHERE p.author_id = $1
            ORDER BY p.created_at DESC, p.id DESC LIMIT {OWN_POSTS_READ}
        ) o
        UNION ALL
        SELECT unnest(p.tags) FROM liked JOIN posts p ON p.id = liked.post_id
    ) every_tag
),
my_authors AS MATERIALIZED (
    SELECT p.author_id FROM liked JOIN posts p ON p.id = liked.post_id
    UNION
    SELECT p.author_id FROM (
        SELECT c.post_id FROM comments c WHERE c.author_id = $1
        ORDER BY c.created_at DESC, c.id DESC LIMIT {COMMENTS_READ}
    ) commented JOIN posts p ON p.id = commented.post_id
),
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
scored AS MATERIALIZED (
    SELECT t.id,
        (t.likes_count + 2 * t.comments_count + 3 * t.shares_count + 1)::bigint * (
            1 + LEAST({TAGS_COUNTED}, (
                SELECT count(*) FROM unnest(t.tags) tag
                WHERE tag IN (SELECT m.tag FROM my_tags m)))
            + CASE WHEN a.author_id IS NULL THEN 0 ELSE {AUTHOR_BOOST} END
        ) AS score
    FROM posts t
    JOIN users u ON u.id = t.author_id AND NOT u.is_private AND u.status = 'active'
    LEFT JOIN my_authors a ON a.author_id = t.author_id
    WHERE t.created_at > $2
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
    first=f"{_SCORED} {_ORDER} $3",
    after=f"{_SCORED} WHERE (score::float8, id) < ($3::float8, $4::uuid) {_ORDER} $5",
    position=_position,
    bounds=_bounds,
)
"""The statement's two forms (a first page, a page after a cursor), for timing and plans."""


async def suggested_posts(
    pool: ReadPool, viewer_id: UUID, since: datetime, page: PageRequest[RankCursor]
) -> Page[UUID, RankCursor]:
    return await SUGGESTED_POSTS.page(pool, page, viewer_id, since)
