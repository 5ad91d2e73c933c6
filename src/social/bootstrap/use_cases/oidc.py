"""Sign-in with OpenID Connect providers (issue 18): start and finish; list and unlink."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.adapters.oidc.client import AiohttpOidcClient, OidcSecrets
from social.bootstrap.adapters import Adapters
from social.domain.accounts.oidc_identities import ListOidcIdentities, UnlinkOidcIdentity
from social.domain.accounts.oidc_sign_in import (
    FinishOidcSignIn,
    ListOidcProviders,
    OidcSignInConfig,
    StartOidcSignIn,
)

__all__ = ["OidcUseCases", "build"]

CALLBACK_BASE = "/api/v1/auth/oidc"
"""Where the callback routes live under the base URL (adapters/http/accounts/oidc_controllers)."""


@dataclass(frozen=True, slots=True)
class OidcUseCases:
    start_oidc_sign_in: StartOidcSignIn
    finish_oidc_sign_in: FinishOidcSignIn
    list_oidc_providers: ListOidcProviders
    list_oidc_identities: ListOidcIdentities
    unlink_oidc_identity: UnlinkOidcIdentity


def build(a: Adapters) -> OidcUseCases:
    settings = a.settings.oidc
    config = OidcSignInConfig(
        providers=settings.providers(),
        redirect_base=a.settings.base_url + CALLBACK_BASE,
        login_ttl=timedelta(seconds=settings.oidc_login_ttl_s),
        leeway=timedelta(seconds=settings.oidc_clock_leeway_s),
    )
    client = a.oidc or AiohttpOidcClient(OidcSecrets(settings.secrets(), settings.oidc_token_auth))
    return OidcUseCases(
        start_oidc_sign_in=StartOidcSignIn(uow=a.uow, client=client, clock=a.clock, config=config),
        finish_oidc_sign_in=FinishOidcSignIn(
            uow=a.uow,
            client=client,
            hasher=a.hasher,
            tokens=a.tokens,
            clock=a.clock,
            config=config,
            limits=a.settings.accounts.limits(),
            refresh_ttl=timedelta(seconds=a.settings.accounts.refresh_token_ttl_s),
        ),
        list_oidc_providers=ListOidcProviders(config),
        list_oidc_identities=ListOidcIdentities(uow=a.uow, config=config),
        unlink_oidc_identity=UnlinkOidcIdentity(uow=a.uow, config=config),
    )
