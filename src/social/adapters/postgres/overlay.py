"""The viewer's overlay of a page in one statement on asyncpg: fresh state of the posts and
accounts, the viewer's ties and flags, and which shares still stand."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from social.adapters.postgres.read_pool import ReadPool
from social.domain.accounts.model import AccountStatus
from social.domain.graph.model import Ties
from social.domain.reads.model import AccountState, Overlay, PostState, ViewerFlags

__all__ = ["AsyncpgViewerOverlay"]

_POST, _ACCOUNT, _SHARE = 1, 2, 3

_EDGES = {
    # a probe of a unique index each, $1 being the viewer
    "liked": "EXISTS (SELECT 1 FROM likes WHERE user_id = $1 AND post_id = p.id)",
    "bookmarked": "EXISTS (SELECT 1 FROM bookmarks WHERE user_id = $1 AND post_id = p.id)",
    "shared": "EXISTS (SELECT 1 FROM shares WHERE user_id = $1 AND post_id = p.id)",
    "following": "EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = a.id)",
    "followed_by": "EXISTS (SELECT 1 FROM follows WHERE follower_id = a.id AND followee_id = $1)",
    "requested": "EXISTS (SELECT 1 FROM follow_requests WHERE requester_id = $1 "
    "AND target_id = a.id)",
    "blocking": "EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = a.id)",
    "blocked_by": "EXISTS (SELECT 1 FROM blocks WHERE blocker_id = a.id AND blocked_id = $1)",
    "muting": "EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = a.id)",
}
_POST_FLAGS = ("liked", "bookmarked", "shared")
_TIES = ("following", "followed_by", "requested", "blocking", "blocked_by", "muting")


def _bits(names: Sequence[str], signed_in: bool) -> str:
    """The edges as one integer, bit i for ``names[i]`` (one column to send and to read)."""
    if not signed_in:
        return "0"
    # each shift in parentheses: PostgreSQL gives ``|`` and ``<<`` the same precedence
    return " | ".join(f"(({_EDGES[name]})::int << {i})" for i, name in enumerate(names))


def _statement(accounts_where: str, *, signed_in: bool) -> str:
    """Rows of three kinds in one result: posts, accounts (those asked and the posts' authors)
    and standing shares. Columns: kind, id, author, revision, three counters, status, private,
    and the edges as bits (a post's flags, an account's ties)."""
    return f"""
WITH viewer AS (SELECT $1::uuid AS id),  -- types $1 when no edge refers to it
p AS (
    SELECT id, author_id, revision, likes_count, comments_count, shares_count
    FROM posts WHERE id = ANY($2::uuid[])
), a AS (
    SELECT id, revision, status, is_private, posts_count, followers_count, following_count
    FROM users WHERE {accounts_where}
)
SELECT {_POST} AS kind, p.id, p.author_id, p.revision, p.likes_count, p.comments_count,
       p.shares_count, NULL::text AS status, NULL::boolean AS is_private,
       {_bits(_POST_FLAGS, signed_in)} AS edges
FROM p
UNION ALL
SELECT {_ACCOUNT}, a.id, NULL, a.revision, a.posts_count, a.followers_count,
       a.following_count, a.status, a.is_private, {_bits(_TIES, signed_in)}
FROM a
UNION ALL
SELECT {_SHARE}, s.id, NULL, 0, 0, 0, 0, NULL, NULL, 0
FROM shares s WHERE s.id = ANY($4::uuid[])
"""  # noqa: S608 (assembled from constants)


_BY_IDS = "id = ANY(ARRAY(SELECT author_id FROM p) || $3::uuid[])"
_BY_NAME = "username = $3"
_SIGNED_IN = _statement(_BY_IDS, signed_in=True)
_ANONYMOUS = _statement(_BY_IDS, signed_in=False)
_NAMED_SIGNED_IN = _statement(_BY_NAME, signed_in=True)
_NAMED_ANONYMOUS = _statement(_BY_NAME, signed_in=False)
_STATUS = {status.value: status for status in AccountStatus}
_FLAGS = [ViewerFlags(*(bool(bits >> i & 1) for i in range(3))) for bits in range(8)]
_TIES_BY_BITS = [
    Ties(**{name: bool(bits >> i & 1) for i, name in enumerate(_TIES)}) for bits in range(64)
]


class AsyncpgViewerOverlay:
    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool

    async def overlay(
        self,
        viewer_id: UUID | None,
        post_ids: Collection[UUID] = (),
        account_ids: Collection[UUID] = (),
        share_ids: Collection[UUID] = (),
    ) -> Overlay:
        sql = _SIGNED_IN if viewer_id is not None else _ANONYMOUS
        rows = await self._pool.fetch(
            sql, viewer_id, list(post_ids), list(account_ids), list(share_ids)
        )
        return _overlay(rows)

    async def account_named(self, viewer_id: UUID | None, username: str) -> Overlay:
        sql = _NAMED_SIGNED_IN if viewer_id is not None else _NAMED_ANONYMOUS
        return _overlay(await self._pool.fetch(sql, viewer_id, [], username, []))


def _overlay(rows: Sequence[Any]) -> Overlay:
    posts: dict[UUID, PostState] = {}
    accounts: dict[UUID, AccountState] = {}
    ties: dict[UUID, Ties] = {}
    flags: dict[UUID, ViewerFlags] = {}
    shares: set[UUID] = set()
    for kind, id_, author_id, revision, n1, n2, n3, status, private, edges in rows:
        if kind == _POST:
            posts[id_] = PostState(id_, author_id, revision, n1, n2, n3)
            if edges:
                flags[id_] = _FLAGS[edges]
        elif kind == _ACCOUNT:
            accounts[id_] = AccountState(id_, revision, _STATUS[status], private, n1, n2, n3)
            if edges:
                ties[id_] = _TIES_BY_BITS[edges]
        else:
            shares.add(id_)
    return Overlay(posts=posts, accounts=accounts, ties=ties, flags=flags, shares=frozenset(shares))
