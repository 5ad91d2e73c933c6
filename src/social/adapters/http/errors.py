"""The one map from errors to ``application/problem+json`` responses (RFC 9457).

Every error response of the API is rendered here; no stack trace, SQL or internal message ever
reaches a client. ``type`` is a stable URI per kind of problem, documented in docs/api.md.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import advanced_alchemy.exceptions
import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed
import redis.exceptions
import sqlalchemy.exc
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import HTTPResponseBodyEvent, HTTPResponseStartEvent, Send

from social.adapters.http.request_body import (
    NUL_MESSAGE,
    UNKNOWN_FIELD,
    form_nul_field,
    unknown_fields,
)
from social.adapters.http.request_limits import PATTERN_MESSAGES
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

__all__ = [
    "PROBLEM_JSON",
    "exception_handlers",
    "problem_document",
    "problem_response",
    "problem_title",
    "send_problem",
]

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$\.?([^`]*)`$")
_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `([^`]+)`")

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
_HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    426: "upgrade-required",
    429: "rate-limited",
    500: "internal-error",
    503: "service-unavailable",
}
_TITLES = {  # RFC 9110's names, the same whatever Python's ``HTTPStatus`` calls them
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    426: "Upgrade Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_document(
    status: int, detail: str, *, code: str | None = None, **members: Any
) -> dict[str, Any]:
    """The RFC 9457 body: ``type`` (stable per kind), ``title``, ``status``, ``detail``, extras."""
    return {
        "type": f"/problems/{code or _HTTP_CODES.get(status, 'error')}",
        "title": problem_title(status),
        "status": status,
        "detail": detail,
        **members,
    }


def problem_title(status: int) -> str:
    """The ``title`` of a problem: fixed per status, as docs/api.md and the OpenAPI document say."""
    return _TITLES.get(status) or HTTPStatus(status).phrase


async def send_problem(
    send: Send,
    status: int,
    detail: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
    **members: Any,
) -> None:
    """A problem+json answer sent straight from an ASGI middleware (before any route runs)."""
    body = json.dumps(problem_document(status, detail, **members)).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)


def problem_response(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
    **members: Any,
) -> Response[dict[str, Any]]:
    body = problem_document(status, detail, code=code, **members)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


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
        members["dependency"] = exc.dependency
        headers["Retry-After"] = "5"
    return problem_response(status, exc.message, code=exc.code, headers=headers, **members)


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    if not isinstance(exc.extra, list) or not exc.extra:  # unparsable body, not a rule broken
        detail = "The request body is not valid JSON." if "JSON" in exc.detail else exc.detail
        return problem_response(400, detail)
    errors = [_field_error(item) for item in exc.extra if isinstance(item, dict)]
    if not any(error["message"] == UNKNOWN_FIELD for error in errors):
        return problem_response(422, "The request has invalid fields.", errors=errors)
    # msgspec names the first unknown field only; the client should hear of every one at once
    named = [error["field"] for error in errors if error["message"] == UNKNOWN_FIELD]
    unknown = list(dict.fromkeys([*unknown_fields(request), *named]))
    errors = [{"field": name, "message": UNKNOWN_FIELD} for name in unknown] + [
        error for error in errors if error["message"] != UNKNOWN_FIELD
    ]
    detail = f"The request has fields this operation does not take: {', '.join(unknown)}."
    return problem_response(422, detail, errors=errors)


def _field_error(item: dict[str, Any]) -> dict[str, str]:
    """Litestar reports ``{key, message, source}``; clients want ``{field, message}``."""
    message = str(item.get("message", "is invalid"))
    field = str(item.get("key") or "")
    if missing := _MISSING_FIELD.search(message):
        field, message = missing.group(1), "is required"
    if at := _AT_PATH.search(message):
        field = at.group(1) or field
        message = message[: at.start()]
    if part := form_nul_field(message):
        field, message = part, NUL_MESSAGE
    if unknown := _UNKNOWN_FIELD.fullmatch(message):  # the field is the object holding it
        inside = "" if field in ("", "data") else f"{field}."
        field, message = f"{inside}{unknown.group(1)}", UNKNOWN_FIELD
    if field == "data":
        field = "body"
    return {"field": field, "message": _plain(message)}


_LENGTH = re.compile(r"Expected `(str|array|object)` of length (<=|>=) (\d+)")
_BOUND = re.compile(r"Expected `(int|float)` (<=|>=|<|>) (-?[\d.e+]+)")
_REGEX = re.compile(r"Expected `str` matching regex '(.*)'", re.DOTALL)
_CHOICE = re.compile(r"Invalid (enum )?value .*", re.DOTALL)
_TYPE = re.compile(r"Expected `([^`]+)`, got `([^`]+)`")
_UNITS = {"str": "characters", "array": "items", "object": "fields"}
_BOUNDS = {"<=": "at most", ">=": "at least", "<": "less than", ">": "more than"}
_KINDS = {"str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean",
          "array": "an array", "object": "an object", "null": "null"}  # fmt: skip


def _kinds(types: str) -> str:
    return " or ".join(_KINDS.get(kind, kind) for kind in types.split(" | "))


def _plain(message: str) -> str:
    """msgspec's wording of a broken type or limit, in the words of the domain's own errors."""
    if found := _LENGTH.fullmatch(message):
        kind, bound, number = found.groups()
        if (bound, number) == (">=", "1"):
            return "must not be empty"
        return f"must be {_BOUNDS[bound]} {number} {_UNITS[kind]}"
    if found := _BOUND.fullmatch(message):
        return f"must be {_BOUNDS[found.group(2)]} {found.group(3)}"
    if found := _REGEX.fullmatch(message):
        pattern = found.group(1).replace("\\\\", "\\")  # msgspec doubles backslashes
        return PATTERN_MESSAGES.get(pattern, "does not have the required form")
    if _CHOICE.fullmatch(message):
        return "is not one of the accepted values"
    if found := _TYPE.fullmatch(message):
        expected, got = (_kinds(group) for group in found.groups())
        return f"must be {expected}, not {got}"
    return message


def _http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        log.error("HTTP %s raised", status, exc_info=exc)
        return problem_response(status, "The server could not handle the request.")
    headers = dict(exc.headers or {})
    detail = exc.detail or HTTPStatus(status).phrase
    return problem_response(status, detail, headers=headers or None)


def _dependency_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A database, Redis or network failure mid-request: the client may retry, nothing leaks."""
    log.warning("a dependency failed during a request", exc_info=exc)
    return problem_response(
        503,
        "A service this request needs is unavailable; try again shortly.",
        headers={"Retry-After": "5"},
    )


