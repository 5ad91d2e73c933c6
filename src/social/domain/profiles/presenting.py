"""Turning accounts into the profile views a viewer gets, in batches (no query per user)."""

from __future__ import annotations

from collections.abc import Sequence

from social.domain.accounts.model import User, Viewer
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_account
from social.domain.profiles.model import ProfileView, Relationship
from social.domain.profiles.ports import ProfilesUnitOfWork

__all__ = ["profile_views"]


async def profile_views(
    uow: ProfilesUnitOfWork, viewer: Viewer | None, users: Sequence[User]
) -> list[ProfileView]:
    """Views of the users the viewer may see, in order; the others are silently left out."""
    others = [u.id for u in users if viewer is not None and u.id != viewer.user_id]
    ties = await uow.graph.ties(viewer.user_id, others) if viewer and others else {}
    visible = [u for u in users if can_see_account(viewer, u, ties.get(u.id, Ties()))]
    avatar_ids = [u.avatar_media_id for u in visible if u.avatar_media_id is not None]
    avatars = await uow.media.get_many(avatar_ids) if avatar_ids else {}
    return [
        ProfileView(
            user=user,
            relationship=Relationship.from_ties(ties.get(user.id, Ties())) if viewer else None,
            avatar=avatars.get(user.avatar_media_id) if user.avatar_media_id else None,
        )
        for user in visible
    ]
