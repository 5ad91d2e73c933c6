"""Fakes of the OpenID Connect ports (``domain/accounts/oidc_ports.py``): the stores on a unit of
work's copy of the store (like PostgreSQL's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from uuid import UUID

from social.domain.accounts.oidc_model import (
    OidcIdentity,
    OidcProvider,
    OidcRefused,
    PendingOidcLogin,
    pkce_challenge,
)
from social.domain.accounts.oidc_ports import OidcTokens
from social.domain.shared.errors import Conflict

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["FakeOidcClient", "InMemoryOidcIdentityRepository", "InMemoryOidcLoginRepository"]


class InMemoryOidcLoginRepository:
    """A link whose account is gone is gone too (the foreign key's cascade)."""

    def __init__(self, store: AccountsStore) -> None:
        self._logins = store.oidc_logins
        self._users = store.users

    async def add(self, login: PendingOidcLogin) -> None:
        if login.state_hash in self._logins:
            raise Conflict("This state is in use.")
        self._logins[login.state_hash] = login

    async def take(self, state_hash: bytes) -> PendingOidcLogin | None:
        found = self._logins.pop(state_hash, None)
        if found is not None and found.link_user_id not in (None, *self._users):
            return None
        return found

    async def delete_expired(self, before: datetime) -> int:
        gone = [key for key, login in self._logins.items() if login.expires_at < before]
        for key in gone:
            del self._logins[key]
        return len(gone)


class InMemoryOidcIdentityRepository:
    """An identity whose account is gone is gone too (the foreign key's cascade)."""

    def __init__(self, store: AccountsStore) -> None:
        self._identities = store.oidc_identities
        self._users = store.users

    async def get(self, issuer: str, subject: str) -> OidcIdentity | None:
        found = self._identities.get((issuer, subject))
        return found if found is not None and found.user_id in self._users else None

    async def add(self, identity: OidcIdentity) -> None:
        key = (identity.issuer, identity.subject)
        if await self.get(*key) is not None:
            raise Conflict("This identity is linked to an account already.")
        self._identities[key] = identity

    async def for_user(self, user_id: UUID) -> list[OidcIdentity]:
        if user_id not in self._users:
            return []
        mine = [i for i in self._identities.values() if i.user_id == user_id]
        return sorted(mine, key=lambda i: i.created_at)

    async def delete(self, issuer: str, subject: str) -> bool:
        if await self.get(issuer, subject) is None:
            return False
        del self._identities[(issuer, subject)]
        return True


class FakeOidcClient:
    """A provider that knows its codes: each redeems once into the ID-token claims a test set
    (signature already checked, as the port promises); ``userinfo`` answers ``userinfo``."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[dict[str, Any], str]] = {}
        """code → (ID-token claims, the PKCE verifier it was issued for)."""
        self.userinfo_claims: dict[str, Any] = {}
        self.access_token: str | None = None
        """What the token endpoint answers as the access token (``None``: none, no userinfo)."""
        self.started: list[dict[str, str]] = []

    async def authorization_url(
        self,
        provider: OidcProvider,
        *,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_challenge: str,
    ) -> str:
        self.started.append(
            {"state": state, "nonce": nonce, "challenge": code_challenge, "redirect": redirect_uri}
        )
        return f"{provider.issuer}/auth?{urlencode({'state': state, 'nonce': nonce})}"

    async def exchange(
        self, provider: OidcProvider, *, code: str, code_verifier: str, redirect_uri: str
    ) -> OidcTokens:
        found = self.codes.pop(code, None)
        if found is None or pkce_challenge(code_verifier) != found[1]:
            raise OidcRefused("The provider did not accept this sign-in (the code is not valid).")
        return OidcTokens(id_claims=found[0], alg="RS256", access_token=self.access_token)

    async def userinfo(self, provider: OidcProvider, access_token: str) -> Mapping[str, Any]:
        return self.userinfo_claims
