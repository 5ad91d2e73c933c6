"""Trade a refresh token for a new pair (AUTH-3): rotation with reuse detection."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from social.domain.accounts.model import IssuedTokens, hash_refresh_token
from social.domain.accounts.ports import (
    AccountsUnitOfWork,
    ActiveSessionLookup,
    TokenIssuer,
    UnitOfWorkFactory,
)
from social.domain.accounts.sessions import issue_refresh_token, pair_for
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed

__all__ = ["RefreshSession"]

_INVALID = "The refresh token is invalid or has expired."


class RefreshSession:
    """Rules: a refresh token works once; the answer carries its successor in the same family.
    Within ``reuse_grace`` of that rotation, presenting the same token again (two tabs, a
    retry after a lost answer) answers with the same pair, as long as the successor is unused:
    the successor is derived from the token (``TokenIssuer.successor_refresh_token``) and the
    access token from the successor and the rotation time, so nothing secret is stored and the
    single-use claim still happens exactly once. Any other reuse (after the window, or after
    the successor was used) means the token leaked: the whole family is revoked, so neither the
    thief nor the owner can go on with it (the owner signs in again). Tokens of revoked
    families, of expired tokens and of inactive users are refused."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        tokens: TokenIssuer,
        clock: Clock,
        refresh_ttl: timedelta,
        sessions: ActiveSessionLookup,
        reuse_grace: timedelta = timedelta(0),
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock
        self._refresh_ttl = refresh_ttl
        self._sessions = sessions
        self._grace = reuse_grace

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
            successor = self._tokens.successor_refresh_token(refresh_token)
            # Of concurrent claims exactly one wins; a loser waits for the winner's commit.
            if not await uow.sessions.claim_refresh_token(token.id, now):
                again = await self._again(uow, successor, session.id, session.user_id, now)
                if again is not None:
                    return again
                await uow.sessions.revoke_session(session.id, now, "refresh-token-reuse")
                await uow.commit()
                self._sessions.forget(session.id)
                raise AuthenticationFailed(_INVALID)
            user = await uow.users.get(session.user_id)
            if user is None or not user.is_active:
                raise AuthenticationFailed(_INVALID)
            await uow.sessions.touch_session(session.id, now)  # the session list's "last used"
            tokens = await issue_refresh_token(
                uow,
                self._tokens,
                user,
                session_id=session.id,
                now=now,
                refresh_ttl=self._refresh_ttl,
                plaintext=successor,
            )
            await uow.commit()
        return tokens

    async def _again(
        self,
        uow: AccountsUnitOfWork,
        successor: str,
        session_id: UUID,
        user_id: UUID,
        now: datetime,
    ) -> IssuedTokens | None:
        """The pair of the token's rotation if it happened within the grace window and its
        successor is still unused; ``None`` when the reuse is a leak."""
        issued = await uow.sessions.get_refresh_token(hash_refresh_token(successor))
        if (
            issued is None
            or issued.session_id != session_id
            or issued.used_at is not None
            or now - issued.created_at > self._grace
        ):
            return None
        user = await uow.users.get(user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed(_INVALID)
        return pair_for(
            self._tokens,
            user,
            session_id=session_id,
            refresh_token=successor,
            issued_at=issued.created_at,
        )
