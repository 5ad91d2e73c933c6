"""Turn an OAuth access token of a client app into the ``AppCaller`` the app API serves."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from social.domain.accounts.app_scopes import AppCaller
from social.domain.accounts.ports import ActiveSessionLookup
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.identity import Viewer

__all__ = ["AppTokenGrant", "AppTokenLookup", "AuthenticateApp", "hash_app_token"]


def hash_app_token(token: str) -> bytes:
    """Only this SHA-256 is stored: a token is 256 random bits, so no salt or stretching."""
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True, slots=True)
class AppTokenGrant:
    """What a stored access token grants. A token acting for an account belongs to a session
    (``session_id``), so it is listed, revoked and ended with the account's other sessions."""

    app_id: UUID | None
    scopes: frozenset[str]
    user_id: UUID | None = None
    session_id: UUID | None = None


class AppTokenLookup(Protocol):
    async def find_grant(self, token_hash: bytes) -> AppTokenGrant | None:
        """The live grant of a token by its hash; ``None`` if unknown or revoked."""
        ...

    def forget(self, token_hash: bytes) -> None:
        """Drop anything cached about the token (after this process revoked it)."""
        ...


class AuthenticateApp:
    """Rules: the token must be one we issued and not revoked; a token acting for an account
    needs its session to stand (the same check, and cache, as the native access tokens: a
    suspension, a password change or signing out everywhere ends app tokens too)."""

    def __init__(self, *, grants: AppTokenLookup, sessions: ActiveSessionLookup) -> None:
        self._grants = grants
        self._sessions = sessions

    async def execute(self, access_token: str) -> AppCaller:
        grant = await self._grants.find_grant(hash_app_token(access_token))
        if grant is None:
            raise AuthenticationFailed("The access token is invalid.")
        if grant.session_id is None:
            return AppCaller(app_id=grant.app_id, scopes=grant.scopes, viewer=None)
        session = await self._sessions.find_active(grant.session_id)
        if session is None or session.user_id != grant.user_id:
            raise AuthenticationFailed("The access token was revoked.")
        viewer = Viewer(user_id=session.user_id, role=session.role, session_id=session.session_id)
        return AppCaller(app_id=grant.app_id, scopes=grant.scopes, viewer=viewer)
