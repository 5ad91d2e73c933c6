"""Block and unblock (REL-3): two accounts that block vanish from each other."""

from __future__ import annotations

from social.domain.graph.lookup import get_account
from social.domain.graph.model import AccountRef
from social.domain.graph.ports import GraphUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import DropActorFromFeed

__all__ = ["BlockUser", "UnblockUser"]


class BlockUser:
    """Rules: nobody blocks themselves; blocking removes follows and follow requests in both
    directions and stops new ones; blocking again is a no-op. An account that has blocked the
    viewer cannot be found, so it cannot be blocked back (it is already invisible)."""

    def __init__(self, *, uow: GraphUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, account: AccountRef) -> None:
        async with self._uow() as uow:
            target = await get_account(uow.users, account)
            if target is None or not target.is_active:
                raise NotFound("No such user.")
            if target.id == viewer.user_id:
                raise Invalid.field("username", "you cannot block yourself")
            ties = (await uow.graph.ties(viewer.user_id, [target.id]))[target.id]
            if ties.blocked_by and not ties.blocking:
                raise NotFound("No such user.")
            await uow.graph.add_block(viewer.user_id, target.id, self._clock.now())
            for a, b in ((viewer.user_id, target.id), (target.id, viewer.user_id)):
                await uow.graph.remove_follow(a, b)
                await uow.graph.remove_request(a, b)
                await uow.jobs.enqueue(DropActorFromFeed(owner_id=a, actor_id=b))
            await uow.commit()


class UnblockUser:
    """Rules: only the blocker can lift a block; it restores visibility, not the old follows."""

    def __init__(self, *, uow: GraphUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, account: AccountRef) -> None:
        async with self._uow() as uow:
            target = await get_account(uow.users, account)
            if target is None:
                raise NotFound("No such user.")
            await uow.graph.remove_block(viewer.user_id, target.id)
            await uow.commit()
