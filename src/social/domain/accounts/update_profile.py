"""Edit one's own profile fields (PROF-2)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from social.domain.accounts.model import User, Viewer
from social.domain.accounts.ports import UnitOfWorkFactory
from social.domain.accounts.rules import (
    AccountLimits,
    parse_bio,
    parse_display_name,
    parse_website,
)
from social.domain.shared.clock import Clock
from social.domain.shared.errors import ErrorCollector, NotFound

__all__ = ["UpdateProfile", "UpdateProfileCommand"]


@dataclass(frozen=True, slots=True)
class UpdateProfileCommand:
    """``None`` leaves a field as it is; an empty string clears a text field."""

    display_name: str | None = None
    bio: str | None = None
    website: str | None = None
    is_private: bool | None = None


class UpdateProfile:
    """Rules: display name ≤ limit on one line, bio ≤ limit, website an http(s) address to a
    public host; every invalid field reported at once; nothing changes unless all are valid."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, limits: AccountLimits) -> None:
        self._uow = uow
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, command: UpdateProfileCommand) -> User:
        changes = self._validate(command)
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
            if user is None or not user.is_active:
                raise NotFound("The account does not exist.")
            if not changes:
                return user
            updated = replace(user, **changes, updated_at=self._clock.now())
            await uow.users.update(updated)
            await uow.commit()
        return updated

    def _validate(self, command: UpdateProfileCommand) -> dict[str, Any]:
        limits, collector = self._limits, ErrorCollector()
        changes: dict[str, Any] = {}
        if (display_name := command.display_name) is not None:
            changes["display_name"] = collector.check(
                lambda: parse_display_name(display_name, limits), ""
            )
        if (bio := command.bio) is not None:
            changes["bio"] = collector.check(lambda: parse_bio(bio, limits), "")
        if (website := command.website) is not None:
            changes["website"] = collector.check(lambda: parse_website(website, limits), None)
        if command.is_private is not None:
            changes["is_private"] = command.is_private
        collector.raise_if_any()
        return changes
