"""The SQL of suggested accounts: who may be offered, the candidates of the three sources in one
statement, and the read of a page that applies the exclusions again.

Every source is a bounded index range scan (``CandidateBounds``): the user's most recent
follows (``ix_follows_follower_recent``) and theirs, the user's recent posts and likes
(``ix_posts_author_recent``, ``ix_likes_user_recent``), each tag's newest posts (``post_tags``'
key) and the newest posts (``ix_posts_recent``). The exclusions are anti-joins on the unique
pairs of follows, follow requests, blocks, mutes and dismissals.

What keeps the candidates statement cheap (a third fewer buffers, about 40 % less time than
its first form on 10,000 users / 416,000 follows): the friend of friends' name is looked up for
the ``friends`` kept only, not for the thousands of candidates before the cut, and found by the
followee's recency (``min``, not an ordered ``array_agg`` per candidate); the tag and activity
sources skip the status check of ``allowed`` since their join already kept active accounts
only (it cost a scan of ``users`` each).
"""

from __future__ import annotations

__all__ = ["CANDIDATES", "PAGE", "STALE", "allowed"]


def allowed(candidate: str, *, known_active: bool = False) -> str:
    """``candidate`` (a column) may be suggested to ``:user_id``: see ``SuggestionStore``.
    ``known_active``: the candidate comes from a join that already kept only active accounts,
    so the check of its status is left out (it would cost a second look-up of every one)."""
    c = candidate
    active = "" if known_active else f"AND {_is_active(c)}"
    return f"""{c} <> :user_id
        {active}
        AND NOT EXISTS (SELECT 1 FROM follows x
                        WHERE x.follower_id = :user_id AND x.followee_id = {c})
        AND NOT EXISTS (SELECT 1 FROM follow_requests x
                        WHERE x.requester_id = :user_id AND x.target_id = {c})
        AND NOT EXISTS (SELECT 1 FROM blocks x WHERE x.blocker_id = :user_id AND x.blocked_id = {c})
        AND NOT EXISTS (SELECT 1 FROM blocks x WHERE x.blocker_id = {c} AND x.blocked_id = :user_id)
        AND NOT EXISTS (SELECT 1 FROM mutes x WHERE x.muter_id = :user_id AND x.muted_id = {c})
        AND NOT EXISTS (SELECT 1 FROM mutes x WHERE x.muter_id = {c} AND x.muted_id = :user_id)
        AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals x
                        WHERE x.user_id = :user_id AND x.candidate_id = {c})"""  # noqa: S608


def _is_active(candidate: str) -> str:
    return f"EXISTS (SELECT 1 FROM users au WHERE au.id = {candidate} AND au.status = 'active')"  # noqa: S608


_PUBLIC_ACTIVE = "NOT u.is_private AND u.status = 'active'"

