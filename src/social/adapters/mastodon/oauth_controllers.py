"""OAuth 2 of the client-app API: app registration (``/api/v1/apps``), the token and
revocation endpoints, userinfo and the RFC 8414 metadata document. The sign-in and consent
page (``/oauth/authorize``) is ``authorize_page.py``."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.oauth_support import (
    NO_STORE,
    base_url,
    client_credentials,
    device_of,
    invalid_request,
    oauth_error,
)
from social.adapters.mastodon.params import read_params
from social.domain.accounts.app_scopes import covers, known_scopes
from social.domain.accounts.grant_token import GRANT_TYPES, GrantToken, TokenRequest
from social.domain.accounts.oauth_model import ClientApp, OAuthError, join_scopes
from social.domain.accounts.register_app import RegisterApp, RegisterAppCommand, ShowApp
from social.domain.accounts.revoke_app_token import RevokeAppToken
from social.domain.profiles.get_me import GetMe
from social.domain.shared.errors import AuthenticationFailed, Invalid

__all__ = ["AppController", "OAuthController", "OAuthMetadataController"]


class Application(msgspec.Struct, kw_only=True):
    """Mastodon's Application entity; ``client_secret`` only in the registration's answer."""

    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: None = None
    client_id: str | msgspec.UnsetType = msgspec.UNSET
    client_secret: str | msgspec.UnsetType = msgspec.UNSET
    client_secret_expires_at: int | msgspec.UnsetType = msgspec.UNSET


class TokenOut(msgspec.Struct, kw_only=True):
    access_token: str
    token_type: str
    scope: str
    created_at: int


def _application(app: ClientApp, *, secret: str | None = None) -> Application:
    out = Application(
        id=str(app.id),
        name=app.name,
        website=app.website,
        scopes=sorted(app.scopes),
        redirect_uri="\n".join(app.redirect_uris),
        redirect_uris=list(app.redirect_uris),
    )
    if secret is not None:
        out.client_id = app.client_id
        out.client_secret = secret
        out.client_secret_expires_at = 0  # never
    return out


class AppController(Controller):
    path = "/api/v1/apps"

    @post(
        "/",
        status_code=200,
        operation_id="mastodonCreateApp",
        summary="Register a client app",
        description="Form or JSON: `client_name`, `redirect_uris` (one per line or a list; "
        "default `urn:ietf:wg:oauth:2.0:oob`), `scopes` (space-separated, default `read`), "
        "`website`. The `client_secret` is shown only here.",
    )
    async def create_app(
        self, request: Request[Any, Any, Any], register_app: Injected[RegisterApp]
    ) -> Response[Application]:
        params = await read_params(request)
        registered = await register_app.execute(
            RegisterAppCommand(
                name=params.text("client_name", max_length=1000) or "",
                redirect_uris=params.texts("redirect_uris"),
                scopes=params.text("scopes", max_length=2000),
                website=params.text("website", max_length=4000),
            )
        )
        body = _application(registered.app, secret=registered.client_secret)
        return Response(body, headers=NO_STORE)

    @get(
        "/verify_credentials",
        operation_id="mastodonVerifyAppCredentials",
        summary="The app of the access token",
    )
    async def verify_credentials(self, caller: Caller, show_app: Injected[ShowApp]) -> Application:
        if caller.app_id is None:
            raise AuthenticationFailed("This access token is not an app's.")
        return _application(await show_app.execute(caller.app_id))


class OAuthController(Controller):
    path = "/oauth"
    exception_handlers = {OAuthError: oauth_error, Invalid: invalid_request}

    @post(
        "/token",
        status_code=200,
        operation_id="mastodonOAuthToken",
        summary="Obtain an access token",
        description="Form or JSON. `grant_type` `password` (`username` or email, `password`), "
        "`authorization_code` (`code`, `redirect_uri`, `code_verifier` when the code was asked "
        "with a PKCE challenge) or `client_credentials`; the client authenticates with "
        "`client_id`/`client_secret` (body or HTTP Basic). Errors follow RFC 6749 §5.2.",
    )
    async def token(
        self, request: Request[Any, Any, Any], grant_token: Injected[GrantToken]
    ) -> Response[TokenOut]:
        params = await read_params(request)
        client_id, client_secret = client_credentials(request, params)
        issued = await grant_token.execute(
            TokenRequest(
                grant_type=params.text("grant_type", max_length=64),
                client_id=client_id,
                client_secret=client_secret,
                scope=params.text("scope", max_length=2000),
                username=params.text("username", max_length=320),
                password=params.text("password", max_length=1024),
                code=params.text("code", max_length=256),
                redirect_uri=params.text("redirect_uri", max_length=2000),
                code_verifier=params.text("code_verifier", max_length=256),
                device=device_of(request),
            )
        )
        body = TokenOut(
            access_token=issued.access_token,
            token_type=issued.token_type,
            scope=join_scopes(issued.scopes),
            created_at=int(issued.created_at.timestamp()),
        )
        return Response(body, headers=NO_STORE)

    @post(
        "/revoke",
        status_code=200,
        operation_id="mastodonOAuthRevoke",
        summary="Revoke an access token",
        description="`client_id`, `client_secret`, `token`. The token's session ends with it. "
        "An unknown or another client's token is answered the same (RFC 7009).",
    )
    async def revoke(
        self, request: Request[Any, Any, Any], revoke_app_token: Injected[RevokeAppToken]
    ) -> dict[str, Any]:
        params = await read_params(request)
        client_id, client_secret = client_credentials(request, params)
        token = params.text("token", max_length=512)
        if not token:
            raise OAuthError("invalid_request", "The token parameter is missing.")
        await revoke_app_token.execute(client_id, client_secret, token)
        return {}

    @get(
        "/userinfo",
        operation_id="mastodonOAuthUserinfo",
        summary="Who the access token acts for (OpenID Connect userinfo)",
        description="Needs the `profile` or `read:accounts` scope.",
    )
    async def userinfo(
        self, request: Request[Any, Any, Any], caller: Caller, get_me: Injected[GetMe]
    ) -> dict[str, Any]:
        scope = "profile" if covers(caller.scopes, "profile") else "read:accounts"
        viewer = caller.require(scope)  # 403 with neither
        user = (await get_me.execute(viewer)).user
        info: dict[str, Any] = {
            "iss": base_url(request),
            "sub": str(user.id),
            "name": user.display_name or user.username,
            "preferred_username": user.username,
        }
        if user.website:
            info["website"] = user.website
        return info


class OAuthMetadataController(Controller):
    path = "/.well-known"

    @get(
        "/oauth-authorization-server",
        operation_id="mastodonOAuthMetadata",
        summary="OAuth 2 authorization server metadata (RFC 8414)",
    )
    async def metadata(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        base = base_url(request)
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "userinfo_endpoint": f"{base}/oauth/userinfo",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "scopes_supported": known_scopes(),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": list(GRANT_TYPES),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "revocation_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
        }
