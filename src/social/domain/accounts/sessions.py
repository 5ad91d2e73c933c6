"""Opening and rotating sessions: the refresh-token family rules shared by several use cases."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta
from uuid import UUID

from social.domain.accounts.devices import Device
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

__all__ = ["access_token_id", "issue_refresh_token", "pair_for", "start_session"]


async def start_session(
    uow: AccountsUnitOfWork,
    tokens: TokenIssuer,
    user: User,
    *,
    now: datetime,
    refresh_ttl: timedelta,
    device: Device | None = None,
) -> IssuedTokens:
    """A new token family for ``user``, remembering the ``device`` it was opened from; the
    caller commits."""
    device = device or Device()
    session = AuthSession(
        id=new_id(),
        user_id=user.id,
        created_at=now,
        user_agent=device.user_agent,
        ip=device.ip,
        last_used_at=now,
    )
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
    plaintext: str | None = None,
) -> IssuedTokens:
    """A refresh token in an existing family (``plaintext``, or a random one) plus a matching
    access token."""
    plaintext = plaintext or new_refresh_token()
    await uow.sessions.add_refresh_token(
        RefreshToken(
            id=new_id(),
            session_id=session_id,
            token_hash=hash_refresh_token(plaintext),
            created_at=now,
            expires_at=now + refresh_ttl,
        )
    )
    return pair_for(tokens, user, session_id=session_id, refresh_token=plaintext, issued_at=now)


def pair_for(
    tokens: TokenIssuer, user: User, *, session_id: UUID, refresh_token: str, issued_at: datetime
) -> IssuedTokens:
    """The pair a refresh token was issued in: its access token is a function of the refresh
    token and the issue time (``jti`` derived from the refresh token), so it can be given again
    identically (the refresh grace window) without storing any token."""
    access, expires_in = tokens.issue_access_token(
        user_id=user.id,
        role=user.role,
        session_id=session_id,
        now=issued_at,
        token_id=access_token_id(refresh_token),
    )
    return IssuedTokens(access_token=access, refresh_token=refresh_token, expires_in=expires_in)


def access_token_id(refresh_token: str) -> str:
    """The ``jti`` of the access token issued with ``refresh_token``: 96 bits of a keyed-apart
    hash, unique per refresh token and revealing nothing of it."""
    digest = hashlib.sha256(b"social/access-jti\0" + refresh_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()
