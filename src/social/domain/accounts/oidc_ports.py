"""What OpenID Connect sign-in needs from the outside world: a client of the provider's
endpoints, and storage of sign-ins in flight and of linked identities."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from social.domain.accounts.oidc_model import OidcIdentity, OidcProvider, PendingOidcLogin
from social.domain.accounts.ports import AccountsUnitOfWork

__all__ = [
    "OidcClient",
    "OidcIdentityRepository",
    "OidcLoginRepository",
    "OidcTokens",
    "OidcUnitOfWork",
    "OidcUnitOfWorkFactory",
]


@dataclass(frozen=True, slots=True)
class OidcTokens:
    """The token endpoint's answer; ``id_claims`` come from an ID token whose signature was
    verified against the provider's keys (its claims are still to be checked)."""

    id_claims: Mapping[str, Any]
    alg: str
    access_token: str | None


class OidcClient(Protocol):
    async def authorization_url(
        self,
        provider: OidcProvider,
        *,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_challenge: str,
    ) -> str:
        """Where to send the browser (the discovered authorization endpoint, S256 PKCE)."""
        ...

    async def exchange(
        self, provider: OidcProvider, *, code: str, code_verifier: str, redirect_uri: str
    ) -> OidcTokens:
        """Redeem ``code``; raises ``OidcRefused`` when the provider refuses it or the ID
        token's signature does not verify, ``Unavailable`` when the provider cannot be reached."""
        ...

    async def userinfo(self, provider: OidcProvider, access_token: str) -> Mapping[str, Any]:
        """The userinfo endpoint's claims (empty when the provider has none)."""
        ...


class OidcLoginRepository(Protocol):
    async def add(self, login: PendingOidcLogin) -> None: ...

    async def take(self, state_hash: bytes) -> PendingOidcLogin | None:
        """Remove and return the sign-in with this state: a state works once, whatever follows."""
        ...

    async def delete_expired(self, before: datetime) -> int:
        """Forget sign-ins that expired before ``before``; returns how many."""
        ...


class OidcIdentityRepository(Protocol):
    async def get(self, issuer: str, subject: str) -> OidcIdentity | None: ...

    async def add(self, identity: OidcIdentity) -> None:
        """Insert; raises ``Conflict`` when the identity is linked already (a race)."""
        ...

    async def for_user(self, user_id: UUID) -> list[OidcIdentity]:
        """The account's identities, oldest first."""
        ...

    async def delete(self, issuer: str, subject: str) -> bool:
        """Unlink the identity; ``False`` when it was not linked."""
        ...


class OidcUnitOfWork(AccountsUnitOfWork, Protocol):
    @property
    def oidc_logins(self) -> OidcLoginRepository: ...

    @property
    def oidc_identities(self) -> OidcIdentityRepository: ...


OidcUnitOfWorkFactory = Callable[[], OidcUnitOfWork]
