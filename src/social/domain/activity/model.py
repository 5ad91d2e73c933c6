"""API clients, their keys, and the activity log's entries and usage figures."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from social.domain.shared.errors import Invalid

__all__ = [
    "API_KEY_LENGTH",
    "API_KEY_PREFIX",
    "DISPLAY_PREFIX_LENGTH",
    "USAGE_DAYS",
    "ActivityEntry",
    "ApiClient",
    "ClientDailyUsage",
    "ClientRequests",
    "DayCount",
    "IssuedApiKey",
    "clean_client_name",
    "hash_api_key",
    "looks_like_api_key",
    "new_api_key",
    "usage_days",
]

API_KEY_PREFIX = "sk_"
"""Marks a string as one of our keys (secret scanners and people recognise it)."""
API_KEY_LENGTH = len(API_KEY_PREFIX) + 43
"""The prefix and 32 bytes in unpadded URL-safe base64."""
DISPLAY_PREFIX_LENGTH = len(API_KEY_PREFIX) + 6
"""How much of a key is kept in clear to tell keys apart: 36 random bits of its 256."""
CLIENT_NAME_MAX = 100
USAGE_DAYS = 7


def new_api_key() -> str:
    """``sk_`` and 32 random bytes, URL-safe base64: shown once, then only its hash is kept."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def looks_like_api_key(key: str) -> bool:
    """The shape of our keys: a string that is not one is refused without a lookup."""
    return key.startswith(API_KEY_PREFIX) and len(key) == API_KEY_LENGTH


def hash_api_key(key: str) -> bytes:
    """SHA-256 of the key. A fast hash is right here: the key has 256 random bits, so there is
    nothing to guess, and it is computed on every request that carries one."""
    return hashlib.sha256(key.encode()).digest()


def clean_client_name(name: str) -> str:
    """One line, trimmed; 1 to 100 characters."""
    clean = " ".join(name.split())
    if not clean:
        raise Invalid.field("name", "must not be empty")
    if len(clean) > CLIENT_NAME_MAX:
        raise Invalid.field("name", f"must be at most {CLIENT_NAME_MAX} characters")
    return clean


@dataclass(frozen=True, slots=True)
class ApiClient:
    """A registered client app. Its key is known only by hash; ``key_prefix`` is not secret."""

    id: UUID
    name: str
    key_prefix: str
    key_hash: bytes
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """A new client and its key in clear: the only time the key is ever seen."""

    client: ApiClient
    api_key: str

    def __repr__(self) -> str:  # never print the key by accident
        return f"IssuedApiKey(client={self.client!r}, api_key='{self.client.key_prefix}…')"


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    """One API request: who (client, user; either may be unknown), what (method and route
    template, never the concrete path), how it ended, how long it took, and when."""

    client_id: UUID | None
    user_id: UUID | None
    method: str
    route: str
    status: int
    latency_ms: float
    at: datetime


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    """A UTC calendar day."""
    requests: int


@dataclass(frozen=True, slots=True)
class ClientDailyUsage:
    client_id: UUID
    name: str
    days: tuple[DayCount, ...]
    """Oldest first, every day present (zeros included)."""


@dataclass(frozen=True, slots=True)
class ClientRequests:
    client_id: UUID
    name: str
    requests: int


def usage_days(now: datetime, count: int = USAGE_DAYS) -> tuple[list[date], datetime]:
    """The last ``count`` UTC days (today included), oldest first, and the instant they begin."""
    today = now.astimezone(UTC).date()
    days = [today - timedelta(days=back) for back in range(count - 1, -1, -1)]
    return days, datetime.combine(days[0], time(), UTC)
