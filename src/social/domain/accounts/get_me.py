"""The signed-in user's own account."""

from __future__ import annotations

from social.domain.accounts.model import User, Viewer
from social.domain.accounts.ports import UnitOfWorkFactory
from social.domain.shared.errors import NotFound

__all__ = ["GetMe"]


class GetMe:
    """Rules: only an active account can see itself (a session of a deleted one is dead)."""

    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer) -> User:
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
        if user is None or not user.is_active:
            raise NotFound("The account does not exist.")
        return user
