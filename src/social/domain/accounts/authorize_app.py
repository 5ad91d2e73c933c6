"""The authorization-code flow's page, in domain terms (RFC 6749 §4.1 with RFC 7636 PKCE):
check what an app asks for, sign the person in (with their second factor), and issue the code
they approve."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from social.domain.accounts.app_tokens import granted_scopes
from social.domain.accounts.log_in import LogIn
from social.domain.accounts.oauth_model import (
    AuthorizationCode,
    ClientApp,
    OAuthError,
    hash_secret,
    new_secret,
)
from social.domain.accounts.oauth_ports import OAuthUnitOfWorkFactory
from social.domain.accounts.second_factor import SecondFactor
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.ids import new_id

__all__ = [
    "CODE_TTL",
    "ApproveAuthorization",
    "AuthorizationAsk",
    "AuthorizeRequest",
    "CheckAuthorization",
    "SignInToAuthorize",
    "SignedIn",
]

CODE_TTL = timedelta(minutes=10)
"""RFC 6749 §4.1.2 recommends at most ten minutes."""
_CHALLENGE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


@dataclass(frozen=True, slots=True)
class AuthorizeRequest:
    """The query of ``/oauth/authorize`` as sent."""

    client_id: str | None
    redirect_uri: str | None
    response_type: str | None = "code"
    scope: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorizationAsk:
    """A checked request: the app, where the code goes, the scopes, the PKCE challenge."""

    app: ClientApp
    redirect_uri: str
    scopes: frozenset[str]
    code_challenge: str | None = None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The password was right; ``needs_second_factor`` when the account has two-factor on."""

    user_id: UUID
    username: str
    needs_second_factor: bool


class CheckAuthorization:
    """Rules: the client must be a registered app and the redirect URI one of its own, exactly
    (checked before anything else: an unchecked URI is never redirected to); only the ``code``
    response type; the scopes within the app's (default ``read``); a PKCE challenge only with
    ``S256`` (``plain`` protects nothing a network observer cannot read)."""

    def __init__(self, *, uow: OAuthUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, request: AuthorizeRequest) -> AuthorizationAsk:
        if not request.client_id:
            raise OAuthError("invalid_request", "The client_id parameter is missing.")
        async with self._uow() as uow:
            app = await uow.oauth.app_by_client_id(request.client_id)
        if app is None:
            raise OAuthError("invalid_client", "No app is registered with this client_id.")
        if not request.redirect_uri or not app.allows_redirect(request.redirect_uri):
            raise OAuthError("invalid_request", "The redirect_uri is not one the app registered.")
        if request.response_type != "code":
            raise OAuthError("unsupported_response_type", "Only response_type=code is supported.")
        scopes = granted_scopes(app, request.scope)
        challenge = request.code_challenge or None
        if challenge is not None:
            if request.code_challenge_method != "S256":
                raise OAuthError("invalid_request", "Only the S256 code challenge method.")
            if not _CHALLENGE.fullmatch(challenge):
                raise OAuthError("invalid_request", "The code_challenge is malformed.")
        elif request.code_challenge_method:
            raise OAuthError("invalid_request", "A code_challenge_method without a challenge.")
        return AuthorizationAsk(
            app=app, redirect_uri=request.redirect_uri, scopes=scopes, code_challenge=challenge
        )


class SignInToAuthorize:
    """Rules: the sign-in rules of ``LogIn`` (username or email, one password verification
    whatever happens, suspended accounts refused); with two-factor on, a TOTP or recovery code
    next, checked and spent as at sign-in (same per-account budget)."""

    def __init__(
        self,
        *,
        uow: OAuthUnitOfWorkFactory,
        log_in: LogIn,
        second_factor: SecondFactor,
    ) -> None:
        self._uow = uow
        self._log_in = log_in
        self._second_factor = second_factor

    async def execute(self, login: str, password: str) -> SignedIn:
        checked = await self._log_in.check_password(login, password)
        user = checked.user
        return SignedIn(user.id, user.username, needs_second_factor=user.two_factor_enabled)

    async def second_factor(self, user_id: UUID, otp: str) -> None:
        """Accept the code (spent) or raise ``AuthenticationFailed``."""
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or not user.is_active:
                raise AuthenticationFailed("The login or password is incorrect.")
            if user.two_factor_enabled and not await self._second_factor.verify(uow, user_id, otp):
                raise AuthenticationFailed("The code is not valid (or was used already).")
            await uow.commit()


class ApproveAuthorization:
    """Rules: the signed-in person approves; the code is 256 random bits, stored hashed, bound
    to the app, the redirect URI, the scopes, the person and the PKCE challenge, valid for
    ``CODE_TTL`` and once. An account no longer active gets no code."""

    def __init__(self, *, uow: OAuthUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, user_id: UUID, ask: AuthorizationAsk) -> str:
        plaintext = new_secret()
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or not user.is_active:
                raise AuthenticationFailed("The account cannot sign in.")
            await uow.oauth.add_code(
                AuthorizationCode(
                    id=new_id(),
                    code_hash=hash_secret(plaintext),
                    app_id=ask.app.id,
                    user_id=user_id,
                    redirect_uri=ask.redirect_uri,
                    scopes=ask.scopes,
                    created_at=now,
                    expires_at=now + CODE_TTL,
                    code_challenge=ask.code_challenge,
                )
            )
            await uow.commit()
        return plaintext
