"""In-memory fakes of the one-time token and username-hold ports (``domain/accounts``), with
the same observable rules as PostgreSQL; they work on the ``AccountsStore`` of a transaction."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.accounts.one_time_tokens import OneTimeToken, TokenPurpose
from social.domain.shared.errors import Conflict

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryAccountTokenRepository", "InMemoryUsernameHoldRepository", "fake_email_key"]


def fake_email_key(email: str) -> str:
    """A keyed digest like the real HMAC (the key is a constant here)."""
    return hashlib.sha256(b"fake-email-lookup:" + email.encode()).hexdigest()


class InMemoryAccountTokenRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    def email_key(self, email: str) -> str:
        return fake_email_key(email)

    async def user_for_email_key(self, key: str) -> UUID | None:
        return next((u.id for u in self._w.users.values() if fake_email_key(u.email) == key), None)

    async def add(self, token: OneTimeToken) -> None:
        if any(t.token_hash == token.token_hash for t in self._w.account_tokens.values()):
            raise Conflict("duplicate token hash")
        self._w.account_tokens[token.id] = token

    async def find(
        self, token_hash: bytes, purpose: TokenPurpose, at: datetime
    ) -> OneTimeToken | None:
        return next(
            (
                t
                for t in self._w.account_tokens.values()
                if t.token_hash == token_hash
                and t.purpose is purpose
                and t.used_at is None
                and t.expires_at > at
            ),
            None,
        )

    async def claim(
        self, token_hash: bytes, purpose: TokenPurpose, at: datetime
    ) -> OneTimeToken | None:
        found = await self.find(token_hash, purpose, at)
        if found is None:
            return None
        used = self._w.account_tokens[found.id] = replace(found, used_at=at)
        return used

    async def discard(self, user_id: UUID, purpose: TokenPurpose) -> int:
        gone = [
            t.id
            for t in self._w.account_tokens.values()
            if t.user_id == user_id and t.purpose is purpose
        ]
        for token_id in gone:
            del self._w.account_tokens[token_id]
        return len(gone)

    async def delete_expired(self, before: datetime) -> int:
        gone = [t.id for t in self._w.account_tokens.values() if t.expires_at < before]
        for token_id in gone:
            del self._w.account_tokens[token_id]
        return len(gone)


class InMemoryUsernameHoldRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def hold(self, username: str, until: datetime) -> None:
        current = self._w.username_holds.get(username)
        self._w.username_holds[username] = max(until, current) if current else until

    async def is_held(self, username: str, at: datetime) -> bool:
        until = self._w.username_holds.get(username)
        return until is not None and until > at

    async def release_expired(self, before: datetime) -> int:
        gone = [name for name, until in self._w.username_holds.items() if until < before]
        for name in gone:
            del self._w.username_holds[name]
        return len(gone)
