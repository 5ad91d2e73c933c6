"""The in-memory suggestion store (``domain/discovery``), working on a unit of work's copy of
the store: the same sources, bounds, exclusions and orders as the PostgreSQL statement
(``adapters/postgres/suggestion_queries.py``), held to them by the contract suite."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.discovery.account_suggestions import (
    CandidateBounds,
    Candidates,
    FollowedBy,
    PopularInTag,
    RecentlyActive,
    Suggestion,
)
from social.domain.discovery.ports import StaleUsers
from social.domain.posts.model import Post
from social.domain.shared.pagination import Page, PageRequest, RankCursor, page_of

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemorySuggestionStore"]

_NO_ID = UUID(int=0)
_MAX_RANK = 2**31 - 1


class InMemorySuggestionStore:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    def allowed(self, user_id: UUID, candidate_id: UUID) -> bool:
        w, pair, back = self._w, (user_id, candidate_id), (candidate_id, user_id)
        account = w.users.get(candidate_id)
        return (
            candidate_id != user_id
            and account is not None
            and account.is_active
            and pair not in w.follows
            and not any(
                r.requester_id == user_id and r.target_id == candidate_id
                for r in w.requests.values()
            )
            and pair not in w.blocks
            and back not in w.blocks
            and pair not in w.mutes
            and back not in w.mutes
            and pair not in w.suggestion_dismissals
        )

    async def candidates(self, user_id: UUID, bounds: CandidateBounds) -> Candidates:
        return Candidates(
            self._friends(user_id, bounds),
            self._popular(user_id, bounds),
            self._active(user_id, bounds),
        )

    def _friends(self, user_id: UUID, b: CandidateBounds) -> list[FollowedBy]:
        w = self._w
        mine = sorted(
            (
                f
                for f in w.follows.values()
                if f.follower_id == user_id and _active(w, f.followee_id)
            ),
            key=lambda f: (f.created_at, f.id),
            reverse=True,
        )[: b.followees_sampled]
        counts: Counter[UUID] = Counter()
        named: dict[UUID, UUID] = {}
        for followee in mine:  # most recently followed first: the first to follow one names it
            theirs = sorted(
                (f for f in w.follows.values() if f.follower_id == followee.followee_id),
                key=lambda f: (f.created_at, f.id),
                reverse=True,
            )[: b.follows_per_followee]
            for follow in theirs:
                counts[follow.followee_id] += 1
                named.setdefault(follow.followee_id, followee.followee_id)
        kept = sorted(
            (c for c in counts if self.allowed(user_id, c)), key=lambda c: (-counts[c], c)
        )[: b.friends]
        return [FollowedBy(c, counts[c], w.users[named[c]].username) for c in kept]

    def _affinities(self, user_id: UUID, b: CandidateBounds) -> list[tuple[str, int]]:
        w = self._w
        own = _newest((p for p in w.posts.values() if p.author_id == user_id), b.own_posts)
        liked = sorted(
            (e for e in w.likes.values() if e.user_id == user_id),
            key=lambda e: (e.created_at, e.id),
            reverse=True,
        )[: b.liked_posts]
        weights: Counter[str] = Counter()
        for post in own:
            for tag in post.tags:
                weights[tag] += 2
        for like in liked:
            if (liked_post := w.posts.get(like.post_id)) is not None:
                for tag in liked_post.tags:
                    weights[tag] += 1
        return sorted(weights.items(), key=lambda item: (-item[1], item[0]))[: b.tags]

    def _popular(self, user_id: UUID, b: CandidateBounds) -> list[PopularInTag]:
        w, found = self._w, []
        for tag, affinity in self._affinities(user_id, b):
            tagged = (p for p in w.posts.values() if tag in p.tags and _public(w, p.author_id))
            by_author: dict[UUID, list[Post]] = {}
            for post in _newest(tagged, b.posts_per_tag):
                by_author.setdefault(post.author_id, []).append(post)
            ranked = sorted(
                (
                    PopularInTag(
                        author,
                        tag,
                        affinity,
                        len(posts),
                        sum(p.likes_count for p in posts),
                        sum(p.comments_count for p in posts),
                        sum(p.shares_count for p in posts),
                    )
                    for author, posts in by_author.items()
                    if self.allowed(user_id, author)
                ),
                key=lambda p: (-p.popularity, p.candidate_id),
            )
            found.extend(ranked[: b.per_tag])
        return found

    def _active(self, user_id: UUID, b: CandidateBounds) -> list[RecentlyActive]:
        latest: dict[UUID, datetime] = {}
        for post in _newest(self._w.posts.values(), b.recent_posts):
            if _public(self._w, post.author_id):
                latest[post.author_id] = max(
                    latest.get(post.author_id, post.created_at), post.created_at
                )
        kept = sorted(
            (a for a in latest if self.allowed(user_id, a)),
            key=lambda a: (-latest[a].timestamp(), a),
        )[: b.active]
        return [RecentlyActive(a, latest[a]) for a in kept]

    async def replace(
        self, user_id: UUID, suggestions: Sequence[Suggestion], computed_at: datetime
    ) -> None:
        self._w.suggestion_runs[user_id] = computed_at
        self._w.suggestions[user_id] = tuple(suggestions)

    async def claim_run(
        self, user_id: UUID, at: datetime, unless_after: datetime
    ) -> datetime | None:
        last = self._w.suggestion_runs.get(user_id)
        if last is not None and last > unless_after:
            return last
        self._w.suggestion_runs[user_id] = at
        return None

    async def followed_since_run(self, user_id: UUID) -> bool:
        last = self._w.suggestion_runs.get(user_id)
        return last is not None and any(
            f.follower_id == user_id and f.created_at > last for f in self._w.follows.values()
        )

    async def page(
        self, user_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[Suggestion, RankCursor] | None:
        after = page.after
        key = (_after_rank(after), after.id if after is not None else _NO_ID)
        rows = sorted(
            (
                s
                for s in self._w.suggestions.get(user_id, ())
                if (s.rank, s.candidate_id) > key and self.allowed(user_id, s.candidate_id)
            ),
            key=lambda s: (s.rank, s.candidate_id),
        )[: page.limit + 1]
        if not rows and after is None and user_id not in self._w.suggestion_runs:
            return None
        return page_of(
            rows, page.limit, lambda s: s, lambda s: RankCursor(float(s.rank), s.candidate_id)
        )

    async def dismiss(self, user_id: UUID, candidate_id: UUID, at: datetime) -> None:
        self._w.suggestion_dismissals.setdefault((user_id, candidate_id), at)
        kept = self._w.suggestions.get(user_id)
        if kept is not None:
            self._w.suggestions[user_id] = tuple(s for s in kept if s.candidate_id != candidate_id)

    async def stale(
        self, computed_before: datetime, active_since: datetime, limit: int
    ) -> StaleUsers:
        runs = self._w.suggestion_runs
        oldest = sorted((at, u) for u, at in runs.items() if at < computed_before)[:limit]
        recent = {
            s.user_id
            for s in self._w.sessions.values()
            if (s.last_used_at or s.created_at) >= active_since
        }
        return StaleUsers(
            active=[u for _, u in oldest if u in recent],
            idle=[u for _, u in oldest if u not in recent],
        )

    async def forget(self, user_ids: Collection[UUID]) -> None:
        for user_id in user_ids:
            self._w.suggestions.pop(user_id, None)
            self._w.suggestion_runs.pop(user_id, None)


def _after_rank(cursor: RankCursor | None) -> int:
    if cursor is None or math.isnan(cursor.rank):
        return 0
    return int(max(0.0, min(cursor.rank, float(_MAX_RANK))))


def _newest(posts: Iterable[Post], limit: int) -> list[Post]:
    return sorted(posts, key=lambda p: (p.created_at, p.id), reverse=True)[:limit]


def _active(w: AccountsStore, user_id: UUID) -> bool:
    account = w.users.get(user_id)
    return account is not None and account.is_active


def _public(w: AccountsStore, user_id: UUID) -> bool:
    account = w.users.get(user_id)
    return account is not None and account.is_active and not account.is_private