def _database_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A database error is an outage (503) when the connection broke or could not be made,
    however deep the driver or the repository library wrapped it (advanced-alchemy reports a
    closed connection as an ``IntegrityError``); anything else is a bug (500)."""
    if _is_outage(exc):
        return _dependency_down(request, exc)
    return _unexpected(request, exc)


def _is_outage(exc: BaseException | None) -> bool:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
            return True
        if isinstance(exc, _OUTAGES):
            return True
        if isinstance(exc, asyncpg.exceptions.InterfaceError) and "is closed" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


_OUTAGES = (
    OSError,  # refused, reset, timed out
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    sqlalchemy.exc.DisconnectionError,
    asyncpg.exceptions.PostgresConnectionError,  # class 08: the connection broke
    asyncpg.exceptions.AdminShutdownError,  # 57P01-57P03: the server is stopping or starting
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled error", exc_info=exc)
    return problem_response(500, "The server could not handle the request; it has been logged.")


exception_handlers: dict[type[Exception] | int, Any] = {
    DomainError: _domain_error,
    OSError: _dependency_down,  # connection refused/reset, timeouts, missing unix sockets
    sqlalchemy.exc.OperationalError: _dependency_down,
    sqlalchemy.exc.InterfaceError: _dependency_down,
    sqlalchemy.exc.TimeoutError: _dependency_down,  # no pooled connection came free in time
    sqlalchemy.exc.DBAPIError: _database_error,  # a disconnect is 503, anything else 500
    advanced_alchemy.exceptions.AdvancedAlchemyError: _database_error,
    asyncpg.exceptions.PostgresError: _database_error,
    asyncpg.exceptions.InterfaceError: _database_error,
    redis.exceptions.ConnectionError: _dependency_down,
    redis.exceptions.TimeoutError: _dependency_down,
    ValidationException: _validation_error,
    HTTPException: _http_exception,
    Exception: _unexpected,
}
