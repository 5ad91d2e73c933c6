"""The signed-in devices of an account (AUTH-9): list them, sign one out, sign out all others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from social.domain.accounts.ports import ActiveSessionLookup, UnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = [
    "MAX_LISTED_SESSIONS",
    "ListSessions",
    "RevokeOtherSessions",
    "RevokeSession",
    "SessionView",
]

MAX_LISTED_SESSIONS = 500
"""The newest live sessions listed; a script that signs in thousands of times cannot make the
page unbounded ("sign out all others" still reaches every one)."""


@dataclass(frozen=True, slots=True)
class SessionView:
    """One signed-in device as its owner sees it; ``current`` is the caller's own session."""

    id: UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str
    ip: str | None
    current: bool


class ListSessions:
    """Rules: only the caller's own sessions that still stand (not revoked, not expired),
    newest first. "Last used" is the latest sign-in or token refresh: an access token lives
    minutes, so a device in use refreshes that often, and no request has to write it."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer) -> list[SessionView]:
        async with self._uow() as uow:
            sessions = await uow.sessions.live_sessions(
                viewer.user_id, self._clock.now(), limit=MAX_LISTED_SESSIONS
            )
        return [
            SessionView(
                id=s.id,
                created_at=s.created_at,
                last_used_at=s.last_used_at or s.created_at,
                user_agent=s.user_agent,
                ip=s.ip,
                current=s.id == viewer.session_id,
            )
            for s in sessions
        ]


class RevokeSession:
    """Rules: the caller signs out one of their own sessions (the current one too, like a
    logout); its refresh tokens stop working and its access tokens at once here and within the
    session cache's TTL elsewhere. Another account's session, or an unknown id, is not found:
    nobody learns that it exists. Revoking an already revoked session of one's own is a no-op."""

    def __init__(
        self, *, uow: UnitOfWorkFactory, clock: Clock, sessions: ActiveSessionLookup
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sessions = sessions

    async def execute(self, viewer: Viewer, session_id: UUID) -> None:
        async with self._uow() as uow:
            session = await uow.sessions.get_session(session_id)
            if session is None or session.user_id != viewer.user_id:
                raise NotFound("No such session.")
            await uow.sessions.revoke_session(session_id, self._clock.now(), "revoked-by-owner")
            await uow.commit()
        self._sessions.forget(session_id)


class RevokeOtherSessions:
    """Rules: every session of the caller but the current one is signed out at once."""

    def __init__(
        self, *, uow: UnitOfWorkFactory, clock: Clock, sessions: ActiveSessionLookup
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sessions = sessions

    async def execute(self, viewer: Viewer) -> int:
        """How many sessions were signed out."""
        async with self._uow() as uow:
            revoked = await uow.sessions.revoke_user_sessions(
                viewer.user_id, self._clock.now(), "revoked-by-owner", keep=viewer.session_id
            )
            await uow.commit()
        if revoked:
            self._sessions.forget_user(viewer.user_id)
        return revoked
