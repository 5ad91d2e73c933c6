"""Finding an account by username as a given viewer may see it."""

from __future__ import annotations

from social.domain.accounts.model import User
from social.domain.graph.model import Ties
from social.domain.graph.ports import GraphUnitOfWork
from social.domain.graph.visibility import can_see_account
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["find_visible_account"]


async def find_visible_account(
    uow: GraphUnitOfWork, viewer: Viewer | None, username: str
) -> tuple[User, Ties]:
    """The account and the viewer's ties to it; ``NotFound`` when it does not exist or the
    viewer may not see it (suspended, deleted, blocked either way)."""
    user = await uow.users.get_by_username(username.strip().lower())
    if user is None:
        raise NotFound("No such user.")
    ties = Ties()
    if viewer is not None and viewer.user_id != user.id:
        ties = (await uow.graph.ties(viewer.user_id, [user.id]))[user.id]
    if not can_see_account(viewer, user, ties):
        raise NotFound("No such user.")
    return user, ties
