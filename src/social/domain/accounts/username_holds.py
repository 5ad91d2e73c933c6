"""Usernames of deleted accounts are held for a while (issue 15, deliver 8), so nobody can
register a just-deleted name and pass for its former owner."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["UsernameHoldRepository"]


class UsernameHoldRepository(Protocol):
    async def hold(self, username: str, until: datetime) -> None:
        """Hold ``username`` until ``until`` (a later hold of the same name keeps the later
        time)."""
        ...

    async def is_held(self, username: str, at: datetime) -> bool:
        """Whether ``username`` is held at ``at``."""
        ...

    async def release_expired(self, before: datetime) -> int:
        """Forget holds that ended before ``before``; returns how many."""
        ...
