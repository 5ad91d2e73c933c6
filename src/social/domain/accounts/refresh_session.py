"""Trade a refresh token for a new pair (AUTH-3): rotation with reuse detection."""

from __future__ import annotations

from datetime import timedelta

from social.domain.accounts.model import IssuedTokens, hash_refresh_token
from social.domain.accounts.ports import ActiveSessionLookup, TokenIssuer, UnitOfWorkFactory
from social.domain.accounts.sessions import issue_refresh_token
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed

__all__ = ["RefreshSession"]

_INVALID = "The refresh token is invalid or has expired."


class RefreshSession:
    """Rules: a refresh token works once; the answer carries its successor in the same family.
    Presenting a token that was already used means it leaked: the whole family is revoked, so
    neither the thief nor the owner can go on with it (the owner signs in again). Tokens of
    revoked families, of expired tokens and of inactive users are refused."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        tokens: TokenIssuer,
        clock: Clock,
        refresh_ttl: timedelta,
        sessions: ActiveSessionLookup,
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock
        self._refresh_ttl = refresh_ttl
        self._sessions = sessions

    async def execute(self, refresh_token: str) -> IssuedTokens:
        now = self._clock.now()
        async with self._uow() as uow:
            token = await uow.sessions.get_refresh_token(hash_refresh_token(refresh_token))
            if token is None:
                raise AuthenticationFailed(_INVALID)
            session = await uow.sessions.get_session(token.session_id)
            if session is None or session.revoked_at is not None:
                raise AuthenticationFailed(_INVALID)
            if token.expires_at <= now:
                raise AuthenticationFailed(_INVALID)
            if not await uow.sessions.claim_refresh_token(token.id, now):
                await uow.sessions.revoke_session(session.id, now, "refresh-token-reuse")
                await uow.commit()
                self._sessions.forget(session.id)
                raise AuthenticationFailed(_INVALID)
            user = await uow.users.get(session.user_id)
            if user is None or not user.is_active:
                raise AuthenticationFailed(_INVALID)
            tokens = await issue_refresh_token(
                uow,
                self._tokens,
                user,
                session_id=session.id,
                now=now,
                refresh_ttl=self._refresh_ttl,
            )
            await uow.commit()
        return tokens
