"""Who may read ``/metrics`` on the API port: a scraper with ``SOCIAL_METRICS_TOKEN``.

The metrics name every route, its traffic and error rates, queue depths and open sockets: an
attacker's map of the service and of the effect of their load. Without a token configured the
app does not mount ``/metrics`` at all (404, like any unknown path); with one, a request without
``Authorization: Bearer <token>`` is 401. Prometheus sends the header from its scrape config
(``authorization: {credentials: …}``). The worker's metrics port is separate and unchanged.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from social.domain.shared.errors import AuthenticationFailed

__all__ = ["metrics_token_guard"]


def metrics_token_guard(token: str) -> Any:
    """A guard comparing the bearer token in constant time (the token is never logged)."""
    expected = f"Bearer {token}".encode()

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        presented = connection.headers.get("authorization", "").encode("latin-1", "replace")
        if not hmac.compare_digest(presented, expected):
            raise AuthenticationFailed("The metrics need the metrics bearer token.")

    return guard
