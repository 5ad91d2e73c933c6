"""Who calls the app API: an OAuth access token of a client app (opaque, stored hashed) or,
for a native client calling an app-API path, our own access token (a JWT, all scopes)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.types import Scope

from social.adapters.http.dependencies import Injected, bearer_token
from social.domain.accounts.app_scopes import TOP_SCOPES, AppCaller
from social.domain.accounts.authenticate import Authenticate
from social.domain.accounts.authenticate_app import AuthenticateApp
from social.domain.shared.errors import AuthenticationFailed
from social.use_cases import UseCases

__all__ = [
    "CALLER_DEPENDENCIES",
    "Caller",
    "MaybeCaller",
    "is_app_token",
    "remember_app_caller",
    "resolved_app_caller",
]

Caller = NamedDependency[AppCaller]
"""A handler's ``caller``: a valid token is required (401 otherwise)."""
MaybeCaller = NamedDependency[AppCaller | None]
"""A handler's ``optional_caller``: anonymous callers are welcome, a bad token is not."""


def is_app_token(token: str) -> bool:
    """Our access tokens are JWTs (three dot-separated parts); app tokens have no dot."""
    return "." not in token


_RESOLVED = "app_caller"
"""Where a resolved app token waits in the request's state: ``(token, AppCaller)``."""


def remember_app_caller(scope: Scope, token: str, caller: AppCaller) -> None:
    """Keep what ``token`` resolved to for the rest of the request (the rate limiter resolves
    app tokens to count them per user; the handler's ``caller`` then needs no second lookup)."""
    scope.setdefault("state", {})[_RESOLVED] = (token, caller)


def resolved_app_caller(scope: Scope, token: str) -> AppCaller | None:
    found: tuple[str, AppCaller] | None = scope.get("state", {}).get(_RESOLVED)
    return found[1] if found is not None and found[0] == token else None


async def _resolve(
    request: Request[Any, Any, Any], token: str, authenticate: Authenticate
) -> AppCaller:
    if is_app_token(token):
        caller = resolved_app_caller(request.scope, token)  # by the rate limiter, if it ran
        if caller is None:
            use_cases: UseCases = request.app.state.use_cases
            caller = await use_cases.get(AuthenticateApp).execute(token)
    else:
        viewer = await authenticate.execute(token)
        caller = AppCaller(app_id=None, scopes=TOP_SCOPES, viewer=viewer)
    if caller.viewer is not None:
        request.scope.setdefault("state", {})["viewer"] = caller.viewer  # for the access log
    return caller


async def _caller(
    request: Request[Any, Any, Any],
    authenticate: Injected[Authenticate],
) -> AppCaller:
    token = bearer_token(request)
    if token is None:
        raise AuthenticationFailed("The access token is invalid.")
    return await _resolve(request, token, authenticate)


async def _optional_caller(
    request: Request[Any, Any, Any],
    authenticate: Injected[Authenticate],
) -> AppCaller | None:
    token = bearer_token(request)
    if token is None:
        return None
    return await _resolve(request, token, authenticate)


CALLER_DEPENDENCIES = {
    "caller": Provide(_caller),
    "optional_caller": Provide(_optional_caller),
}
