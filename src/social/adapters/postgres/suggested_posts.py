"""Suggested posts (DISC-2) on a read pool: one statement a page. CTEs read the viewer's recent
taste once (tags of their latest posts and likes, authors of their latest likes and comments,
bounded by the constants of ``domain.discovery.suggested_posts``); the candidates are the
window's posts of public, active accounts, each kept only through index probes (follows,
likes, shares, blocks, mutes: anti-joins on the viewer's rows) and scored as
``suggestion_score`` says; keyset-paged over ``(score, id)``. The time window makes the best
plan depend on the parameters, so it runs on the pool that plans each call."""

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
tag_hits AS MATERIALIZED (
    SELECT pt.post_id, count(*) AS hits
    FROM my_tags m JOIN post_tags pt ON pt.tag = m.tag AND pt.created_at > $2
    GROUP BY pt.post_id
),
scored AS (
    SELECT t.id,
        (t.likes_count + 2 * t.comments_count + 3 * t.shares_count + 1)::bigint * (
            1 + LEAST(coalesce(h.hits, 0), {TAGS_COUNTED})
            + CASE WHEN a.author_id IS NULL THEN 0 ELSE {AUTHOR_BOOST} END
        ) AS score
    FROM posts t
    JOIN users u ON u.id = t.author_id AND NOT u.is_private AND u.status = 'active'
    LEFT JOIN tag_hits h ON h.post_id = t.id
    LEFT JOIN my_authors a ON a.author_id = t.author_id
    WHERE t.created_at > $2 AND t.author_id <> $1
    AND NOT EXISTS (
        SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = t.author_id)
    AND NOT EXISTS (SELECT 1 FROM likes l WHERE l.user_id = $1 AND l.post_id = t.id)
    AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.user_id = $1 AND s.post_id = t.id)
    AND NOT EXISTS (
        SELECT 1 FROM shares s JOIN follows f ON f.followee_id = s.user_id
        WHERE f.follower_id = $1 AND s.post_id = t.id)
    AND NOT EXISTS (
        SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = t.author_id)
        OR (b.blocker_id = t.author_id AND b.blocked_id = $1))
    AND NOT EXISTS (
        SELECT 1 FROM mutes m WHERE (m.muter_id = $1 AND m.muted_id = t.author_id)
        OR (m.muter_id = t.author_id AND m.muted_id = $1))
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
