"""Look at someone's profile by username (PROF-1, read side)."""

from __future__ import annotations

from social.domain.accounts.model import Viewer
from social.domain.graph.lookup import find_visible_account
from social.domain.profiles.model import ProfileView
from social.domain.profiles.ports import ProfilesUnitOfWorkFactory
from social.domain.profiles.presenting import profile_views

__all__ = ["ViewProfile"]


class ViewProfile:
    """Rules: anyone, signed in or not, may see an active account's profile (counts included,
    also for private accounts); suspended and deleted accounts, and accounts blocking or blocked
    by the viewer, do not exist for the viewer. A signed-in viewer also gets the relationship."""

    def __init__(self, *, uow: ProfilesUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer | None, username: str) -> ProfileView:
        async with self._uow() as uow:
            user, _ = await find_visible_account(uow, viewer, username)
            (view,) = await profile_views(uow, viewer, [user])
        return view
