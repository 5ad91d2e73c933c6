"""The one map from exceptions to ``application/problem+json`` responses (problems.py).

No stack trace, SQL or internal message ever reaches a client. A ``DomainError`` maps by its
kind. A dependency that is down arrives as the domain's ``Unavailable`` (503, ``Retry-After``),
translated by the adapter that owns the driver (postgres, cache, storage, search, realtime): this
package imports no driver. For a driver error that got past its adapter all the same, the
composition root hands ``exception_handlers`` the adapters' own classifiers (``Outage``), which
tell a dependency down (503) from a bug (500).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from social.adapters.http.problems import problem_response
from social.adapters.http.validation_problems import validation_problem
from social.domain.media.errors import MediaRejected, ObjectTooLarge
from social.domain.shared.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unavailable,
)

__all__ = ["Outage", "exception_handlers"]

log = logging.getLogger(__name__)

Outage = Callable[[BaseException], bool]
"""Says whether an exception means a dependency is down (an adapter's ``is_outage``)."""

_RETRY_AFTER_S = "5"
_STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    AuthenticationFailed: 401,
    Invalid: 422,
    RateLimited: 429,
    Unavailable: 503,
    ObjectTooLarge: 413,
    MediaRejected: 415,
}


def exception_handlers(*outages: Outage) -> dict[type[Exception] | int, Any]:
    """The app's exception handlers; ``outages`` judge the exceptions no other handler takes
    (an error raised by a driver past its adapter): a dependency down is 503, else a bug, 500."""

    def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        if any(outage(exc) for outage in outages):
            return _dependency_down(request, exc)
        return _bug(request, exc)

    return {
        DomainError: _domain_error,
        OSError: _dependency_down,  # connection refused/reset, timeouts, missing unix sockets
        ValidationException: validation_problem,
        HTTPException: _http_exception,
        Exception: unexpected,
    }


def _domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status = next((s for t, s in _STATUS_CODES.items() if isinstance(exc, t)), 400)
    members: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(exc, Invalid):
        members["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    elif isinstance(exc, Conflict) and exc.field:
        members["errors"] = [{"field": exc.field, "message": exc.message}]
    elif isinstance(exc, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after_s)
    elif isinstance(exc, Unavailable):
        log.warning("%s unavailable during a request", exc.dependency, exc_info=exc)
        members["dependency"] = exc.dependency
        headers["Retry-After"] = _RETRY_AFTER_S
    return problem_response(status, exc.message, code=exc.code, headers=headers, **members)


def _http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        log.error("HTTP %s raised", status, exc_info=exc)
        return problem_response(status, "The server could not handle the request.")
    headers = dict(exc.headers or {})
    detail = exc.detail or HTTPStatus(status).phrase
    return problem_response(status, detail, headers=headers or None)


def _dependency_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A network failure mid-request that no adapter named: the client may retry, nothing
    leaks."""
    log.warning("a dependency failed during a request", exc_info=exc)
    return problem_response(
        503,
        "A service this request needs is unavailable; try again shortly.",
        headers={"Retry-After": _RETRY_AFTER_S},
    )


def _bug(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled error", exc_info=exc)
    return problem_response(500, "The server could not handle the request; it has been logged.")
