"""Finding an account by username or id as a given viewer may see it."""

from __future__ import annotations

from uuid import UUID

from social.domain.accounts.model import User
from social.domain.accounts.ports import UserRepository
from social.domain.graph.model import AccountRef, Ties
from social.domain.graph.ports import GraphUnitOfWork
from social.domain.graph.visibility import can_see_account
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["find_visible_account", "get_account"]


async def get_account(users: UserRepository, ref: AccountRef) -> User | None:
    """The account a username (any case, spaces around) or an id names, whatever its state."""
    if isinstance(ref, UUID):
        return await users.get(ref)
    return await users.get_by_username(ref.strip().lower())


async def find_visible_account(
    uow: GraphUnitOfWork, viewer: Viewer | None, ref: AccountRef
) -> tuple[User, Ties]:
    """The account and the viewer's ties to it; ``NotFound`` when it does not exist or the
    viewer may not see it (suspended, deleted, blocked either way)."""
    user = await get_account(uow.users, ref)
    if user is None:
        raise NotFound("No such user.")
    ties = Ties()
    if viewer is not None and viewer.user_id != user.id:
        ties = (await uow.graph.ties(viewer.user_id, [user.id]))[user.id]
    if not can_see_account(viewer, user, ties):
        raise NotFound("No such user.")
    return user, ties