# The tag source ranks accounts by posts + engagement (domain/posts/model.py: likes + 2 comments
# + 3 shares) to keep the best ``per_tag`` of each tag; the domain ranks them again from the
# sums returned.
# ``followees`` is read twice (the friends' sources, then the names of the kept ones): computed
# once. ``recency`` 1 is the most recent follow, so ``min`` names the one followed last.
CANDIDATES = f"""
WITH followees AS MATERIALIZED (
    SELECT f.followee_id AS id,
           row_number() OVER (ORDER BY f.created_at DESC, f.id DESC) AS recency
    FROM follows f JOIN users u ON u.id = f.followee_id AND u.status = 'active'
    WHERE f.follower_id = :user_id
    ORDER BY f.created_at DESC, f.id DESC
    LIMIT :followees_sampled
), friends AS (
    SELECT g.followee_id AS candidate_id, count(*) AS followees, min(fe.recency) AS named
    FROM followees fe
    CROSS JOIN LATERAL (
        SELECT f2.followee_id FROM follows f2 WHERE f2.follower_id = fe.id
        ORDER BY f2.created_at DESC, f2.id DESC LIMIT :follows_per_followee
    ) g
    GROUP BY g.followee_id
), friends_kept AS (
    SELECT fr.candidate_id, fr.followees, fr.named
    FROM friends fr
    WHERE {allowed("fr.candidate_id")}
    ORDER BY fr.followees DESC, fr.candidate_id
    LIMIT :friends
), friends_named AS (
    SELECT fk.candidate_id, fk.followees, nu.username AS named
    FROM friends_kept fk
    JOIN followees fe ON fe.recency = fk.named
    JOIN users nu ON nu.id = fe.id
), my_tags AS (
    SELECT t.tag, sum(t.w)::int AS affinity FROM (
        SELECT unnest(own.tags) AS tag, 2 AS w FROM (
            SELECT p.tags FROM posts p WHERE p.author_id = :user_id
            ORDER BY p.created_at DESC, p.id DESC LIMIT :own_posts
        ) own
        UNION ALL
        SELECT unnest(p.tags), 1 FROM (
            SELECT l.post_id FROM likes l WHERE l.user_id = :user_id
            ORDER BY l.created_at DESC, l.id DESC LIMIT :liked_posts
        ) liked JOIN posts p ON p.id = liked.post_id
    ) t
    GROUP BY t.tag
    ORDER BY affinity DESC, t.tag
    LIMIT :tags
), tagged AS (
    SELECT mt.tag, mt.affinity, p.author_id AS candidate_id, count(*) AS posts,
           sum(p.likes_count) AS likes, sum(p.comments_count) AS comments,
           sum(p.shares_count) AS shares
    FROM my_tags mt
    CROSS JOIN LATERAL (
        SELECT pp.author_id, pp.likes_count, pp.comments_count, pp.shares_count
        FROM post_tags pt
        JOIN posts pp ON pp.id = pt.post_id
        JOIN users u ON u.id = pp.author_id AND {_PUBLIC_ACTIVE}
        WHERE pt.tag = mt.tag
        ORDER BY pt.created_at DESC, pt.post_id DESC LIMIT :posts_per_tag
    ) p
    GROUP BY mt.tag, mt.affinity, p.author_id
), tagged_kept AS (
    SELECT * FROM (
        SELECT tg.*, row_number() OVER (
            PARTITION BY tg.tag
            ORDER BY tg.posts + tg.likes + 2 * tg.comments + 3 * tg.shares DESC, tg.candidate_id
        ) AS place
        FROM tagged tg WHERE {allowed("tg.candidate_id", known_active=True)}
    ) placed WHERE placed.place <= :per_tag
), active AS (
    SELECT p.author_id AS candidate_id, max(p.created_at) AS last_posted_at
    FROM (
        SELECT pp.author_id, pp.created_at FROM posts pp
        ORDER BY pp.created_at DESC, pp.id DESC LIMIT :recent_posts
    ) p JOIN users u ON u.id = p.author_id AND {_PUBLIC_ACTIVE}
    GROUP BY p.author_id
), active_kept AS (
    SELECT a.candidate_id, a.last_posted_at FROM active a
    WHERE {allowed("a.candidate_id", known_active=True)}
    ORDER BY a.last_posted_at DESC, a.candidate_id
    LIMIT :active
)
SELECT 'f' AS source, candidate_id, followees AS n, 0::bigint AS likes, 0::bigint AS comments,
       0::bigint AS shares, named AS label, 0 AS affinity, NULL::timestamptz AS at
FROM friends_named
UNION ALL
SELECT 't', candidate_id, posts, likes, comments, shares, tag, affinity, NULL FROM tagged_kept
UNION ALL
SELECT 'a', candidate_id, 0, 0, 0, 0, NULL, 0, last_posted_at FROM active_kept
"""  # noqa: S608 - fragments are constants

PAGE = f"""
SELECT s.candidate_id, s.rank, s.score, s.reason_kind, s.reason
FROM account_suggestions s
WHERE s.user_id = :user_id AND (s.rank, s.candidate_id) > (:after_rank, :after_id)
  AND {allowed("s.candidate_id")}
ORDER BY s.rank, s.candidate_id
LIMIT :limit
"""  # noqa: S608 - fragments are constants
"""One user's rows through the primary key's prefix (at most ``suggestions_kept`` of them)."""

STALE = """
SELECT r.user_id, EXISTS (
    SELECT 1 FROM auth_sessions a
    WHERE a.user_id = r.user_id AND coalesce(a.last_used_at, a.created_at) >= :active_since
) AS active
FROM account_suggestion_runs r
WHERE r.computed_at < :computed_before
ORDER BY r.computed_at, r.user_id
LIMIT :limit
"""
