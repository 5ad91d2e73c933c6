"""Litestar's and msgspec's validation failures as a 422 (or 400) that names each field.

msgspec words a broken rule in its own terms (``Expected `str` of length <= 30``); clients get
the words of the domain's own errors (``must be at most 30 characters``), one entry per field,
and every unknown field at once where msgspec names only the first.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import ValidationException

from social.adapters.http.problems import problem_response
from social.adapters.http.request_body import (
    NUL_MESSAGE,
    UNKNOWN_FIELD,
    form_nul_field,
    unknown_fields,
)
from social.adapters.http.request_limits import PATTERN_MESSAGES

__all__ = ["validation_problem"]

_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$\.?([^`]*)`$")
_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `([^`]+)`")


def validation_problem(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """The exception handler for ``ValidationException``."""
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
