"""Suggested accounts (DISC-1): where candidates come from, how they are ranked and the reason
each carries.

Three sources, gathered by the store in one go (``SuggestionStore.candidates``):

- **friends of friends**: accounts followed by the people the user follows, weighted by how
  many of them follow it. Only the user's most recently followed ``followees_sampled`` accounts
  are looked at, and of each only its ``follows_per_followee`` most recent follows, so a user
  following 10,000 costs what one following a few hundred does.
- **popular in your tags**: the public accounts whose recent posts carrying one of the user's
  tags engage the most. The user's tags are those of their own recent posts (weight 2 a post)
  and of the posts they liked lately (weight 1); search history is not stored, so searches do
  not count.
- **recently active**: public accounts that posted lately, for a user with nothing else to go
  on, and to fill the list up.

Ranking: a friend of friends scores one point per followee following it; popularity in a tag
adds up to one point (the user's affinity to the tag, relative to their strongest tag, times the
account's popularity there relative to the tag's most popular candidate). So a candidate two
followees follow comes before one followed by a single followee, and between those the one
popular in the user's tags comes first. Accounts only recently active come after every scored
one, most recently active first. Ties go to the lower id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from social.domain.posts.model import engagement

__all__ = [
    "CandidateBounds",
    "Candidates",
    "FollowedBy",
    "PopularInTag",
    "ReasonKind",
    "RecentlyActive",
    "Suggestion",
    "followed_by_reason",
    "rank_suggestions",
]


class ReasonKind(StrEnum):
    FOLLOWED_BY = "followed_by"
    """"followed by alice and 3 others": the user follows alice and three more who follow it."""
    POPULAR_IN_TAG = "popular_in_tag"
    """"popular in #sunset": its recent posts in one of the user's tags engage the most."""
    RECENTLY_ACTIVE = "recently_active"
    """"recently active": a public account that posted lately."""


@dataclass(frozen=True, slots=True)
class CandidateBounds:
    """How much of the graph and of the posts one computation may read: each bound caps an
    index range scan, so the cost is bounded whatever the user's size."""

    followees_sampled: int = 200
    """The user's most recently followed accounts whose follows are looked at."""
    follows_per_followee: int = 100
    """The most recent follows looked at per sampled followee."""
    own_posts: int = 50
    """The user's most recent posts whose tags count (each tag weighs 2)."""
    liked_posts: int = 100
    """The posts the user liked most recently whose tags count (each tag weighs 1)."""
    tags: int = 5
    """The user's strongest tags looked into."""
    posts_per_tag: int = 300
    """The most recent public posts of each tag whose authors are weighed."""
    recent_posts: int = 500
    """The most recent posts whose public authors count as recently active."""
    friends: int = 150
    """The friends of friends offered (the most followed), before ranking: more than are kept,
    since popularity in a tag may reorder those followed by as many."""
    per_tag: int = 50
    """The most popular accounts offered per tag."""
    active: int = 50
    """The most recently active accounts offered."""


@dataclass(frozen=True, slots=True)
class FollowedBy:
    """A friend of friends: ``followees`` of the user's (sampled) followees follow it,
    ``named`` being the one the user followed most recently."""

    candidate_id: UUID
    followees: int
    named: str


@dataclass(frozen=True, slots=True)
class PopularInTag:
    """A public account's recent posts carrying ``tag`` (one of the user's, weighing
    ``affinity``): how many, and the likes, comments and shares they drew."""

    candidate_id: UUID
    tag: str
    affinity: int
    posts: int
    likes: int = 0
    comments: int = 0
    shares: int = 0

    @property
    def popularity(self) -> int:
        return self.posts + engagement(self.likes, self.comments, self.shares)


@dataclass(frozen=True, slots=True)
class RecentlyActive:
    candidate_id: UUID
    last_posted_at: datetime


@dataclass(frozen=True, slots=True)
class Candidates:
    """What the sources offer for one user, every account already allowed (the store leaves
    out the user, the accounts they follow or asked to follow, blocked or muted either way,
    not active, or dismissed)."""

    followed_by: Sequence[FollowedBy] = field(default_factory=tuple)
    popular: Sequence[PopularInTag] = field(default_factory=tuple)
    active: Sequence[RecentlyActive] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One stored suggestion: ``rank`` 1 is the first shown; ``score`` is what ranked it (0
    for accounts only recently active)."""

    candidate_id: UUID
    rank: int
    score: float
    kind: ReasonKind
    reason: str


def followed_by_reason(named: str, followees: int) -> str:
    """ "followed by alice", "followed by alice and 1 other", "followed by alice and 3 others"."""
    others = followees - 1
    if others <= 0:
        return f"followed by {named}"
    return f"followed by {named} and {others} other{'s' if others > 1 else ''}"


def _tag_points(popular: Sequence[PopularInTag]) -> dict[UUID, tuple[float, str]]:
    """Per candidate, its best (points, tag): affinity share times popularity share."""
    strongest = max((p.affinity for p in popular), default=0)
    top: dict[str, int] = {}
    for p in popular:
        top[p.tag] = max(top.get(p.tag, 0), p.popularity)
    best: dict[UUID, tuple[float, str]] = {}
    for p in popular:
        if strongest <= 0 or top[p.tag] <= 0:
            continue
        points = (p.affinity / strongest) * (p.popularity / top[p.tag])
        held = best.get(p.candidate_id)
        if held is None or (-points, p.tag) < (-held[0], held[1]):
            best[p.candidate_id] = (points, p.tag)
    return best


def rank_suggestions(candidates: Candidates, keep: int) -> list[Suggestion]:
    """The ``keep`` best candidates in order, each with its reason (see the module's rules)."""
    in_tags = _tag_points(candidates.popular)
    scored: dict[UUID, tuple[float, ReasonKind, str]] = {}
    for f in candidates.followed_by:
        points = f.followees + in_tags.get(f.candidate_id, (0.0, ""))[0]
        reason = followed_by_reason(f.named, f.followees)
        scored[f.candidate_id] = (points, ReasonKind.FOLLOWED_BY, reason)
    for candidate_id, (points, tag) in in_tags.items():
        if candidate_id not in scored:
            scored[candidate_id] = (points, ReasonKind.POPULAR_IN_TAG, f"popular in #{tag}")
    ordered = sorted(scored.items(), key=lambda item: (-item[1][0], item[0]))
    active = sorted(
        candidates.active, key=lambda a: (-a.last_posted_at.timestamp(), a.candidate_id)
    )
    for a in active:
        if a.candidate_id not in scored:
            scored[a.candidate_id] = (0.0, ReasonKind.RECENTLY_ACTIVE, "recently active")
            ordered.append((a.candidate_id, scored[a.candidate_id]))
    return [
        Suggestion(candidate_id, rank, points, kind, reason)
        for rank, (candidate_id, (points, kind, reason)) in enumerate(ordered[:keep], start=1)
    ]
