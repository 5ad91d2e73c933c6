"""Look at someone's profile by username (PROF-1, read side)."""

from __future__ import annotations

from social.domain.accounts.model import Viewer
from social.domain.accounts.ports import UnitOfWorkFactory
from social.domain.profiles.model import ProfileView, Relationship
from social.domain.shared.errors import NotFound

__all__ = ["ViewProfile"]


class ViewProfile:
    """Rules: anyone, signed in or not, may see an active account's public profile (counts
    included, also for private accounts); suspended and deleted accounts do not exist for
    viewers. A signed-in viewer also gets the relationship (the social graph arrives with
    follows; until then nobody follows anybody)."""

    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer | None, username: str) -> ProfileView:
        async with self._uow() as uow:
            user = await uow.users.get_by_username(username.strip().lower())
        if user is None or not user.is_active:
            raise NotFound("No such user.")
        return ProfileView(user=user, relationship=Relationship() if viewer else None)
