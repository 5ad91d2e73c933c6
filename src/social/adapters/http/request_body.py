"""The base of every request body: a field an operation does not take is refused, not dropped.

A client that sends ``visibility`` to an API without such a field must learn so (422 naming it)
rather than believe it set something. msgspec stops at the first unknown field it meets;
``unknown_fields`` names them all for the error answer.
"""

from __future__ import annotations

from typing import Any, get_args

import msgspec
from litestar import Request
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

__all__ = ["UNKNOWN_FIELD", "RequestBody", "unknown_fields"]

UNKNOWN_FIELD = "is not a field of this request"


class RequestBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Every ``*In`` struct derives from this (subclasses inherit ``forbid_unknown_fields``)."""


def unknown_fields(request: Request[Any, Any, Any]) -> list[str]:
    """The top-level fields of the request's JSON body that its handler's body type lacks, in
    the order sent (empty when the body or the type is not an object/struct)."""
    body = ScopeState.from_scope(request.scope).json
    field = request.route_handler.parsed_data_field
    if body is Empty or not isinstance(body, dict) or field is None:
        return []
    kinds = get_args(field.annotation) or (field.annotation,)  # ``X | None`` bodies too
    for kind in kinds:
        if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
            known = set(kind.__struct_encode_fields__)
            return [str(name) for name in body if name not in known]
    return []
