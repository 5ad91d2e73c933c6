"""The middleware around the whole app, not only around its routes.

Litestar runs its ``middleware=`` inside each route, so answers made before a route is found
(404 for an unknown path, 405 for a wrong method) or outside any handler would miss request ids,
the access log and the security headers. These wrap Litestar's own ASGI handler instead (inside
its lifespan handling and ``app.state``), so every response carries them.
"""

from __future__ import annotations

from litestar import Litestar

from social.adapters.http.hostile_input import HostileInputMiddleware
from social.adapters.http.request_context import RequestContextMiddleware
from social.adapters.http.security_headers import SecurityHeadersMiddleware

__all__ = ["wrap_edge"]


def wrap_edge(app: Litestar, *, hsts: bool) -> Litestar:
    """Request id and access log outermost, then security headers, then the hostile-input
    rules, then Litestar (its router, exception handling and CORS)."""
    app.asgi_handler = RequestContextMiddleware(
        SecurityHeadersMiddleware(HostileInputMiddleware(app.asgi_handler), hsts=hsts)
    )
    return app
