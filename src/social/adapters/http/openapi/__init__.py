"""The OpenAPI document and docs page, served with local assets so it works offline.

Litestar generates the operations from the route handlers; ``exact_document`` (document.py) then
applies, in one place, what is true of every operation because the middleware and the error
handlers make it so: every error is ``application/problem+json`` (problem_responses.py), every
API route is rate limited with ``RateLimit-*`` headers, every response carries ``X-Request-ID``.
It also adds what Litestar cannot describe (the WebSocket stream, stream.py) and turns ambiguous
unions into exact ones (exact_schemas.py), so a client generator or a schema fuzzer reads what
the server really does. The wiring into Litestar is config.py.
"""

from __future__ import annotations

from social.adapters.http.openapi.config import (
    ExactOpenAPIConfig,
    docs_assets_router,
    openapi_config,
)
from social.adapters.http.openapi.document import exact_document
from social.adapters.http.openapi.problem_responses import ProblemOut, problems

__all__ = [
    "ExactOpenAPIConfig",
    "ProblemOut",
    "docs_assets_router",
    "exact_document",
    "openapi_config",
    "problems",
]
