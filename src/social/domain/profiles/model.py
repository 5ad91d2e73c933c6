"""The read model of a profile as one viewer sees it."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.accounts.model import User
from social.domain.graph.model import Relationship
from social.domain.media.model import MediaItem

__all__ = ["ProfileView"]


@dataclass(frozen=True, slots=True)
class ProfileView:
    user: User
    relationship: Relationship | None
    """``None`` for anonymous viewers."""
    avatar: MediaItem | None = None
