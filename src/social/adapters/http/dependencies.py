"""Litestar dependencies: the use cases, one per handler parameter named after it, the media
presenter, and the viewer established from the bearer token."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation
from litestar.plugins import InitPlugin, ReceiveRoutePlugin
from litestar.routes import HTTPRoute, WebSocketRoute

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.pagination import PUBLIC_PAGE
from social.domain.accounts.authenticate import Authenticate
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.identity import Viewer
from social.use_cases import UseCases, use_case_name

if TYPE_CHECKING:
    from litestar.config.app import AppConfig
    from litestar.routes import BaseRoute

__all__ = ["BEARER_SECURITY", "HandlerDependencies", "Injected", "bearer_token"]

T = TypeVar("T")

Injected: TypeAlias = NamedDependency[SkipValidation[T]]
"""An object of the composition root, given to the parameter of its name (a use case: the
snake_case of its class, ``create_post: Injected[CreatePost]``). Never validated: the signature
model would otherwise convert it to its type on every request."""

BEARER_SECURITY: list[dict[str, list[str]]] = [{"BearerToken": []}]


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Send the access token as 'Authorization: Bearer <token>'.")
    return token.strip()


async def _viewer(request: Request[Any, Any, Any], authenticate: Injected[Authenticate]) -> Viewer:
    token = bearer_token(request)
    if token is None:
        raise AuthenticationFailed("This endpoint needs an access token.")
    return await _authenticate(request, authenticate, token)


async def _optional_viewer(
    request: Request[Any, Any, Any], authenticate: Injected[Authenticate]
) -> Viewer | None:
    """Anonymous callers are welcome; a token that is present must be valid, though."""
    token = bearer_token(request)
    if token is None:
        return None
    return await _authenticate(request, authenticate, token)


async def _authenticate(
    request: Request[Any, Any, Any], authenticate: Authenticate, token: str
) -> Viewer:
    viewer = await authenticate.execute(token)
    request.scope.setdefault("state", {})["viewer"] = viewer  # for the access log
    return viewer


class HandlerDependencies(InitPlugin, ReceiveRoutePlugin):
    """What handlers are given: every use case under its name (``app.state.use_cases``), the
    media presenter (``app.state.media_presenter``), ``viewer`` and ``optional_viewer``.

    Two costs per request are avoided, both measured on the home feed. The providers take no
    argument (a provider's arguments are parsed into a struct on each call): they read the
    app's state, which this plugin is handed when the app is made. And every handler's
    dependencies are resolved one after the other: Litestar resolves those that do not depend
    on each other (the use case and ``authenticate`` under ``viewer``) in a task group, with a
    task each, which cost more than half the CPU of an empty feed page.
    """

    def __init__(self, use_cases: Iterable[type]) -> None:
        self._state = State()
        provided = {
            name: Provide(self._use_case(name), sync_to_thread=False)
            for name in map(use_case_name, use_cases)
        }
        self.dependencies: dict[str, Provide] = provided | {
            "media": Provide(self._media, sync_to_thread=False),
            "viewer": Provide(_viewer),
            "optional_viewer": Provide(_optional_viewer),
            **PUBLIC_PAGE,
        }

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        self._state = app_config.state  # the very object that becomes ``app.state``
        app_config.dependencies = {**self.dependencies, **app_config.dependencies}
        return app_config

    def receive_route(self, route: BaseRoute) -> None:
        models = []
        if isinstance(route, HTTPRoute):
            models = [model for _, model in route.route_handler_map.values()]
        elif isinstance(route, WebSocketRoute) and route.handler_parameter_model is not None:
            models = [route.handler_parameter_model]
        for model in models:  # batches come in order: each after those it depends on
            batches = model.dependency_batches
            model.dependency_batches = [{one} for batch in batches for one in batch]

    def _use_case(self, name: str) -> Callable[[], object]:
        def provide() -> object:
            use_cases: UseCases = self._state.use_cases
            return use_cases.by_name[name]

        return provide

    def _media(self) -> MediaPresenter:
        presenter: MediaPresenter = self._state.media_presenter
        return presenter
