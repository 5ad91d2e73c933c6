"""/auth/oidc: sign in with an OpenID Connect provider (server-side authorization-code flow).

``start`` answers the provider URL as JSON (API clients and web apps alike navigate to it)
and sets an HttpOnly cookie binding the sign-in to this browser; the provider sends the
browser back to ``callback``, which answers our usual tokens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import CookieParameter, Parameter, QueryParameter

from social.adapters.http.accounts.schemas import TokensOut, tokens_out
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.domain.accounts.devices import Device
from social.domain.accounts.oidc_identities import ListOidcIdentities, UnlinkOidcIdentity
from social.domain.accounts.oidc_sign_in import (
    FinishOidcCommand,
    FinishOidcSignIn,
    ListOidcProviders,
    StartedOidcSignIn,
    StartOidcSignIn,
)
from social.domain.shared.identity import Viewer

__all__ = ["BINDING_COOKIE", "OidcController", "OidcLinkController"]

BINDING_COOKIE = "social_oidc"
_COOKIE_PATH = "/api/v1/auth/oidc"
ProviderName = Annotated[str, Parameter(max_length=64, pattern=r"^[a-z0-9-]+$")]
Secret = Annotated[str, Parameter(min_length=1, max_length=4096)]


class OidcProviderOut(msgspec.Struct, kw_only=True):
    name: str
    display_name: str
    start_url: str


class OidcProvidersOut(msgspec.Struct, kw_only=True):
    items: list[OidcProviderOut]


class OidcStartOut(msgspec.Struct, kw_only=True):
    authorization_url: str


class OidcIdentityOut(msgspec.Struct, kw_only=True):
    """A linked identity; ``provider`` is ``null`` once its issuer is no longer configured;
    ``subject`` is the account's id at the provider."""

    provider: str | None
    issuer: str
    subject: str
    linked_at: datetime


class OidcIdentitiesOut(msgspec.Struct, kw_only=True):
    items: list[OidcIdentityOut]


class OidcController(Controller):
    path = "/auth/oidc"
    tags = ["auth"]

    @get(
        "/providers",
        operation_id="listOidcProviders",
        summary="The OpenID Connect providers one may sign in with",
        responses=problems(429),
    )
    async def providers(self, list_oidc_providers: Injected[ListOidcProviders]) -> OidcProvidersOut:
        found = await list_oidc_providers.execute()
        return OidcProvidersOut(
            items=[
                OidcProviderOut(
                    name=p.name,
                    display_name=p.display_name,
                    start_url=f"{_COOKIE_PATH}/{p.name}/start",
                )
                for p in found
            ]
        )

    @get(
        "/{provider:str}/start",
        operation_id="startOidcSignIn",
        summary="Start signing in with a provider",
        description="Answers the provider's authorization URL (state, nonce, PKCE S256) to "
        "navigate to, and sets an HttpOnly cookie that binds the sign-in to this browser: "
        "the callback must come back with it. A sign-in must finish within "
        "`SOCIAL_OIDC_LOGIN_TTL_S`.",
        responses=problems(404, 422, 429, 503),
    )
    async def start(
        self, provider: ProviderName, start_oidc_sign_in: Injected[StartOidcSignIn]
    ) -> Response[OidcStartOut]:
        return _started(start_oidc_sign_in, await start_oidc_sign_in.execute(provider))

    @get(
        "/{provider:str}/callback",
        operation_id="finishOidcSignIn",
        summary="Finish signing in with a provider (its redirect)",
        description="The provider's redirect target: redeems `code`, checks the ID token, "
        "and signs in the linked account, links one with the same verified email (both "
        "sides verified), or creates one (a link started by `POST /me/oidc/{provider}/link` "
        "links to that account). Answers our access and refresh tokens. A state "
        "works once, only in the browser that started it: else 401 `/problems/oidc-refused`; "
        "an unproven existing account with the email: 409 `/problems/oidc-link-refused`.",
        responses=problems(401, 403, 404, 409, 422, 429, 503),
    )
    async def callback(
        self,
        provider: ProviderName,
        code: Secret,
        oidc_state: Annotated[str, QueryParameter(name="state", min_length=1, max_length=4096)],
        finish_oidc_sign_in: Injected[FinishOidcSignIn],
        device: NamedDependency[Device],
        binding: Annotated[str, CookieParameter(name=BINDING_COOKIE, max_length=256)] = "",
    ) -> TokensOut:
        tokens = await finish_oidc_sign_in.execute(
            FinishOidcCommand(
                provider=provider,
                code=code,
                state=oidc_state,
                browser_binding=binding,
                device=device,
            )
        )
        return tokens_out(tokens)


class OidcLinkController(Controller):
    path = "/me/oidc"
    tags = ["me"]
    security = BEARER_SECURITY

    @post(
        "/{provider:str}/link",
        operation_id="linkOidcIdentity",
        status_code=200,
        summary="Start linking a provider's identity to your account",
        description="Like `GET /auth/oidc/{provider}/start`, for a signed-in account: the "
        "callback links the identity the user signs in with to this account (no email rule: "
        "the session proves ownership) and answers tokens of a new session of it. An identity "
        "linked to another account: 409 at the callback.",
        responses=problems(401, 404, 422, 429, 503),
    )
    async def link(
        self,
        provider: ProviderName,
        start_oidc_sign_in: Injected[StartOidcSignIn],
        viewer: NamedDependency[Viewer],
    ) -> Response[OidcStartOut]:
        started = await start_oidc_sign_in.execute(provider, link_to=viewer)
        return _started(start_oidc_sign_in, started)

    @get(
        "/",
        operation_id="listOidcIdentities",
        summary="The providers' identities linked to your account, newest first",
        description="Not paginated (one per provider and subject at most). `provider` is "
        "`null` for an identity whose issuer is no longer configured (it signs nobody in).",
        responses=problems(401),
    )
    async def identities(
        self,
        list_oidc_identities: Injected[ListOidcIdentities],
        viewer: NamedDependency[Viewer],
    ) -> OidcIdentitiesOut:
        found = await list_oidc_identities.execute(viewer)
        return OidcIdentitiesOut(
            items=[
                OidcIdentityOut(
                    provider=i.provider, issuer=i.issuer, subject=i.subject, linked_at=i.linked_at
                )
                for i in found
            ]
        )

    @delete(
        "/{provider:str}",
        operation_id="unlinkOidcIdentity",
        summary="Remove a provider's identity from your account",
        description="Unlinks every identity of the provider linked to this account; signing "
        "in with it afterwards follows the sign-in rules again. `404` when none is linked. "
        "Refused with 409 `/problems/oidc-unlink-refused` when it is the last provider and "
        "the account's email is not verified (nothing else would let its owner in: verify the "
        'email, then a password can be set with "forgot password").',
        responses=problems(401, 404, 409, 422),
    )
    async def unlink(
        self,
        provider: ProviderName,
        unlink_oidc_identity: Injected[UnlinkOidcIdentity],
        viewer: NamedDependency[Viewer],
    ) -> None:
        await unlink_oidc_identity.execute(viewer, provider)


def _started(start: StartOidcSignIn, started: StartedOidcSignIn) -> Response[OidcStartOut]:
    """The provider URL, and the cookie binding the sign-in to this browser."""
    cookie = Cookie(
        key=BINDING_COOKIE,
        value=started.browser_binding,
        path=_COOKIE_PATH,
        max_age=start.login_ttl_s,
        httponly=True,
        secure=start.secure_cookie,
        samesite="lax",
    )
    return Response(OidcStartOut(authorization_url=started.authorization_url), cookies=[cookie])
