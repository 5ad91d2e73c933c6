"""The suggested posts listing (DISC-2) over the fake store's committed state: the same
candidates (the window's hot pool, the viewer's newest tagged posts, their authors' newest),
exclusions and score as ``adapters/postgres/suggested_posts.py`` (which reads only the window's
likes and shares as seen: the same, as none is older than its post, and keeps its hot pool a
minute: here it is always read afresh)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from social.domain.discovery.suggested_posts import (
    COMMENTS_READ,
    LIKES_READ,
    OWN_POSTS_READ,
    CandidateBounds,
    suggestion_score,
)
from social.domain.posts.model import Post, engagement
from social.domain.shared.pagination import Page, PageRequest, RankCursor
from tests.fakes.accounts import AccountsStore

__all__ = ["suggested_posts"]


class _Dated(Protocol):
    @property
    def id(self) -> UUID: ...

    @property
    def created_at(self) -> datetime: ...


_Row = TypeVar("_Row", bound=_Dated)


def suggested_posts(
    store: AccountsStore,
    me: UUID,
    since: datetime,
    page: PageRequest[RankCursor],
    bounds: CandidateBounds,
) -> Page[UUID, RankCursor]:
    tags, authors = _taste(store, me)
    passed = _passed(store, me)
    recent = [p for p in store.posts.values() if p.created_at > since]
    candidates = {p.id: p for p in _hot(store, recent, bounds.hot_pool)}
    tagged = (p for p in recent if tags.intersection(p.tags) and p.author_id not in passed)
    candidates |= {p.id: p for p in _newest(tagged, bounds.tagged)}
    for author in authors - passed:
        theirs = (p for p in recent if p.author_id == author)
        candidates |= {p.id: p for p in _newest(theirs, bounds.per_author)}
    ranked = sorted(
        (
            (
                suggestion_score(
                    _engagement(p), len(tags.intersection(p.tags)), p.author_id in authors
                ),
                p.id,
            )
            for p in candidates.values()
            if _suggestible(store, me, passed, p)
        ),
        reverse=True,
    )
    if page.after is not None:
        after = (page.after.rank, page.after.id)
        ranked = [r for r in ranked if r < after]
    items = ranked[: page.limit]
    last = items[-1] if len(ranked) > page.limit else None
    return Page([i for _, i in items], RankCursor(float(last[0]), last[1]) if last else None)


def _engagement(post: Post) -> int:
    return engagement(post.likes_count, post.comments_count, post.shares_count)


def _public(store: AccountsStore, author_id: UUID) -> bool:
    author = store.users.get(author_id)
    return author is not None and not author.is_private and author.is_active


def _hot(store: AccountsStore, recent: list[Post], size: int) -> list[Post]:
    """The window's ``size`` most engaging posts of public, active accounts."""
    public = (p for p in recent if _public(store, p.author_id))
    return sorted(public, key=lambda p: (_engagement(p), p.id), reverse=True)[:size]


def _newest(rows: Iterable[_Row], many: int) -> list[_Row]:
    """The ``many`` newest rows by (time, id), as ``ORDER BY created_at DESC, id DESC``."""
    return sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)[:many]


def _taste(store: AccountsStore, me: UUID) -> tuple[set[str], set[UUID]]:
    """The viewer's tags and authors, read as the SQL's CTEs read them."""
    posts = store.posts
    likes = _newest((e for e in store.likes.values() if e.user_id == me), LIKES_READ)
    liked = [posts[e.post_id] for e in likes if e.post_id in posts]
    own = _newest((p for p in posts.values() if p.author_id == me), OWN_POSTS_READ)
    commented = _newest((c for c in store.comments.values() if c.author_id == me), COMMENTS_READ)
    tags = {t for p in [*own, *liked] for t in p.tags}
    authors = {p.author_id for p in liked}
    authors |= {posts[c.post_id].author_id for c in commented if c.post_id in posts}
    return tags, authors


def _passed(store: AccountsStore, me: UUID) -> set[UUID]:
    """The viewer, their followees, and the accounts blocking or muting them or blocked or
    muted by them."""
    passed = {me} | {b for (a, b) in store.follows if a == me}
    for a, b in store.blocks.keys() | store.mutes.keys():
        if me in (a, b):
            passed |= {a, b}
    return passed


def _suggestible(store: AccountsStore, me: UUID, passed: set[UUID], post: Post) -> bool:
    if not _public(store, post.author_id) or post.author_id in passed:
        return False
    followees = {b for (a, b) in store.follows if a == me}
    return not (
        (me, post.id) in store.likes
        or (me, post.id) in store.shares
        or any(e.post_id == post.id and e.user_id in followees for e in store.shares.values())
    )
