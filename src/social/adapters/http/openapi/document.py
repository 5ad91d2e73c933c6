"""The generated document made exact, in one place.

What is true of every operation because the middleware and the error handlers make it so: every
error is ``application/problem+json`` (errors.py), every API route is rate limited with
``RateLimit-*`` headers (rate_limit.py), every response carries ``X-Request-ID``
(request_context.py). Plus what Litestar cannot describe (the WebSocket stream, the metrics
endpoint's token) and the schemas made exact (exact_schemas.py).
"""

from __future__ import annotations

import copy
from typing import Any

from social.adapters.http.openapi.app_api import (
    APP_ERROR_SCHEMA,
    APP_ERRORS,
    APP_RATE_LIMIT_HEADERS,
    describe_app_error,
    document_app_rate_limits,
    is_app_operation,
)
from social.adapters.http.openapi.exact_schemas import close, discriminate, normalise, nullable
from social.adapters.http.openapi.problem_responses import (
    API_ERRORS,
    describe_problem,
    problem_schemas,
)
from social.adapters.http.openapi.stream import stream_operation, stream_schemas

__all__ = ["API_PREFIX", "exact_document"]

API_PREFIX = "/api/v1"
HEADERS = "#/components/headers/"


def _int_header(description: str, *, required: bool = False) -> dict[str, Any]:
    return {
        "description": description,
        "required": required,
        "schema": {"type": "integer", "minimum": 0},
    }


_HEADERS: dict[str, Any] = {
    "X-Request-ID": {
        "description": "The request's id: the client's own `X-Request-ID` if well formed "
        "(1-64 of `A-Za-z0-9._-`), else a new one. Quote it when reporting a problem.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"},
    },
    "RateLimit-Limit": _int_header("Requests allowed in the window of this route's class."),
    "RateLimit-Remaining": _int_header("Requests left in the current window."),
    "RateLimit-Reset": _int_header("Seconds until the window resets."),
    "Retry-After": _int_header("Seconds to wait before retrying."),
    "WWW-Authenticate": {
        "description": 'A refused access token: `Bearer error="invalid_token"`.',
        "required": False,
        "schema": {"type": "string"},
    },
}


def _ref(name: str, **overrides: Any) -> dict[str, Any]:
    return {"$ref": f"{HEADERS}{name}", **overrides}


def _metrics_operation(operation: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in operation.items() if k not in ("responses", "security")},
        "tags": ["operations"],
        "operationId": "metrics",
        "summary": "Prometheus metrics (text exposition format)",
        "description": "Served on this port only when the deployment sets a metrics token, "
        "which scrapers send as a bearer token (a user's access token does not do).",
        "security": [{"MetricsToken": []}],
        "responses": {
            "200": {
                "description": "The metrics.",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
            "401": {"description": "Missing or wrong metrics token"},
        },
    }


def exact_document(
    document: dict[str, Any], *, api_prefix: str = API_PREFIX, stream_path: str | None = None
) -> dict[str, Any]:
    """The generated document made exact (see the module docstring); returns a new dict."""
    doc = copy.deepcopy(document)
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.update(problem_schemas())
    schemas["AppError"] = APP_ERROR_SCHEMA
    components.setdefault("headers", {}).update(_HEADERS)
    components["headers"].update(APP_RATE_LIMIT_HEADERS)
    paths: dict[str, Any] = doc.setdefault("paths", {})
    if "/metrics" in paths and "get" in paths["/metrics"]:
        paths["/metrics"]["get"] = _metrics_operation(paths["/metrics"]["get"])
        components.setdefault("securitySchemes", {})["MetricsToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "The metrics token of the deployment (not a user's access token)",
        }
    for path, item in paths.items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                if is_app_operation(operation):
                    _complete(operation, path=path, api=True, common=APP_ERRORS, app=True)
                else:
                    _complete(operation, path=path, api=path.startswith(api_prefix + "/"))
    document_app_rate_limits(paths)
    if stream_path:
        schemas.update(stream_schemas())
        stream = stream_operation()
        _complete(stream, path=stream_path, api=True, common=(401, 429, 500))
        paths[stream_path] = {"get": stream}
    close(schemas)
    normalise(doc)
    discriminate(schemas, doc)
    doc["paths"] = dict(sorted(paths.items()))
    return doc


def _complete(
    operation: dict[str, Any],
    *,
    path: str,
    api: bool,
    common: tuple[int, ...] = API_ERRORS,
    app: bool = False,
) -> None:
    """The responses every operation may give, as problem+json (the app API's as ``{"error"}``),
    with the headers they carry."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses = {500}
    if api:
        statuses.update(common)
        if "requestBody" in operation:
            statuses.add(413)  # the body size limit holds for every body
        if "{" in path:
            statuses.add(404)  # a path parameter that is malformed or names nothing
    body = operation.get("requestBody", {})
    if any(nullable(media.get("schema", {})) for media in body.get("content", {}).values()):
        body["required"] = False  # ``data: X | None = None``: no body is a valid request
    for status in statuses:
        responses.setdefault(str(status), {})
    for code, response in responses.items():
        status = int(code)
        if status in (101, 403) and "x-websocket" in operation:
            continue  # made by the ASGI server before or instead of any HTTP response of ours
        if status >= 400 and app:
            describe_app_error(response, status, page=path == "/oauth/authorize")
        elif status >= 400:
            describe_problem(response, status)
        headers = response.setdefault("headers", {})
        headers["X-Request-ID"] = _ref("X-Request-ID")
        if api:
            required = status == 429
            for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
                headers[name] = _ref(name, required=required) if required else _ref(name)
        if api and status in (429, 503):
            headers["Retry-After"] = (
                _ref("Retry-After", required=True) if status == 429 else _ref("Retry-After")
            )
        if status == 401:
            headers["WWW-Authenticate"] = _ref("WWW-Authenticate")
    operation["responses"] = dict(sorted(responses.items()))
