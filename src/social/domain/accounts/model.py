"""Account entities and the rules that govern them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from social.domain.shared.identity import Role

__all__ = [
    "AccountStatus",
    "ActiveSession",
    "AuthSession",
    "IssuedTokens",
    "RefreshToken",
    "User",
    "hash_refresh_token",
    "new_refresh_token",
]


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class User:
    """A person's account. ``username`` and ``email`` are stored normalized (lower case)."""

    id: UUID
    username: str
    email: str
    password_hash: str
    display_name: str
    bio: str
    website: str | None
    is_private: bool
    role: Role
    status: AccountStatus
    created_at: datetime
    updated_at: datetime
    avatar_media_id: UUID | None = None
    posts_count: int = 0
    followers_count: int = 0
    following_count: int = 0
    two_factor_enabled: bool = False
    """Set and cleared only by the two-factor repository (AUTH-7), never by ``update``."""
    email_verified_at: datetime | None = None
    """When the owner proved the address is theirs (a mailed link); ``None`` until then."""

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class AuthSession:
    """One sign-in on one device: the family every rotated refresh token of it belongs to."""

    id: UUID
    user_id: UUID
    created_at: datetime
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    user_agent: str = ""
    ip: str | None = None
    """Coarse (``Device``): the network the sign-in came from, never the address."""
    last_used_at: datetime | None = None
    """The latest sign-in or refresh; ``None`` for sessions older than this column."""


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """A refresh token of a session; only its SHA-256 hash is stored, and it is used once."""

    id: UUID
    session_id: UUID
    token_hash: bytes
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ActiveSession:
    """What an access-token check needs to know: the session is live and whose it is."""

    session_id: UUID
    user_id: UUID
    role: Role


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - a scheme name, not a secret


def new_refresh_token() -> str:
    """An opaque refresh token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> bytes:
    """Refresh tokens carry 256 bits of entropy, so a fast hash is enough to store them safely."""
    return hashlib.sha256(token.encode()).digest()
