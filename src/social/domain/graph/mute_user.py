"""Mute and unmute (REL-3): the muted account disappears from the muter's feeds only."""

from __future__ import annotations

from social.domain.graph.lookup import find_visible_account
from social.domain.graph.model import AccountRef
from social.domain.graph.ports import GraphUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer

__all__ = ["MuteUser", "UnmuteUser"]


class MuteUser:
    """Rules: nobody mutes themselves; muting is silent (the muted account is not told and can
    still see and follow the muter); muting again is a no-op."""

    def __init__(self, *, uow: GraphUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, account: AccountRef) -> None:
        async with self._uow() as uow:
            target, _ = await find_visible_account(uow, viewer, account)
            if target.id == viewer.user_id:
                raise Invalid.field("username", "you cannot mute yourself")
            await uow.graph.add_mute(viewer.user_id, target.id, self._clock.now())
            await uow.commit()


class UnmuteUser:
    def __init__(self, *, uow: GraphUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, account: AccountRef) -> None:
        async with self._uow() as uow:
            target, _ = await find_visible_account(uow, viewer, account)
            await uow.graph.remove_mute(viewer.user_id, target.id)
            await uow.commit()
