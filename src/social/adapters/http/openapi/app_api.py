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
