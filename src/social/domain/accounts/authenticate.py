"""Turn an access token into the ``Viewer`` every other use case receives."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from social.domain.accounts.ports import ActiveSessionLookup, TokenIssuer
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.identity import Viewer

__all__ = ["Authenticate"]


class Authenticate:
    """Rules: the token must be ours, unexpired and of a session that still stands (not logged
    out, not revoked by a password change or token theft) of an active account. The role comes
    from the account as it is now, not from the token, so role changes and suspensions apply at
    once (within the session cache's few seconds)."""

    def __init__(self, *, tokens: TokenIssuer, sessions: ActiveSessionLookup) -> None:
        self._tokens = tokens
        self._sessions = sessions

    async def execute(self, access_token: str) -> Viewer:
        viewer, _ = await self.until(access_token)
        return viewer

    async def until(self, access_token: str) -> tuple[Viewer, datetime]:
        """The viewer and when the token expires (a long-lived socket closes then)."""
        claims = self._tokens.verify_access_token(access_token)
        session = await self._sessions.find_active(claims.session_id)
        if session is None or session.user_id != claims.user_id:
            raise AuthenticationFailed("The session has ended; sign in again.")
        viewer = Viewer(user_id=session.user_id, role=session.role, session_id=session.session_id)
        return viewer, claims.expires_at

    async def standing(self, viewers: Collection[Viewer]) -> set[UUID]:
        """The session ids among ``viewers`` whose sessions still stand for the same users: one
        lookup for many open sockets at their heartbeats (their tokens were verified when they
        connected, and each socket closes itself when its token expires)."""
        found = await self._sessions.find_active_many({v.session_id for v in viewers})
        return {
            viewer.session_id
            for viewer in viewers
            if (session := found.get(viewer.session_id)) is not None
            and session.user_id == viewer.user_id
        }
