"""Problem responses in the OpenAPI document: the ``ProblemOut`` schema, one schema per status
(its ``status`` and ``title`` fixed) and a description per status, as the error handlers
(errors.py, problems.py) answer them."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi import ResponseSpec

from social.adapters.http.openapi.exact_schemas import SCHEMAS
from social.adapters.http.problems import PROBLEM_JSON, problem_title

__all__ = [
    "API_ERRORS",
    "FieldErrorOut",
    "ProblemOut",
    "describe_problem",
    "problem_schemas",
    "problems",
]


class FieldErrorOut(msgspec.Struct):
    field: str
    message: str


class ProblemOut(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details; ``errors`` lists invalid fields on 422."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] | msgspec.UnsetType = msgspec.UNSET


_DESCRIPTIONS = {
    400: "Malformed request: the body is not JSON (or not UTF-8, or nested too deeply), or not "
    "valid multipart/form-data",
    401: "Missing, invalid, expired or revoked access token, wrong credentials, or an unknown "
    "`X-Client-Key`",
    403: "Not allowed",
    405: "Wrong method for the path",
    426: "Not a WebSocket upgrade",
    404: "Not found, or hidden from the caller",
    409: "Conflicts with existing data",
    413: "Payload too large",
    415: "Not a photo or video we accept (judged from the bytes)",
    422: "Invalid fields; `errors` names each one",
    429: "Rate limit exceeded; retry after `Retry-After` seconds",
    500: "A bug; logged with the request id, nothing internal is shown",
    503: "A dependency is unavailable; retry after `Retry-After` seconds",
}
_GENERIC_DESCRIPTIONS = {*_DESCRIPTIONS.values(), "Bad request syntax or unsupported method"}
API_ERRORS = (400, 401, 422, 429, 500, 503)
"""What any API operation may answer: a malformed or invalid request, an unknown client key or a
bad token, the rate limit, a bug, a dependency outage."""


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a route may give besides the common ones
    (400, 401, 422, 429, 500, 503 are added to every API operation by ``exact_document``)."""
    return {
        status: ResponseSpec(
            data_container=ProblemOut,
            description=_DESCRIPTIONS.get(status, "Error"),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


def problem_schemas() -> dict[str, Any]:
    problem = {
        "type": "object",
        "title": "ProblemOut",
        "description": "RFC 9457 problem details. `type` is stable per kind of problem (the "
        "table in docs/api.md), `title` is fixed per status, `detail` is for people. More "
        "members may be added (RFC 9457 extension members).",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "examples": ["/problems/validation-failed"]},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {"$ref": f"{SCHEMAS}FieldErrorOut"},
                "description": "422 (and a 409 naming a taken field): the fields at fault.",
            },
            "dependency": {
                "type": "string",
                "description": "503: the dependency that is unavailable.",
            },
        },
    }
    field_error = {
        "type": "object",
        "title": "FieldErrorOut",
        "required": ["field", "message"],
        "properties": {
            "field": {
                "type": "string",
                "description": "The field, dotted for nested ones (`place.latitude`).",
            },
            "message": {"type": "string"},
        },
    }
    schemas: dict[str, Any] = {"ProblemOut": problem, "FieldErrorOut": field_error}
    for status in _DESCRIPTIONS:
        schemas[f"Problem{status}"] = {
            "allOf": [{"$ref": f"{SCHEMAS}ProblemOut"}],
            "properties": {
                "status": {"const": status},
                "title": {"const": problem_title(status)},
            },
        }
    return schemas


def describe_problem(response: dict[str, Any], status: int) -> None:
    content = response.get("content", {})
    own = content.get(PROBLEM_JSON, {}).get("schema", {})
    if own and own.get("$ref") != f"{SCHEMAS}ProblemOut":
        schema = own  # a problem of its own shape (the readiness report), kept
    else:
        name = f"Problem{status}" if status in _DESCRIPTIONS else "ProblemOut"
        schema = {"$ref": f"{SCHEMAS}{name}"}
    response["content"] = {PROBLEM_JSON: {"schema": schema}}
    description = response.get("description")
    if not description or description in _GENERIC_DESCRIPTIONS:
        response["description"] = _DESCRIPTIONS.get(status, problem_title(status))
