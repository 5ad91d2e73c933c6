"""The token endpoint (RFC 6749 §3.2): the password, authorization-code and
client-credentials grants, each ending in a long-lived opaque access token stored hashed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from social.domain.accounts.app_tokens import authenticate_client, granted_scopes, issue_app_token
from social.domain.accounts.devices import Device
from social.domain.accounts.log_in import LogIn, upgrade_hash
from social.domain.accounts.oauth_model import (
    AuthorizationCode,
    ClientApp,
    IssuedAppToken,
    OAuthError,
    hash_secret,
    pkce_matches,
)
from social.domain.accounts.oauth_ports import OAuthUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed

__all__ = ["GRANT_TYPES", "GrantToken", "TokenRequest"]

GRANT_TYPES = ("authorization_code", "password", "client_credentials")

_TWO_FACTOR = (
    "This account has two-factor authentication on: the password grant cannot ask for the "
    "code. Sign in through the authorization page (/oauth/authorize) instead."
)
_BAD_CODE = "The authorization code is invalid, expired, used or was issued to another client."


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """A token request as the client sent it (form or JSON, client credentials in the body or
    HTTP Basic)."""

    grant_type: str | None
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None
    username: str | None = None
    password: str | None = None
    code: str | None = None
    redirect_uri: str | None = None
    code_verifier: str | None = None
    device: Device | None = None


class GrantToken:
    """Rules: the client authenticates with its secret (a public client, without one, only
    for a code issued with a PKCE challenge); the scopes asked for must be within the app's.
    *Password*: the sign-in rules of ``LogIn`` (username or email, one verification whatever
    happens, suspended accounts refused); an account with two-factor on is refused (the grant
    has no field for the code) and sent to the authorization page. *Authorization code*: used
    once (a failed exchange spends it too), before it expires, by the client it was issued
    to, with the same redirect URI, and with the PKCE verifier when it was issued with a
    challenge (S256); the token gets the scopes the user approved. *Client credentials*: a
    token of the app alone, acting for no account."""

    def __init__(self, *, uow: OAuthUnitOfWorkFactory, clock: Clock, log_in: LogIn) -> None:
        self._uow = uow
        self._clock = clock
        self._log_in = log_in

    async def execute(self, request: TokenRequest) -> IssuedAppToken:
        if request.grant_type == "password":
            return await self._password(request)
        if request.grant_type == "authorization_code":
            return await self._code(request)
        if request.grant_type == "client_credentials":
            return await self._client_credentials(request)
        if not request.grant_type:
            raise OAuthError("invalid_request", "The grant_type parameter is missing.")
        raise OAuthError(
            "unsupported_grant_type", f"Supported grant types: {', '.join(GRANT_TYPES)}."
        )

    async def _client(self, request: TokenRequest, *, public: bool = False) -> ClientApp:
        async with self._uow() as uow:
            return await authenticate_client(
                uow, request.client_id, request.client_secret, public=public
            )

    async def _password(self, request: TokenRequest) -> IssuedAppToken:
        app = await self._client(request)
        scopes = granted_scopes(app, request.scope)
        if not request.username or not request.password:
            raise OAuthError("invalid_request", "The username and password are required.")
        try:
            checked = await self._log_in.check_password(request.username, request.password)
        except AuthenticationFailed as exc:
            raise OAuthError("invalid_grant", exc.message) from None
        if checked.user.two_factor_enabled:
            raise OAuthError("invalid_grant", _TWO_FACTOR)
        now = self._clock.now()
        async with self._uow() as uow:
            current = await uow.users.get(checked.user.id)
            if current is None or not current.is_active or current.two_factor_enabled:
                raise OAuthError("invalid_grant", "The login or password is incorrect.")
            current = await upgrade_hash(uow, current, checked, now=now)
            issued = await issue_app_token(
                uow, app, scopes, user=current, now=now, device=request.device
            )
            await uow.commit()
        return issued

    async def _client_credentials(self, request: TokenRequest) -> IssuedAppToken:
        app = await self._client(request)
        scopes = granted_scopes(app, request.scope)
        async with self._uow() as uow:
            issued = await issue_app_token(uow, app, scopes, user=None, now=self._clock.now())
            await uow.commit()
        return issued

    async def _code(self, request: TokenRequest) -> IssuedAppToken:
        app = await self._client(request, public=True)
        if not request.code:
            raise OAuthError("invalid_request", "The code parameter is missing.")
        now = self._clock.now()
        async with self._uow() as uow:
            code = await uow.oauth.claim_code(hash_secret(request.code), now)
            problem = _code_problem(code, app, request, now=now)
            if code is None or problem is not None:
                await uow.commit()  # the code is spent by a failed exchange too
                raise problem or OAuthError("invalid_grant", _BAD_CODE)
            user = await uow.users.get(code.user_id)
            if user is None or not user.is_active:
                await uow.commit()
                raise OAuthError("invalid_grant", _BAD_CODE)
            issued = await issue_app_token(
                uow, app, code.scopes, user=user, now=now, device=request.device
            )
            await uow.commit()
        return issued


def _code_problem(
    code: AuthorizationCode | None, app: ClientApp, request: TokenRequest, *, now: datetime
) -> OAuthError | None:
    """Why the code cannot be exchanged; ``None`` when it can. The redirect URI is required:
    the authorization page always binds one."""
    invalid = OAuthError("invalid_grant", _BAD_CODE)
    if code is None or code.app_id != app.id or code.expires_at <= now:
        return invalid
    if request.redirect_uri != code.redirect_uri:
        return invalid
    if code.code_challenge is None:
        if request.client_secret is None:
            return OAuthError("invalid_client", "A client without its secret must use PKCE.")
        return invalid if request.code_verifier else None
    if not request.code_verifier or not pkce_matches(request.code_verifier, code.code_challenge):
        return OAuthError("invalid_grant", "The PKCE code verifier does not match.")
    return None
