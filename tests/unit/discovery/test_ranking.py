"""How suggested accounts are ranked and explained (``account_suggestions.py``): pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from social.domain.discovery.account_suggestions import (
    Candidates,
    FollowedBy,
    PopularInTag,
    ReasonKind,
    RecentlyActive,
    Suggestion,
    followed_by_reason,
    rank_suggestions,
)

A, B, C, D, E, F = (UUID(int=n) for n in range(1, 7))
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def ago(minutes: int) -> datetime:
    return NOW - timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("followees", "reason"),
    [
        (1, "followed by alice"),
        (2, "followed by alice and 1 other"),
        (4, "followed by alice and 3 others"),
    ],
)
def test_the_followed_by_reason_names_one_followee_and_counts_the_others(
    followees: int, reason: str
) -> None:
    assert followed_by_reason("alice", followees) == reason


def test_more_followees_rank_first_and_popularity_in_a_tag_breaks_the_tie() -> None:
    found = Candidates(
        followed_by=[FollowedBy(A, 1, "ann"), FollowedBy(B, 2, "bob"), FollowedBy(C, 1, "cy")],
        popular=[PopularInTag(C, "sunset", affinity=3, posts=2, likes=1)],
    )
    assert rank_suggestions(found, keep=10) == [
        Suggestion(B, 1, 2.0, ReasonKind.FOLLOWED_BY, "followed by bob and 1 other"),
        Suggestion(C, 2, 2.0, ReasonKind.FOLLOWED_BY, "followed by cy"),  # 1 + a full point
        Suggestion(A, 3, 1.0, ReasonKind.FOLLOWED_BY, "followed by ann"),
    ]


def test_tag_points_are_affinity_share_times_popularity_share_under_the_best_tag() -> None:
    found = Candidates(
        popular=[
            PopularInTag(A, "sea", affinity=4, posts=1, likes=3),  # 1 * 4/4
            PopularInTag(B, "sea", affinity=4, posts=1, likes=1),  # 1 * 2/4
            PopularInTag(C, "alps", affinity=2, posts=2, comments=1),  # 1/2 * 4/4
            PopularInTag(
                B, "alps", affinity=2, posts=1, shares=1
            ),  # 1/2: ties with sea, alps wins by name
            PopularInTag(D, "alps", affinity=2, posts=1),  # 1/2 * 1/4
        ]
    )
    assert rank_suggestions(found, keep=10) == [
        Suggestion(A, 1, 1.0, ReasonKind.POPULAR_IN_TAG, "popular in #sea"),
        Suggestion(B, 2, 0.5, ReasonKind.POPULAR_IN_TAG, "popular in #alps"),
        Suggestion(C, 3, 0.5, ReasonKind.POPULAR_IN_TAG, "popular in #alps"),
        Suggestion(D, 4, 0.125, ReasonKind.POPULAR_IN_TAG, "popular in #alps"),
    ]


def test_recently_active_accounts_fill_up_after_the_scored_ones() -> None:
    found = Candidates(
        followed_by=[FollowedBy(E, 1, "eve")],
        popular=[PopularInTag(F, "sea", affinity=1, posts=1)],
        active=[
            RecentlyActive(A, ago(30)),
            RecentlyActive(E, ago(1)),  # already scored: its reason stays
            RecentlyActive(C, ago(5)),
            RecentlyActive(B, ago(5)),
        ],
    )
    assert [(s.candidate_id, s.rank, s.kind) for s in rank_suggestions(found, keep=10)] == [
        (E, 1, ReasonKind.FOLLOWED_BY),
        (F, 2, ReasonKind.POPULAR_IN_TAG),
        (B, 3, ReasonKind.RECENTLY_ACTIVE),
        (C, 4, ReasonKind.RECENTLY_ACTIVE),
        (A, 5, ReasonKind.RECENTLY_ACTIVE),
    ]
    assert rank_suggestions(found, keep=10)[-1] == Suggestion(
        A, 5, 0.0, ReasonKind.RECENTLY_ACTIVE, "recently active"
    )


def test_only_the_best_are_kept_and_nothing_gives_nothing() -> None:
    found = Candidates(followed_by=[FollowedBy(c, 1, "x") for c in (D, C, B, A)])
    assert [s.candidate_id for s in rank_suggestions(found, keep=2)] == [A, B]
    assert rank_suggestions(Candidates(), keep=50) == []
