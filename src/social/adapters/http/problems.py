"""Problem documents (RFC 9457): the one shape of every error response of the API.

``type`` is a stable URI per kind of problem, documented in docs/api.md; ``title`` is fixed per
status. The exception handlers (errors.py), the middlewares that answer before any route runs
and the OpenAPI document all build or describe problems from here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from litestar import Response
from litestar.types import HTTPResponseBodyEvent, HTTPResponseStartEvent, Send

__all__ = [
    "PROBLEM_JSON",
    "problem_document",
    "problem_response",
    "problem_title",
    "send_problem",
]

PROBLEM_JSON = "application/problem+json"

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
    """A problem+json answer from an exception handler or a route."""
    body = problem_document(status, detail, code=code, **members)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)
