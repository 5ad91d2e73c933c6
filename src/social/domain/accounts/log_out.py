"""Sign out of one session (AUTH-3)."""

from __future__ import annotations

from social.domain.accounts.model import hash_refresh_token
from social.domain.accounts.ports import ActiveSessionLookup, UnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.identity import Viewer

__all__ = ["LogOut"]


class LogOut:
    """Rules: logging out revokes the caller's current session (the family of its refresh
    tokens) and, when a refresh token of another of the caller's sessions is given, that one too;
    it is idempotent and never reveals whether a token exists."""

    def __init__(
        self, *, uow: UnitOfWorkFactory, clock: Clock, sessions: ActiveSessionLookup
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sessions = sessions

    async def execute(self, viewer: Viewer, refresh_token: str | None) -> None:
        now = self._clock.now()
        revoked = {viewer.session_id}
        async with self._uow() as uow:
            if refresh_token:
                token = await uow.sessions.get_refresh_token(hash_refresh_token(refresh_token))
                session = token and await uow.sessions.get_session(token.session_id)
                if session and session.user_id == viewer.user_id:
                    revoked.add(session.id)
            for session_id in revoked:
                await uow.sessions.revoke_session(session_id, now, "logout")
            await uow.commit()
        for session_id in revoked:
            self._sessions.forget(session_id)
