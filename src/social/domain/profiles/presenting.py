"""Turning accounts into the profile views a viewer gets, in batches (no query per user)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from social.domain.accounts.model import User, Viewer
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_account
from social.domain.media.model import MediaItem
from social.domain.profiles.model import ProfileView, Relationship
from social.domain.profiles.ports import ProfilesUnitOfWork

__all__ = ["build_profile_views", "profile_views"]

_NO_TIES = Ties()


async def profile_views(
    uow: ProfilesUnitOfWork, viewer: Viewer | None, users: Sequence[User]
) -> list[ProfileView]:
    """Views of the users the viewer may see, in order; the others are silently left out."""
    others = [u.id for u in users if viewer is not None and u.id != viewer.user_id]
    ties = await uow.graph.ties(viewer.user_id, others) if viewer and others else {}
    avatar_ids = [u.avatar_media_id for u in users if u.avatar_media_id is not None]
    avatars = await uow.media.get_many(avatar_ids) if avatar_ids else {}
    return build_profile_views(viewer, users, ties, avatars)


def build_profile_views(
    viewer: Viewer | None,
    users: Sequence[User],
    ties: Mapping[UUID, Ties],
    media: Mapping[UUID, MediaItem],
) -> list[ProfileView]:
    """The same views from facts already fetched (the feed fetches them once for everything)."""
    views = []
    for user in users:
        tie = ties.get(user.id, _NO_TIES)
        if not can_see_account(viewer, user, tie):
            continue
        avatar = media.get(user.avatar_media_id) if user.avatar_media_id else None
        relationship = Relationship.from_ties(tie) if viewer else None
        views.append(ProfileView(user=user, relationship=relationship, avatar=avatar))
    return views
