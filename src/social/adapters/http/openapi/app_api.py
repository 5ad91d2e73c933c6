"""The app API's rate-limit headers in the document: its operations (tag ``mastodon``) under a
counted path carry ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` beside the standard
``RateLimit-*`` (rate_limit.py's ``RateLimitStyle``, adapters/mastodon/rate_limits.py)."""

from __future__ import annotations

from typing import Any

__all__ = ["APP_API_TAG", "APP_RATE_LIMIT_HEADERS", "document_app_rate_limits"]

APP_API_TAG = "mastodon"
_HEADERS = "#/components/headers/"
_COUNTED = ("/api/", "/_mastodon/")
"""Paths the limiter classifies (``/oauth/token`` counts on the sign-in rule, documented with
its operation; the pages and metadata are not counted)."""

APP_RATE_LIMIT_HEADERS: dict[str, Any] = {
    "X-RateLimit-Limit": {
        "description": "As `RateLimit-Limit`, for Mastodon clients.",
        "required": False,
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-RateLimit-Remaining": {
        "description": "As `RateLimit-Remaining`, for Mastodon clients.",
        "required": False,
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-RateLimit-Reset": {
        "description": "When the window resets (RFC 3339, UTC), for Mastodon clients.",
        "required": False,
        "schema": {"type": "string", "format": "date-time"},
    },
}

_STANDARD = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


def document_app_rate_limits(paths: dict[str, Any]) -> None:
    """Adds the headers to every response of the app API's counted operations, in place."""
    for path, item in paths.items():
        if not path.startswith(_COUNTED):
            continue
        for operation in item.values():
            if not isinstance(operation, dict) or APP_API_TAG not in operation.get("tags", ()):
                continue
            for code, response in operation.get("responses", {}).items():
                headers = response.setdefault("headers", {})
                required = code == "429"
                for name in (*_STANDARD, *APP_RATE_LIMIT_HEADERS):
                    reference: dict[str, Any] = {"$ref": f"{_HEADERS}{name}"}
                    if required:  # a refusal always says when to come back
                        reference["required"] = True
                    headers.setdefault(name, reference)


APP_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error of the app API, as Mastodon clients read it (the OAuth endpoints "
    "add RFC 6749's `error_description`).",
    "properties": {
        "error": {"type": "string"},
        "error_description": {"type": "string"},
    },
    "required": ["error"],
}
APP_ERRORS = (400, 401, 403, 404, 405, 422, 429, 500, 503)
"""What any app-API operation may answer: Mastodon's errors are `{"error"}` with these codes (a
missing scope is a 403, a hidden or unknown record a 404, a colliding path's wrong method 405)."""
_ERROR_DESCRIPTIONS = {
    400: "Malformed request, or an OAuth error",
    401: "Missing, invalid or revoked access token, or an unknown OAuth client",
    403: "Outside the token's scopes, or not allowed",
    404: "Not found, or hidden from the caller",
    405: "Wrong method for the path",
    413: "Payload too large",
    422: "Validation failed",
    429: "Rate limit exceeded; retry after `Retry-After` seconds",
    500: "A bug; logged with the request id, nothing internal is shown",
    503: "A dependency is unavailable; retry after `Retry-After` seconds",
}


def is_app_operation(operation: dict[str, Any]) -> bool:
    return APP_API_TAG in operation.get("tags", ())


def describe_app_error(response: dict[str, Any], status: int, *, page: bool) -> None:
    """An error response of the app API: ``{"error"}`` JSON (and on its one HTML page, the
    sign-in page, an HTML page too)."""
    if not response.get("description") or response["description"].startswith("Bad request"):
        response["description"] = _ERROR_DESCRIPTIONS.get(status, "Error")
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/AppError"}}
    }
    if page:
        content["text/html"] = {"schema": {"type": "string"}}
    response["content"] = content
