"""Who may moderate whom: the one place the role rules live."""

from __future__ import annotations

from social.domain.accounts.model import User
from social.domain.shared.errors import Forbidden
from social.domain.shared.identity import Role, Viewer

__all__ = ["require_admin", "require_moderator", "require_power_over"]


def require_moderator(viewer: Viewer) -> None:
    if not viewer.role.can_moderate:
        raise Forbidden("This needs a moderator.")


def require_admin(viewer: Viewer) -> None:
    if viewer.role is not Role.ADMIN:
        raise Forbidden("This needs an admin.")


def require_power_over(viewer: Viewer, target: User) -> None:
    """Moderators act on users; only admins act on moderators and admins; nobody on themselves."""
    require_moderator(viewer)
    if target.id == viewer.user_id:
        raise Forbidden("You cannot do this to your own account.")
    if target.role.can_moderate and viewer.role is not Role.ADMIN:
        raise Forbidden("Only an admin can do this to a moderator or an admin.")
