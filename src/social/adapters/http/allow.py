"""``OPTIONS`` answers ``Allow`` with every method of the path.

Litestar 2 builds the automatic ``OPTIONS`` handler of a path when the first handler of that
path is registered, and it keeps listing that route's methods only: ``OPTIONS /api/v1/me`` said
``DELETE, OPTIONS`` though ``GET`` and ``PATCH`` are served too (litestar#4169, fixed in
Litestar 3). This middleware sets the header from the app's final routes. CORS preflights
never get here: Litestar's CORS middleware answers them before routing.
"""

from __future__ import annotations

from typing import Any

from litestar.enums import ScopeType
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AllowHeaderMiddleware"]


class AllowHeaderMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._allow: dict[int, bytes] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        allow = self._methods(scope["app"]).get(id(scope.get("route_handler")))
        if allow is None:
            await self.app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message = {**message, "headers": [*headers, (b"allow", allow)]}
            await send(message)

        await self.app(scope, receive, send_with_allow)

    def _methods(self, app: Any) -> dict[int, bytes]:
        """The ``OPTIONS`` handler of each path mapped to all the methods of that path."""
        if self._allow is None:
            self._allow = {
                id(route.route_handler_map["OPTIONS"][0]): ", ".join(sorted(route.methods)).encode()
                for route in app.routes
                if isinstance(route, HTTPRoute) and "OPTIONS" in route.route_handler_map
            }
        return self._allow
