"""Who may see whom: the one policy every read path of every context asks (POST-5, REL-3).

Hidden things are reported as *not found*, never *forbidden*, so a caller cannot tell a private
or blocked account's content from content that does not exist.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from social.domain.graph.model import Ties
from social.domain.shared.identity import Viewer

__all__ = ["Owner", "can_see_account", "can_see_content"]


class Owner(Protocol):
    """What the rules need of an account: a ``User``, or the read model's fresh state of one."""

    @property
    def id(self) -> UUID: ...

    @property
    def is_private(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...


def can_see_account(viewer: Viewer | None, owner: Owner, ties: Ties) -> bool:
    """The profile itself (name, bio, counts): anyone, unless the owner is suspended or deleted
    or the two block each other."""
    if not owner.is_active:
        return False
    if viewer is None or viewer.user_id == owner.id:
        return True
    return not ties.blocked_either_way


def can_see_content(viewer: Viewer | None, owner: Owner, ties: Ties) -> bool:
    """Posts, followers and following lists: as the account, and for a private one only the
    owner, approved followers and moderators."""
    if not can_see_account(viewer, owner, ties):
        return False
    if not owner.is_private:
        return True
    if viewer is None:
        return False
    return viewer.user_id == owner.id or ties.following or viewer.role.can_moderate
