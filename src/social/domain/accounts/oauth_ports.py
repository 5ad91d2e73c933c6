"""What the OAuth server needs from the outside world: the storage of apps, authorization
codes and access tokens, in the accounts unit of work (a token acting for an account is
issued in the same transaction as its session)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.oauth_model import AccessToken, AuthorizationCode, ClientApp
from social.domain.accounts.two_factor_ports import TwoFactorUnitOfWork

__all__ = ["OAuthRepository", "OAuthUnitOfWork", "OAuthUnitOfWorkFactory"]


class OAuthRepository(Protocol):
    async def add_app(self, app: ClientApp) -> None: ...

    async def get_app(self, app_id: UUID) -> ClientApp | None: ...

    async def app_by_client_id(self, client_id: str) -> ClientApp | None: ...

    async def add_token(self, token: AccessToken) -> None: ...

    async def token_by_hash(self, token_hash: bytes) -> AccessToken | None:
        """The token with this hash, revoked or not."""
        ...

    async def revoke_token(self, token_id: UUID, at: datetime) -> None:
        """Mark the token revoked; revoking twice keeps the first time."""
        ...

    async def add_code(self, code: AuthorizationCode) -> None: ...

    async def claim_code(self, code_hash: bytes, at: datetime) -> AuthorizationCode | None:
        """Mark the unused code with this hash used, atomically (of two concurrent claims one
        wins) and return it as it was; ``None`` if unknown or used already. Expiry is the
        caller's rule."""
        ...

    async def delete_expired_codes(self, before: datetime) -> int:
        """Forget codes that expired before ``before`` (used or not); returns how many."""
        ...


class OAuthUnitOfWork(TwoFactorUnitOfWork, Protocol):
    @property
    def oauth(self) -> OAuthRepository: ...


OAuthUnitOfWorkFactory = Callable[[], OAuthUnitOfWork]
