"""Change one's password (AUTH-3): every other session is signed out."""

from __future__ import annotations

from dataclasses import dataclass, replace

from social.domain.accounts.jobs import SecurityEvent, SendSecurityNotice
from social.domain.accounts.ports import ActiveSessionLookup, PasswordHasher, UnitOfWorkFactory
from social.domain.accounts.rules import AccountLimits, validate_password
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["ChangePassword", "ChangePasswordCommand"]


@dataclass(frozen=True, slots=True)
class ChangePasswordCommand:
    current_password: str
    new_password: str


class ChangePassword:
    """Rules: the current password must be given and right; the new one follows the password
    rules and differs from the current one; every session but the caller's is revoked; the
    owner is mailed a security notice."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        limits: AccountLimits,
        sessions: ActiveSessionLookup,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._limits = limits
        self._sessions = sessions

    async def execute(self, viewer: Viewer, command: ChangePasswordCommand) -> None:
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
        if user is None or not user.is_active:
            raise NotFound("The account does not exist.")
        if not await self._hasher.verify(user.password_hash, command.current_password):
            raise Invalid.field("current_password", "is not correct")
        validate_password(
            command.new_password,
            self._limits,
            field="new_password",
            avoid=(user.username, user.email.partition("@")[0]),
        )
        if command.new_password == command.current_password:
            raise Invalid.field("new_password", "must differ from the current password")
        new_hash = await self._hasher.hash(command.new_password)
        now = self._clock.now()
        async with self._uow() as uow:
            current = await uow.users.get(viewer.user_id)
            if current is None:
                raise NotFound("The account does not exist.")
            await uow.users.update(replace(current, password_hash=new_hash, updated_at=now))
            await uow.sessions.revoke_user_sessions(
                viewer.user_id, now, "password-changed", keep=viewer.session_id
            )
            await uow.jobs.enqueue(
                SendSecurityNotice(viewer.user_id, SecurityEvent.PASSWORD_CHANGED)
            )
            await uow.commit()
        self._sessions.forget_user(viewer.user_id)
