"""The signed-in user's own account, avatar included."""

from __future__ import annotations

from social.domain.profiles.model import ProfileView
from social.domain.profiles.ports import ProfilesUnitOfWorkFactory
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["GetMe"]


class GetMe:
    """Rules: only an active account can see itself (a session of a deleted one is dead)."""

    def __init__(self, *, uow: ProfilesUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer) -> ProfileView:
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
            if user is None or not user.is_active:
                raise NotFound("The account does not exist.")
            avatar = await uow.media.get(user.avatar_media_id) if user.avatar_media_id else None
        return ProfileView(user=user, relationship=None, avatar=avatar)
