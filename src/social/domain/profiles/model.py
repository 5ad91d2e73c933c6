"""The read model of a profile as one viewer sees it."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.accounts.model import User
from social.domain.graph.model import Ties
from social.domain.media.model import MediaItem

__all__ = ["ProfileView", "Relationship"]


@dataclass(frozen=True, slots=True)
class Relationship:
    """How the viewer stands towards the profile's owner."""

    following: bool = False
    requested: bool = False
    followed_by: bool = False
    blocking: bool = False
    muting: bool = False

    @classmethod
    def from_ties(cls, ties: Ties) -> Relationship:
        return cls(ties.following, ties.requested, ties.followed_by, ties.blocking, ties.muting)


@dataclass(frozen=True, slots=True)
class ProfileView:
    user: User
    relationship: Relationship | None
    """``None`` for anonymous viewers."""
    avatar: MediaItem | None = None
