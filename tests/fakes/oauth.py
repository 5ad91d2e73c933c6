"""Fakes of the OAuth ports (``domain/accounts/oauth_ports.py``, ``AppTokenLookup``) with
PostgreSQL's rules (unique client ids and hashes, the single-use claim of a code); the
repository works on a unit of work's copy of the store, the lookup on the committed store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.accounts.authenticate_app import AppTokenGrant
from social.domain.accounts.oauth_model import AccessToken, AuthorizationCode, ClientApp
from social.domain.shared.errors import Conflict

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryAppTokenLookup", "InMemoryOAuthRepository"]


class InMemoryOAuthRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add_app(self, app: ClientApp) -> None:
        if any(a.client_id == app.client_id for a in self._w.oauth_apps.values()):
            raise Conflict("duplicate client id")
        self._w.oauth_apps[app.id] = app

    async def get_app(self, app_id: UUID) -> ClientApp | None:
        return self._w.oauth_apps.get(app_id)

    async def app_by_client_id(self, client_id: str) -> ClientApp | None:
        return next((a for a in self._w.oauth_apps.values() if a.client_id == client_id), None)

    async def add_token(self, token: AccessToken) -> None:
        if any(t.token_hash == token.token_hash for t in self._w.oauth_tokens.values()):
            raise Conflict("duplicate token hash")
        self._w.oauth_tokens[token.id] = token

    async def token_by_hash(self, token_hash: bytes) -> AccessToken | None:
        return _by_hash(self._w, token_hash)

    async def revoke_token(self, token_id: UUID, at: datetime) -> None:
        token = self._w.oauth_tokens.get(token_id)
        if token is not None and token.revoked_at is None:
            self._w.oauth_tokens[token_id] = replace(token, revoked_at=at)

    async def add_code(self, code: AuthorizationCode) -> None:
        if any(c.code_hash == code.code_hash for c in self._w.oauth_codes.values()):
            raise Conflict("duplicate code hash")
        self._w.oauth_codes[code.id] = code

    async def claim_code(self, code_hash: bytes, at: datetime) -> AuthorizationCode | None:
        code = next((c for c in self._w.oauth_codes.values() if c.code_hash == code_hash), None)
        if code is None or code.used_at is not None:
            return None
        self._w.oauth_codes[code.id] = replace(code, used_at=at)
        return code

    async def delete_expired_codes(self, before: datetime) -> int:
        expired = [c.id for c in self._w.oauth_codes.values() if c.expires_at < before]
        for code_id in expired:
            del self._w.oauth_codes[code_id]
        return len(expired)


def _by_hash(store: AccountsStore, token_hash: bytes) -> AccessToken | None:
    return next((t for t in store.oauth_tokens.values() if t.token_hash == token_hash), None)


class InMemoryAppTokenLookup:
    """Reads the committed store (no cache: ``forget`` is a no-op, counted for tests)."""

    def __init__(self, store: AccountsStore) -> None:
        self._store = store
        self.forgotten: list[bytes] = []

    async def find_grant(self, token_hash: bytes) -> AppTokenGrant | None:
        token = _by_hash(self._store, token_hash)
        if token is None or token.revoked_at is not None:
            return None
        return AppTokenGrant(
            app_id=token.app_id,
            scopes=token.scopes,
            user_id=token.user_id,
            session_id=token.session_id,
        )

    def forget(self, token_hash: bytes) -> None:
        self.forgotten.append(token_hash)
