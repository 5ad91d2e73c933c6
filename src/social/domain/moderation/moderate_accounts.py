"""Suspend and reinstate accounts, change roles (MOD-1, AUTH-4); every act is audited."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from social.domain.accounts.model import AccountStatus, User
from social.domain.accounts.ports import ActiveSessionLookup
from social.domain.moderation.model import AuditEntry
from social.domain.moderation.policy import require_admin, require_power_over
from social.domain.moderation.ports import ModerationUnitOfWork, ModerationUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.search_changes import ChangeKind

__all__ = ["ChangeRole", "SuspendAccount", "audit", "suspend"]


async def audit(
    uow: ModerationUnitOfWork,
    clock: Clock,
    actor_id: UUID | None,
    action: str,
    target_type: str,
    target_id: UUID,
    **details: Any,
) -> None:
    """``actor_id`` None: the command line (an operator with database access)."""
    await uow.audit.append(
        AuditEntry(
            id=new_id(),
            actor_id=actor_id or UUID(int=0),
            action=action,
            target_type=target_type,
            target_id=target_id,
            created_at=clock.now(),
            details={k: v for k, v in details.items() if v is not None},
        )
    )


async def suspend(
    uow: ModerationUnitOfWork, clock: Clock, viewer: Viewer, user: User, note: str | None
) -> User:
    """Suspend ``user`` in the unit of work: sessions end, content leaves search (the reads
    hide an inactive account's content by themselves)."""
    require_power_over(viewer, user)
    now = clock.now()
    suspended = replace(user, status=AccountStatus.SUSPENDED, updated_at=now)
    await uow.users.update(suspended)
    await uow.sessions.revoke_user_sessions(user.id, now, "suspended")
    await uow.search_changes.record(ChangeKind.AUTHOR, user.id)
    await audit(uow, clock, viewer.user_id, "suspend_user", "user", user.id, note=note)
    return suspended


class SuspendAccount:
    """Rules: a moderator suspends users (an admin also moderators; nobody themselves); a
    suspended account cannot sign in or act, its sessions end at once, and its posts, comments
    and profile disappear from every read path and from search until it is reinstated, which
    brings them back. Suspending a suspended account (or reinstating an active one) changes
    nothing and is not audited again; a deleted account is not found."""

    def __init__(
        self, *, uow: ModerationUnitOfWorkFactory, clock: Clock, sessions: ActiveSessionLookup
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sessions = sessions

    async def suspend(self, viewer: Viewer, user_id: UUID, note: str | None = None) -> None:
        async with self._uow() as uow:
            user = await _existing(uow, user_id)
            if user.status is AccountStatus.SUSPENDED:
                require_power_over(viewer, user)
                return
            await suspend(uow, self._clock, viewer, user, note)
            await uow.commit()
        self._sessions.forget_user(user_id)

    async def reinstate(self, viewer: Viewer, user_id: UUID, note: str | None = None) -> None:
        async with self._uow() as uow:
            user = await _existing(uow, user_id)
            require_power_over(viewer, user)
            if user.status is AccountStatus.ACTIVE:
                return
            now = self._clock.now()
            await uow.users.update(replace(user, status=AccountStatus.ACTIVE, updated_at=now))
            await uow.search_changes.record(ChangeKind.AUTHOR, user.id)
            await audit(
                uow, self._clock, viewer.user_id, "reinstate_user", "user", user.id, note=note
            )
            await uow.commit()


class ChangeRole:
    """Rules: only an admin changes roles (nobody their own, so an admin cannot lock the last
    admin out by accident); the command line may set any role (it is how the first admin is
    made); the new role applies at once to the account's sessions."""

    def __init__(
        self, *, uow: ModerationUnitOfWorkFactory, clock: Clock, sessions: ActiveSessionLookup
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sessions = sessions

    async def execute(self, viewer: Viewer, user_id: UUID, role: Role) -> None:
        require_admin(viewer)
        if user_id == viewer.user_id:
            raise Invalid.field("role", "you cannot change your own role")
        async with self._uow() as uow:
            user = await _existing(uow, user_id)
            await self._change(uow, user, role, viewer.user_id)
            await uow.commit()
        self._sessions.forget_user(user_id)

    async def from_command_line(self, username: str, role: Role) -> User:
        async with self._uow() as uow:
            user = await uow.users.get_by_username(username.strip().lower())
            if user is None or user.status is AccountStatus.DELETED:
                raise NotFound(f"No account is called {username!r}.")
            changed = await self._change(uow, user, role, None)
            await uow.commit()
        self._sessions.forget_user(user.id)
        return changed

    async def _change(
        self, uow: ModerationUnitOfWork, user: User, role: Role, actor_id: UUID | None
    ) -> User:
        if user.role is role:
            return user
        changed = replace(user, role=role, updated_at=self._clock.now())
        await uow.users.update(changed)
        await audit(
            uow,
            self._clock,
            actor_id,
            "change_role",
            "user",
            user.id,
            old=user.role.value,
            new=role.value,
        )
        return changed


async def _existing(uow: ModerationUnitOfWork, user_id: UUID) -> User:
    user = await uow.users.get(user_id, for_update=True)
    if user is None or user.status is AccountStatus.DELETED:
        raise NotFound("No such user.")
    return user
