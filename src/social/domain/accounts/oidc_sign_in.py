"""Sign in with an OpenID Connect provider (AUTH-11: server-side authorization-code flow, PKCE).

``StartOidcSignIn`` stores a pending sign-in (state, nonce, PKCE verifier; only the state's
hash, and the hash of a browser-binding secret the edge puts in a cookie) and answers the
provider URL. ``FinishOidcSignIn`` takes the pending sign-in once, redeems the code, checks
the ID token, and signs in the linked account, links one whose ownership is proven both ways,
or creates one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from secrets import compare_digest
from uuid import UUID

from social.domain.accounts.devices import Device
from social.domain.accounts.jobs import SendEmailVerification
from social.domain.accounts.model import IssuedTokens, User
from social.domain.accounts.oidc_accounts import new_oidc_user
from social.domain.accounts.oidc_model import (
    IdentityClaims,
    OidcIdentity,
    OidcLinkRefused,
    OidcProvider,
    OidcRefused,
    PendingOidcLogin,
    check_id_token,
    hash_secret,
    identity_from,
    new_secret,
    pkce_challenge,
)
from social.domain.accounts.oidc_ports import OidcClient, OidcUnitOfWork, OidcUnitOfWorkFactory
from social.domain.accounts.ports import PasswordHasher, TokenIssuer
from social.domain.accounts.rules import AccountLimits
from social.domain.accounts.sessions import start_session
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed, Conflict, Forbidden, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.search_changes import ChangeKind

__all__ = [
    "FinishOidcCommand",
    "FinishOidcSignIn",
    "ListOidcProviders",
    "OidcSignInConfig",
    "StartOidcSignIn",
    "StartedOidcSignIn",
]


@dataclass(frozen=True, slots=True)
class OidcSignInConfig:
    """The configured providers by name, and where the provider sends the browser back
    (``redirect_base`` + ``/{provider}/callback``)."""

    providers: Mapping[str, OidcProvider]
    redirect_base: str
    login_ttl: timedelta = timedelta(minutes=10)
    leeway: timedelta = timedelta(seconds=60)

    def provider(self, name: str) -> OidcProvider:
        found = self.providers.get(name)
        if found is None:
            raise NotFound("No such sign-in provider.")
        return found

    def redirect_uri(self, provider: OidcProvider) -> str:
        return f"{self.redirect_base}/{provider.name}/callback"


class ListOidcProviders:
    """The providers one may sign in with, by name."""

    def __init__(self, config: OidcSignInConfig) -> None:
        self._config = config

    async def execute(self) -> list[OidcProvider]:
        return sorted(self._config.providers.values(), key=lambda p: p.name)


@dataclass(frozen=True, slots=True)
class StartedOidcSignIn:
    authorization_url: str
    browser_binding: str
    """A secret for the starting browser only (an HttpOnly cookie): the callback needs it."""


class StartOidcSignIn:
    def __init__(
        self,
        *,
        uow: OidcUnitOfWorkFactory,
        client: OidcClient,
        clock: Clock,
        config: OidcSignInConfig,
    ) -> None:
        self._uow, self._client, self._clock, self._config = uow, client, clock, config

    @property
    def login_ttl_s(self) -> int:
        """How long the browser binding must live (the edge's cookie)."""
        return int(self._config.login_ttl.total_seconds())

    @property
    def secure_cookie(self) -> bool:
        """Whether the callback is reached over HTTPS (the binding cookie is then Secure)."""
        return self._config.redirect_base.startswith("https://")

    async def execute(
        self, provider_name: str, *, link_to: Viewer | None = None
    ) -> StartedOidcSignIn:
        """``link_to``: a signed-in caller linking the identity to their account (their
        password, or their session, proved ownership: no email rule applies)."""
        provider = self._config.provider(provider_name)
        state, nonce, verifier, binding = new_secret(), new_secret(), new_secret(), new_secret()
        url = await self._client.authorization_url(
            provider,
            redirect_uri=self._config.redirect_uri(provider),
            state=state,
            nonce=nonce,
            code_challenge=pkce_challenge(verifier),
        )
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.oidc_logins.delete_expired(now)  # abandoned sign-ins go here, no job
            await uow.oidc_logins.add(
                PendingOidcLogin(
                    state_hash=hash_secret(state),
                    provider=provider.name,
                    nonce=nonce,
                    code_verifier=verifier,
                    browser_hash=hash_secret(binding),
                    created_at=now,
                    expires_at=now + self._config.login_ttl,
                    link_user_id=None if link_to is None else link_to.user_id,
                )
            )
            await uow.commit()
        return StartedOidcSignIn(authorization_url=url, browser_binding=binding)


@dataclass(frozen=True, slots=True)
class FinishOidcCommand:
    provider: str
    code: str
    state: str
    browser_binding: str
    device: Device | None = None


class FinishOidcSignIn:
    """Rules: a state works once, in the browser that started it, before it expires; the ID
    token passes every check (``check_id_token``); a linked identity signs its account in; an
    unlinked one whose email belongs to an account links to it only when the provider says the
    email is verified AND the account's email is verified (else ``OidcLinkRefused``: sign in
    with the password, then link); otherwise a new account is made. A sign-in started with
    ``link_to`` links the identity to that account (unless another account has it). An account
    with two-factor on cannot sign in here (its second factor is not asked on this path)."""

    def __init__(
        self,
        *,
        uow: OidcUnitOfWorkFactory,
        client: OidcClient,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        clock: Clock,
        config: OidcSignInConfig,
        limits: AccountLimits,
        refresh_ttl: timedelta,
    ) -> None:
        self._uow, self._client, self._hasher = uow, client, hasher
        self._tokens, self._clock, self._config = tokens, clock, config
        self._limits, self._refresh_ttl = limits, refresh_ttl

    async def execute(self, command: FinishOidcCommand) -> IssuedTokens:
        provider = self._config.provider(command.provider)
        async with self._uow() as uow:  # taken and committed first: a state works once
            pending = await uow.oidc_logins.take(hash_secret(command.state))
            await uow.commit()
        now = self._clock.now()
        if (
            pending is None
            or pending.provider != provider.name
            or pending.expires_at <= now
            or not compare_digest(pending.browser_hash, hash_secret(command.browser_binding))
        ):
            raise OidcRefused("This sign-in is unknown, expired, used or from another browser.")
        identity = await self._identity(provider, pending, command.code)
        async with self._uow() as uow:
            if pending.link_user_id is not None:
                user = await self._link(uow, pending.link_user_id, identity)
            else:
                user = await self._account(uow, provider, identity)
            if not user.is_active:
                raise AuthenticationFailed("This account cannot sign in.")
            if user.two_factor_enabled and pending.link_user_id is None:
                raise Forbidden(
                    "This account has two-factor authentication on: sign in with the password "
                    "and a code."
                )
            tokens = await start_session(
                uow,
                self._tokens,
                user,
                now=now,
                refresh_ttl=self._refresh_ttl,
                device=command.device,
            )
            await uow.commit()
        return tokens

    async def _identity(
        self, provider: OidcProvider, pending: PendingOidcLogin, code: str
    ) -> IdentityClaims:
        answer = await self._client.exchange(
            provider,
            code=code,
            code_verifier=pending.code_verifier,
            redirect_uri=self._config.redirect_uri(provider),
        )
        identity = check_id_token(
            answer.id_claims,
            issuer=provider.issuer,
            client_id=provider.client_id,
            nonce=pending.nonce,
            now=self._clock.now(),
            leeway=self._config.leeway,
            max_age=self._config.login_ttl,
            alg=answer.alg,
            access_token=answer.access_token,
        )
        if identity.email or answer.access_token is None:
            return identity
        info = await self._client.userinfo(provider, answer.access_token)
        if info.get("sub") != identity.subject:  # OIDC Core 5.3.2: else it is not this user's
            return identity
        return identity_from(
            {**answer.id_claims, **info}, issuer=identity.issuer, subject=identity.subject
        )

    async def _link(self, uow: OidcUnitOfWork, user_id: UUID, identity: IdentityClaims) -> User:
        user = await uow.users.get(user_id)
        if user is None:
            raise AuthenticationFailed("This account cannot sign in.")
        linked = await uow.oidc_identities.get(identity.issuer, identity.subject)
        if linked is not None and linked.user_id != user.id:
            raise Conflict("This identity is linked to another account.")
        if linked is None:
            await uow.oidc_identities.add(
                OidcIdentity(
                    issuer=identity.issuer,
                    subject=identity.subject,
                    user_id=user.id,
                    created_at=self._clock.now(),
                )
            )
        return user

    async def _account(
        self, uow: OidcUnitOfWork, provider: OidcProvider, identity: IdentityClaims
    ) -> User:
        linked = await uow.oidc_identities.get(identity.issuer, identity.subject)
        if linked is not None:
            user = await uow.users.get(linked.user_id)
            if user is None:
                raise AuthenticationFailed("This account cannot sign in.")
            return user
        if not identity.email:
            raise OidcRefused(f"{provider.display_name} did not share an email address.")
        now = self._clock.now()
        user = await uow.users.get_by_email(identity.email)
        if user is not None:
            if not (identity.email_verified and user.email_verified_at is not None):
                raise OidcLinkRefused(
                    f"An account with this email exists. Sign in with its password, then link "
                    f"{provider.display_name} to it (POST /api/v1/me/oidc/{provider.name}/link)."
                )
        else:
            user = await new_oidc_user(uow, self._hasher, identity, limits=self._limits, now=now)
            await uow.search_changes.record(ChangeKind.USER, user.id)
            if user.email_verified_at is None:
                await uow.jobs.enqueue(SendEmailVerification(user.id))
        await uow.oidc_identities.add(
            OidcIdentity(
                issuer=identity.issuer,
                subject=identity.subject,
                user_id=user.id,
                created_at=now,
            )
        )
        return user
