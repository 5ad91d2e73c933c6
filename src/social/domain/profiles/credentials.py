"""The signed-in account as its owner sees it: its card, its raw fields and what waits for it."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.accounts.model import User
from social.domain.profiles.ports import ProfilesUnitOfWorkFactory
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import AccountCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["Credentials", "GetCredentials"]


@dataclass(frozen=True, slots=True)
class Credentials:
    card: AccountCard
    """The account as others see it (presentation and counters)."""
    user: User
    """Its raw fields (the bio as typed, privacy), for the owner to edit."""
    follow_requests_count: int


class GetCredentials:
    """Rules: only an active account can see itself (a session of a deleted one is dead); the
    pending follow requests are counted for a private account's owner."""

    def __init__(self, *, uow: ProfilesUnitOfWorkFactory, reads: Reads) -> None:
        self._uow = uow
        self._reads = reads

    async def execute(self, viewer: Viewer) -> Credentials:
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
            if user is None or not user.is_active:
                raise NotFound("The account does not exist.")
            pending = await uow.graph.count_pending_requests(user.id)
        shown = await show_accounts(self._reads, viewer, [user.id])
        if not shown:
            raise NotFound("The account does not exist.")
        return Credentials(card=shown[0], user=user, follow_requests_count=pending)
