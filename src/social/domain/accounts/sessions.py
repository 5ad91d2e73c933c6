"""Opening and rotating sessions: the refresh-token family rules shared by several use cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from social.domain.accounts.model import (
    AuthSession,
    IssuedTokens,
    RefreshToken,
    User,
    hash_refresh_token,
    new_refresh_token,
)
from social.domain.accounts.ports import AccountsUnitOfWork, TokenIssuer
from social.domain.shared.ids import new_id

__all__ = ["issue_refresh_token", "start_session"]


async def start_session(
    uow: AccountsUnitOfWork,
    tokens: TokenIssuer,
    user: User,
    *,
    now: datetime,
    refresh_ttl: timedelta,
) -> IssuedTokens:
    """A new token family for ``user``; the caller commits."""
    session = AuthSession(id=new_id(), user_id=user.id, created_at=now)
    await uow.sessions.add_session(session)
    return await issue_refresh_token(
        uow, tokens, user, session_id=session.id, now=now, refresh_ttl=refresh_ttl
    )


async def issue_refresh_token(
    uow: AccountsUnitOfWork,
    tokens: TokenIssuer,
    user: User,
    *,
    session_id: UUID,
    now: datetime,
    refresh_ttl: timedelta,
) -> IssuedTokens:
    """A fresh refresh token in an existing family plus a matching access token."""
    plaintext = new_refresh_token()
    await uow.sessions.add_refresh_token(
        RefreshToken(
            id=new_id(),
            session_id=session_id,
            token_hash=hash_refresh_token(plaintext),
            created_at=now,
            expires_at=now + refresh_ttl,
        )
    )
    access, expires_in = tokens.issue_access_token(
        user_id=user.id, role=user.role, session_id=session_id, now=now
    )
    return IssuedTokens(access_token=access, refresh_token=plaintext, expires_in=expires_in)
