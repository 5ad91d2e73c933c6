"""The ``User`` and ``Me`` objects of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.media.schemas import MediaOut
from social.domain.accounts.model import User
from social.domain.profiles.model import ProfileView

__all__ = ["MeOut", "RelationshipOut", "UserOut", "UserPageOut", "me_out"]


class RelationshipOut(msgspec.Struct, kw_only=True):
    following: bool
    requested: bool
    followed_by: bool
    blocking: bool
    muting: bool


class UserOut(msgspec.Struct, kw_only=True):
    id: UUID
    username: str
    display_name: str
    bio: str
    website: str | None
    avatar: MediaOut | None
    is_private: bool
    posts_count: int
    followers_count: int
    following_count: int
    created_at: datetime
    relationship: RelationshipOut | None = None
    """How the signed-in viewer stands towards this user; ``null`` for anonymous callers."""


class MeOut(UserOut, kw_only=True):
    email: str
    email_verified: bool
    role: Literal["user", "moderator", "admin"]
    two_factor_enabled: bool


class UserPageOut(msgspec.Struct, kw_only=True):
    items: list[UserOut]
    next_cursor: str | None


def _common(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "bio": user.bio,
        "website": user.website,
        "is_private": user.is_private,
        "posts_count": user.posts_count,
        "followers_count": user.followers_count,
        "following_count": user.following_count,
        "created_at": user.created_at,
    }


async def me_out(view: ProfileView, media: MediaPresenter) -> MeOut:
    user = view.user
    return MeOut(
        **_common(user),  # type: ignore[arg-type]
        avatar=await media.maybe(view.avatar),
        email=user.email,
        email_verified=user.email_verified_at is not None,
        role=user.role.value,
        two_factor_enabled=user.two_factor_enabled,
    )
