"""Errors as Mastodon clients read them: ``{"error": "..."}`` with the status code (and
``error_description`` for the OAuth endpoints), never problem+json and never an HTML page."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from social.adapters.http.errors import Outage
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

__all__ = ["error_response", "mastodon_exception_handlers"]

log = logging.getLogger(__name__)

_STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 422,  # Mastodon answers a duplicate (username taken, ...) as a validation error
    Forbidden: 403,
    AuthenticationFailed: 401,
    Invalid: 422,
    RateLimited: 429,
    Unavailable: 503,
    ObjectTooLarge: 422,
    MediaRejected: 422,
}


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None, **members: Any
) -> Response[Any]:
    return Response({"error": message, **members}, status_code=status, headers=headers)


def mastodon_exception_handlers(*outages: Outage) -> dict[type[Exception] | int, Any]:
    def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        if any(outage(exc) for outage in outages):
            return _dependency_down(request, exc)
        log.error("unhandled error", exc_info=exc)
        return error_response(500, "The server could not handle the request.")

    return {
        DomainError: _domain_error,
        OSError: _dependency_down,
        ValidationException: _validation_error,
        HTTPException: _http_exception,
        Exception: unexpected,
    }


def _domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status = next((s for t, s in _STATUS_CODES.items() if isinstance(exc, t)), 400)
    headers: dict[str, str] = {}
    message = exc.message
    if isinstance(exc, Invalid):
        message = f"Validation failed: {exc.message}"
    elif isinstance(exc, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after_s)
    elif isinstance(exc, Unavailable):
        log.warning("%s unavailable during a request", exc.dependency, exc_info=exc)
        headers["Retry-After"] = "5"
    return error_response(status, message, headers or None)


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    fields = [
        str(item.get("key") or item.get("source") or "body")
        for item in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(item, dict)
    ]
    detail = f" ({', '.join(fields)})" if fields else ""
    return error_response(422, f"Validation failed: the request is malformed{detail}.")


def _http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        log.error("HTTP %s raised", status, exc_info=exc)
        return error_response(status, "The server could not handle the request.")
    return error_response(status, exc.detail or HTTPStatus(status).phrase, dict(exc.headers or {}))


def _dependency_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("a dependency failed during a request", exc_info=exc)
    return error_response(
        503, "A service this request needs is unavailable; try again shortly.", {"Retry-After": "5"}
    )
