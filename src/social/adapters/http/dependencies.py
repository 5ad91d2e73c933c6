"""Litestar dependencies: the use cases and the viewer established from the bearer token."""

from __future__ import annotations

from typing import Any, Protocol

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from social.adapters.http.pagination import PUBLIC_PAGE
from social.domain.accounts.authenticate import Authenticate
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.identity import Viewer

__all__ = ["BEARER_SECURITY", "bearer_token", "dependencies"]

BEARER_SECURITY: list[dict[str, list[str]]] = [{"BearerToken": []}]


class _HasAuthenticate(Protocol):
    authenticate: Authenticate


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Send the access token as 'Authorization: Bearer <token>'.")
    return token.strip()


# The viewer dependencies take ``use_cases`` (``Any``: Litestar validates what a dependency
# receives, and cannot validate a protocol) as a dependency of their own, so Litestar resolves
# the two one after the other: dependencies resolved side by side cost a task group and a task
# each per request (measured: a tenth of a cached feed page's CPU).


async def _viewer(request: Request[Any, Any, Any], use_cases: NamedDependency[Any]) -> Viewer:
    token = bearer_token(request)
    if token is None:
        raise AuthenticationFailed("This endpoint needs an access token.")
    return await _authenticate(request, use_cases, token)


async def _optional_viewer(
    request: Request[Any, Any, Any], use_cases: NamedDependency[Any]
) -> Viewer | None:
    """Anonymous callers are welcome; a token that is present must be valid, though."""
    token = bearer_token(request)
    if token is None:
        return None
    return await _authenticate(request, use_cases, token)


async def _authenticate(
    request: Request[Any, Any, Any], use_cases: _HasAuthenticate, token: str
) -> Viewer:
    viewer = await use_cases.authenticate.execute(token)
    request.scope.setdefault("state", {})["viewer"] = viewer  # for the access log
    return viewer


def _use_cases(state: State) -> Any:
    return state.use_cases


def _media(state: State) -> Any:
    return state.media_presenter


dependencies = {
    "use_cases": Provide(_use_cases, sync_to_thread=False),
    "media": Provide(_media, sync_to_thread=False),
    "viewer": Provide(_viewer),
    "optional_viewer": Provide(_optional_viewer),
    **PUBLIC_PAGE,
}
