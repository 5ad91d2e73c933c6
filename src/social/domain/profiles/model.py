"""The read model of a profile as one viewer sees it."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.accounts.model import User

__all__ = ["ProfileView", "Relationship"]


@dataclass(frozen=True, slots=True)
class Relationship:
    """How the viewer stands towards the profile's owner."""

    following: bool = False
    requested: bool = False
    followed_by: bool = False
    blocking: bool = False
    muting: bool = False


@dataclass(frozen=True, slots=True)
class ProfileView:
    user: User
    relationship: Relationship | None
    """``None`` for anonymous viewers."""
