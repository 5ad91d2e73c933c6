"""In-memory fakes of the read model's database side: the viewer's overlay and the contents
of presentations, both reading the fake store's committed state (as the real ones read
committed rows). Revisions are derived from the presented fields themselves, so any change
to them is a new revision, as the database's triggers make it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from social.adapters.read_model.content import AccountContent, PostContent
from social.domain.accounts.model import User
from social.domain.discovery.suggested_posts import CandidateBounds
from social.domain.graph.model import Ties
from social.domain.media.model import MediaItem
from social.domain.posts.model import Post, engagement
from social.domain.reads.model import (
    AccountCard,
    AccountState,
    Comment,
    Overlay,
    PostCard,
    PostState,
    ViewerFlags,
)
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor
from social.domain.shared.tags import normalize_tag
from tests.fakes.accounts import AccountsStore
from tests.fakes.interactions import keyset
from tests.fakes.suggested_posts import suggested_posts

__all__ = ["InMemoryContentSource", "InMemoryListings", "InMemoryViewerOverlay", "shown"]


def _revision(*fields: object) -> int:
    return hash(fields) & 0x7FFFFFFF


def _media_fields(item: MediaItem | None) -> object:
    if item is None:
        return None
    return (item.kind, item.status, item.width, item.height, item.blurhash, item.variants,
            item.error, item.alt_text, item.duration_s)  # fmt: skip


def post_revision(store: AccountsStore, post: Post) -> int:
    media = tuple(_media_fields(store.media.get(m)) for m in post.media_ids)
    return _revision(post.caption, post.tags, post.mentions, post.place, post.comments_enabled,
                     post.created_at, post.edited_at, media)  # fmt: skip


def account_revision(store: AccountsStore, user: User) -> int:
    avatar = store.media.get(user.avatar_media_id) if user.avatar_media_id else None
    return _revision(user.username, user.display_name, user.bio, user.website,
                     user.created_at, user.avatar_media_id, _media_fields(avatar))  # fmt: skip


class InMemoryViewerOverlay:
    def __init__(self, store: AccountsStore) -> None:
        self._store = store

    async def overlay(
        self,
        viewer_id: UUID | None,
        post_ids: Collection[UUID] = (),
        account_ids: Collection[UUID] = (),
        share_ids: Collection[UUID] = (),
    ) -> Overlay:
        s = self._store
        posts = {
            p.id: PostState(
                p.id,
                p.author_id,
                post_revision(s, p),
                p.likes_count,
                p.comments_count,
                p.shares_count,
            )
            for i in post_ids
            if (p := s.posts.get(i)) is not None
        }
        wanted = [*account_ids, *(p.author_id for p in posts.values())]
        return self._with_accounts(viewer_id, posts, wanted, share_ids)

    async def account_named(self, viewer_id: UUID | None, username: str) -> Overlay:
        found = [u.id for u in self._store.users.values() if u.username == username]
        return self._with_accounts(viewer_id, {}, found, ())

    def _with_accounts(
        self,
        viewer_id: UUID | None,
        posts: dict[UUID, PostState],
        account_ids: Collection[UUID],
        share_ids: Collection[UUID],
    ) -> Overlay:
        s = self._store
        accounts = {
            u.id: AccountState(
                u.id,
                account_revision(s, u),
                u.status,
                u.is_private,
                u.posts_count,
                u.followers_count,
                u.following_count,
            )
            for i in account_ids
            if (u := s.users.get(i)) is not None
        }
        ties: dict[UUID, Ties] = {}
        flags: dict[UUID, ViewerFlags] = {}
        if viewer_id is not None:
            for other in accounts:
                tie = self._ties(viewer_id, other)
                if tie != Ties():
                    ties[other] = tie
            for post_id in posts:
                mine = ViewerFlags(
                    liked=(viewer_id, post_id) in s.likes,
                    bookmarked=(viewer_id, post_id) in s.bookmarks,
                    shared=(viewer_id, post_id) in s.shares,
                )
                if mine != ViewerFlags():
                    flags[post_id] = mine
        standing = {edge.id for edge in s.shares.values()}
        return Overlay(
            posts=posts,
            accounts=accounts,
            ties=ties,
            flags=flags,
            shares=frozenset(i for i in share_ids if i in standing),
        )

    def _ties(self, me: UUID, other: UUID) -> Ties:
        s = self._store
        return Ties(
            following=(me, other) in s.follows,
            requested=any(
                r.requester_id == me and r.target_id == other for r in s.requests.values()
            ),
            followed_by=(other, me) in s.follows,
            blocking=(me, other) in s.blocks,
            blocked_by=(other, me) in s.blocks,
            muting=(me, other) in s.mutes,
        )


class InMemoryContentSource:
    def __init__(self, store: AccountsStore) -> None:
        self._store = store

    async def posts(self, ids: Collection[UUID]) -> list[PostContent]:
        s = self._store
        return [
            PostContent(
                id=p.id,
                revision=post_revision(s, p),
                caption=p.caption,
                tags=p.tags,
                mentions=p.mentions,
                place=p.place,
                media=tuple(s.media[m] for m in p.media_ids if m in s.media),
                comments_enabled=p.comments_enabled,
                created_at=p.created_at,
                edited_at=p.edited_at,
            )
            for i in ids
            if (p := s.posts.get(i)) is not None
        ]

    async def accounts(self, ids: Collection[UUID]) -> list[AccountContent]:
        s = self._store
        return [
            AccountContent(
                id=u.id,
                revision=account_revision(s, u),
                username=u.username,
                display_name=u.display_name,
                bio=u.bio,
                website=u.website,
                avatar=s.media.get(u.avatar_media_id) if u.avatar_media_id else None,
                created_at=u.created_at,
            )
            for i in ids
            if (u := s.users.get(i)) is not None
        ]


class InMemoryListings:
    """The same pages from the fake store's committed state."""

    def __init__(
        self, store: AccountsStore, *, suggestion_bounds: CandidateBounds | None = None
    ) -> None:
        self._store = store
        self._suggestion_bounds = suggestion_bounds or CandidateBounds()

    async def posts_by_author(
        self, author_id: UUID, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        posts = self._store.posts.values()
        return keyset([(p.created_at, p.id, p.id) for p in posts if p.author_id == author_id], page)

    async def posts_by_author_tagged(
        self, author_id: UUID, tag: str, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        wanted = normalize_tag(tag)
        posts = self._store.posts.values()
        rows = [
            (p.created_at, p.id, p.id)
            for p in posts
            if p.author_id == author_id and wanted and wanted in p.tags
        ]
        return keyset(rows, page)

    async def public_posts_tagged(self, tag: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        wanted = normalize_tag(tag)
        rows = [
            (p.created_at, p.id, p.id)
            for p in self._store.posts.values()
            if wanted and wanted in p.tags and self._public(p.author_id)
        ]
        return keyset(rows, page)

    async def count_public_posts_tagged(self, tag: str, *, at_most: int) -> int:
        wanted = normalize_tag(tag)
        return min(
            at_most,
            sum(
                1
                for p in self._store.posts.values()
                if wanted and wanted in p.tags and self._public(p.author_id)
            ),
        )

    async def popular_posts_since(
        self, since: datetime, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        ranked = sorted(
            (
                (engagement(p.likes_count, p.comments_count, p.shares_count), p.id)
                for p in self._store.posts.values()
                if p.created_at > since and self._public(p.author_id)
            ),
            reverse=True,
        )
        if page.after is not None:
            after = (int(page.after.rank), page.after.id)
            ranked = [r for r in ranked if r < after]
        items = ranked[: page.limit]
        last = items[-1] if len(ranked) > page.limit else None
        return Page([i for _, i in items], RankCursor(float(last[0]), last[1]) if last else None)

    async def suggested_posts(
        self, viewer_id: UUID, since: datetime, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        return suggested_posts(self._store, viewer_id, since, page, self._suggestion_bounds)

    async def bookmarked_posts(
        self, user_id: UUID, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        edges = self._store.bookmarks.values()
        return keyset(
            [(e.created_at, e.id, e.post_id) for e in edges if e.user_id == user_id], page
        )

    async def liked_posts(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        edges = self._store.likes.values()
        return keyset(
            [(e.created_at, e.id, e.post_id) for e in edges if e.user_id == user_id], page
        )

    async def likers(self, post_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        edges = self._store.likes.values()
        return keyset(
            [(e.created_at, e.id, e.user_id) for e in edges if e.post_id == post_id], page
        )

    async def sharers(self, post_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        edges = self._store.shares.values()
        return keyset(
            [(e.created_at, e.id, e.user_id) for e in edges if e.post_id == post_id], page
        )

    async def followers(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        follows = self._store.follows.values()
        rows = [(f.created_at, f.id, f.follower_id) for f in follows if f.followee_id == user_id]
        return keyset(rows, page)

    async def following(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        follows = self._store.follows.values()
        rows = [(f.created_at, f.id, f.followee_id) for f in follows if f.follower_id == user_id]
        return keyset(rows, page)

    async def blocked(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        blocks = self._store.blocks.items()
        return keyset([(at, b, b) for (a, b), at in blocks if a == user_id], page)

    async def muted(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        mutes = self._store.mutes.items()
        return keyset([(at, b, b) for (a, b), at in mutes if a == user_id], page)

    async def comments(
        self, post_id: UUID, parent_id: UUID | None, page: PageRequest[Cursor]
    ) -> Page[Comment, Cursor]:
        comments = self._store.comments
        rows = [
            (c.created_at, c.id, c.id)
            for c in comments.values()
            if c.post_id == post_id and c.parent_id == parent_id
        ]
        ids = keyset(rows, page, newest_first=False)
        return Page([comments[i] for i in ids.items], ids.next_cursor)

    async def comment(self, comment_id: UUID) -> Comment | None:
        return self._store.comments.get(comment_id)

    async def comments_by_id(self, comment_ids: Collection[UUID]) -> dict[UUID, Comment]:
        found = self._store.comments
        return {i: found[i] for i in comment_ids if i in found}

    def _public(self, author_id: UUID) -> bool:
        author = self._store.users.get(author_id)
        return author is not None and not author.is_private and author.is_active


def shown(card: PostCard | AccountCard) -> dict[str, Any]:
    """What a card's presentation says (its JSON, completed)."""
    decoded: dict[str, Any] = msgspec.json.decode(card.presented + b"}")
    return decoded
