"""Delete one's account (AUTH-6): gone at once for everyone, erased by a background job."""

from __future__ import annotations

from dataclasses import replace

from social.domain.accounts.model import AccountStatus
from social.domain.accounts.ports import ActiveSessionLookup, PasswordHasher, UnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import PurgeDeletedAccount
from social.domain.shared.search_changes import ChangeKind

__all__ = ["DeleteAccount"]


class DeleteAccount:
    """Rules: the password must be given again; the account is deactivated in the same
    transaction that queues its erasure (so the erasure cannot be lost), every session ends,
    it can no longer sign in and is not found by anyone; the job then removes its follows,
    media and the account itself."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        sessions: ActiveSessionLookup,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._sessions = sessions

    async def execute(self, viewer: Viewer, password: str) -> None:
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
        if user is None or not user.is_active:
            raise NotFound("The account does not exist.")
        if not await self._hasher.verify(user.password_hash, password):
            raise Invalid.field("password", "is not correct")
        now = self._clock.now()
        async with self._uow() as uow:
            current = await uow.users.get(viewer.user_id, for_update=True)
            if current is None or not current.is_active:
                raise NotFound("The account does not exist.")
            await uow.users.update(replace(current, status=AccountStatus.DELETED, updated_at=now))
            await uow.sessions.revoke_user_sessions(viewer.user_id, now, "account-deleted")
            await uow.jobs.enqueue(PurgeDeletedAccount(viewer.user_id))
            await uow.search_changes.record(ChangeKind.AUTHOR, viewer.user_id)
            await uow.commit()
        self._sessions.forget_user(viewer.user_id)
