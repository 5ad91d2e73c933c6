"""Single-use tokens mailed to the owner of an account (verify the address, reset the password).

A token is 256 random bits shown once, in a mail; only its SHA-256 is stored (like refresh
tokens: the entropy makes a fast hash safe). It works once and until it expires.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from social.domain.accounts.model import hash_refresh_token
from social.domain.shared.errors import FieldError, Invalid
from social.domain.shared.ids import new_id

__all__ = [
    "AccountTokenRepository",
    "InvalidToken",
    "OneTimeToken",
    "TokenPurpose",
    "hash_one_time_token",
    "issue_one_time_token",
    "mint_one_time_token",
]


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose's name, not a secret


@dataclass(frozen=True, slots=True)
class OneTimeToken:
    id: UUID
    user_id: UUID
    purpose: TokenPurpose
    token_hash: bytes
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class InvalidToken(Invalid):
    """The token is unknown, already used or expired: one answer for all three."""

    code = "invalid-token"

    def __init__(self, field: str = "token") -> None:
        super().__init__(
            FieldError(field, "is invalid, already used or expired"),
            "The token is invalid, already used or expired.",
        )


def hash_one_time_token(token: str) -> bytes:
    return hash_refresh_token(token)


def mint_one_time_token(
    user_id: UUID, purpose: TokenPurpose, *, now: datetime, ttl: timedelta
) -> tuple[str, OneTimeToken]:
    """The token to mail and the record to store (its hash only)."""
    token = secrets.token_urlsafe(32)
    record = OneTimeToken(
        id=new_id(),
        user_id=user_id,
        purpose=purpose,
        token_hash=hash_one_time_token(token),
        created_at=now,
        expires_at=now + ttl,
    )
    return token, record


class AccountTokenRepository(Protocol):
    """One-time tokens, and the keyed lookup of an address (so a job can carry an address's
    key instead of the address itself)."""

    def email_key(self, email: str) -> str:
        """The lookup key of a normalized address (an HMAC under a server key, as text)."""
        ...

    async def user_for_email_key(self, key: str) -> UUID | None:
        """The account whose address has this lookup key, if any."""
        ...

    async def add(self, token: OneTimeToken) -> None: ...

    async def find(
        self, token_hash: bytes, purpose: TokenPurpose, at: datetime
    ) -> OneTimeToken | None:
        """The token if it is of ``purpose``, unused and unexpired at ``at``."""
        ...

    async def claim(
        self, token_hash: bytes, purpose: TokenPurpose, at: datetime
    ) -> OneTimeToken | None:
        """Mark the token used if it is usable (``find``); of two concurrent claims exactly one
        gets it, the other ``None``."""
        ...

    async def discard(self, user_id: UUID, purpose: TokenPurpose) -> int:
        """Forget every token of ``purpose`` the account holds (a newer one made them moot)."""
        ...

    async def delete_expired(self, before: datetime) -> int:
        """Forget tokens that expired before ``before``; returns how many."""
        ...


async def issue_one_time_token(
    tokens: AccountTokenRepository,
    user_id: UUID,
    purpose: TokenPurpose,
    *,
    now: datetime,
    ttl: timedelta,
) -> str:
    """A new token stored (its hash) in the caller's transaction; the token itself, to mail."""
    token, record = mint_one_time_token(user_id, purpose, now=now, ttl=ttl)
    await tokens.add(record)
    return token
