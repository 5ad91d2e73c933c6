"""Edges of the social graph and the facts between two accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias
from uuid import UUID

__all__ = ["AccountRef", "Follow", "FollowRequest", "FollowState", "Relationship", "Ties"]

AccountRef: TypeAlias = str | UUID
"""How a caller names an account: its username (the native API) or its id (the app API)."""


class FollowState(StrEnum):
    FOLLOWING = "following"
    REQUESTED = "requested"


@dataclass(frozen=True, slots=True)
class Follow:
    id: UUID
    follower_id: UUID
    followee_id: UUID
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FollowRequest:
    """A pending wish of ``requester_id`` to follow the private account ``target_id``."""

    id: UUID
    requester_id: UUID
    target_id: UUID
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Ties:
    """Every edge between a viewer and another account, seen from the viewer."""

    following: bool = False
    requested: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False

    @property
    def blocked_either_way(self) -> bool:
        return self.blocking or self.blocked_by


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
