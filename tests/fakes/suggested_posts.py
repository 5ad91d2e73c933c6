"""The suggested posts listing (DISC-2) over the fake store's committed state: the same
candidates, exclusions and score as ``adapters/postgres/suggested_posts.py`` (which reads only
the window's likes and shares as seen: the same, as none is older than its post)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from social.domain.discovery.suggested_posts import (
    COMMENTS_READ,
    LIKES_READ,
    OWN_POSTS_READ,
    suggestion_score,
)
from social.domain.posts.model import engagement
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
    store: AccountsStore, me: UUID, since: datetime, page: PageRequest[RankCursor]
) -> Page[UUID, RankCursor]:
    tags, authors = _taste(store, me)
    ranked = sorted(
        (
            (
                suggestion_score(
                    engagement(p.likes_count, p.comments_count, p.shares_count),
                    len(tags.intersection(p.tags)),
                    p.author_id in authors,
                ),
                p.id,
            )
            for p in store.posts.values()
            if p.created_at > since and _suggestible(store, me, p.id, p.author_id)
        ),
        reverse=True,
    )
    if page.after is not None:
        after = (page.after.rank, page.after.id)
        ranked = [r for r in ranked if r < after]
    items = ranked[: page.limit]
    last = items[-1] if len(ranked) > page.limit else None
    return Page([i for _, i in items], RankCursor(float(last[0]), last[1]) if last else None)


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


def _suggestible(store: AccountsStore, me: UUID, post_id: UUID, author_id: UUID) -> bool:
    author = store.users.get(author_id)
    if author is None or author.is_private or not author.is_active or author_id == me:
        return False
    followees = {b for (a, b) in store.follows if a == me}
    return not (
        author_id in followees
        or (me, post_id) in store.likes
        or (me, post_id) in store.shares
        or any(e.post_id == post_id and e.user_id in followees for e in store.shares.values())
        or {(me, author_id), (author_id, me)} & (store.blocks.keys() | store.mutes.keys())
    )
