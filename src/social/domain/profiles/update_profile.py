"""Edit one's own profile fields (PROF-2)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from social.domain.accounts.model import User
from social.domain.accounts.rules import (
    AccountLimits,
    parse_bio,
    parse_display_name,
    parse_website,
)
from social.domain.graph.model import Follow
from social.domain.profiles.model import ProfileView
from social.domain.profiles.ports import ProfilesUnitOfWork, ProfilesUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import ErrorCollector, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.search_changes import ChangeKind

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
    public host; every invalid field reported at once; nothing changes unless all are valid.
    Making a private account public approves its pending follow requests (nobody needs
    approval to follow a public account)."""

    def __init__(
        self, *, uow: ProfilesUnitOfWorkFactory, clock: Clock, limits: AccountLimits
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, command: UpdateProfileCommand) -> ProfileView:
        changes = self._validate(command)
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id, for_update=True)
            if user is None or not user.is_active:
                raise NotFound("The account does not exist.")
            if changes:
                updated = replace(user, **changes, updated_at=self._clock.now())
                await uow.users.update(updated)
                if user.is_private and not updated.is_private:
                    await _approve_pending(uow, updated)
                if user.is_private != updated.is_private:
                    await uow.search_changes.record(ChangeKind.AUTHOR, user.id)
                elif user.display_name != updated.display_name:
                    await uow.search_changes.record(ChangeKind.USER, user.id)
                await uow.commit()
                user = updated
            avatar = await uow.media.get(user.avatar_media_id) if user.avatar_media_id else None
        return ProfileView(user=user, relationship=None, avatar=avatar)

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


async def _approve_pending(uow: ProfilesUnitOfWork, user: User) -> None:
    for request in await uow.graph.all_pending_requests(user.id):
        await uow.graph.remove_request(request.requester_id, user.id)
        follow = Follow(new_id(), request.requester_id, user.id, user.updated_at)
        await uow.graph.add_follow(follow)
