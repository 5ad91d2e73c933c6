"""Two client APIs on one origin: a request on a path both APIs have finds its surface by its
credential (docs/architecture.md, "Two client APIs on one origin").

Native ``/api/v1`` has ``media``, ``notifications``, ``reports``, ``tags`` and
``admin/reports``; Mastodon clients call the same paths with other shapes. The app API's twins
of those routes are mounted under ``COLLIDING_PREFIX``. A request on one of those paths whose
bearer token is an app token (opaque, no dot: only ``/oauth/token`` issues those) is rewritten
to its twin before routing; a JWT (the native token) or no token at all keeps the native route.
Every other request costs one prefix check.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.exceptions import MethodNotAllowedException, NotFoundException
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils import normalize_path

from social.adapters.mastodon.auth import is_app_token
from social.adapters.mastodon.routes import COLLIDING_PREFIX

__all__ = ["COLLIDING_SEGMENTS", "CollidingPathDispatch", "app_twin"]

_ROOT = "/api/v1/"
COLLIDING_SEGMENTS = frozenset({"media", "notifications", "reports", "tags"})
"""The first segments under ``/api/v1/`` that both APIs serve (each with every sub-path)."""
_ADMIN_REPORTS = "admin/reports"
_PREFIX_BYTES = COLLIDING_PREFIX.encode()
_SERVED = (ScopeType.HTTP, ScopeType.WEBSOCKET)


def _colliding(path: str) -> bool:
    """Whether ``path`` (already known to start with ``/api/v1/``) is on a colliding path."""
    rest = path[len(_ROOT) :]
    if rest.partition("/")[0] in COLLIDING_SEGMENTS:
        return True
    if not rest.startswith(_ADMIN_REPORTS):
        return False
    return len(rest) == len(_ADMIN_REPORTS) or rest[len(_ADMIN_REPORTS)] == "/"


def _app_token_sent(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return scheme.lower() == "bearer" and bool(token) and is_app_token(token)
    return False


def app_twin(scope: Scope) -> bool:
    """Rewrite ``scope`` to the app API's twin when the request belongs there; whether it did."""
    path: str = scope["path"]
    if not path.startswith(_ROOT) or not _colliding(path) or not _app_token_sent(scope):
        return False
    scope["path"] = COLLIDING_PREFIX + path
    raw_path = scope.get("raw_path")
    if raw_path is not None:
        scope["raw_path"] = _PREFIX_BYTES + raw_path
    return True


def _has_twin(scope: Scope) -> bool:
    """Whether the app API serves this (rewritten) path and method. A native-only sub-path
    (``media/uploads``, ``notifications/read``...) has no twin, or a twin only for other methods:
    such a request stays native, whatever its token (an app token is then refused there as any
    invalid native token is, 401). The router caches the lookup."""
    try:
        scope["app"].asgi_router.handle_routing(
            path=normalize_path(scope["path"]), method=scope.get("method")
        )
    except (NotFoundException, MethodNotAllowedException):
        return False
    return True


class CollidingPathDispatch:
    """The ASGI wrapper around Litestar's handler, inside the edge middleware: the access log
    names the path the client called, and its ``route`` the twin that answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in _SERVED or not app_twin(scope):
            await self.app(scope, receive, send)
            return
        asked = scope["path"][len(COLLIDING_PREFIX) :]
        if not _has_twin(scope):
            _restore(scope, asked)
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            scope["path"] = asked


def _restore(scope: Scope, path: str) -> None:
    scope["path"] = path
    raw_path = scope.get("raw_path")
    if raw_path is not None:
        scope["raw_path"] = raw_path[len(_PREFIX_BYTES) :]
