"""The bases of every request body: a field an operation does not take is refused, not dropped.

A client that sends ``visibility`` to an API without such a field must learn so (422 naming it)
rather than believe it set something. msgspec stops at the first unknown field it meets;
``unknown_fields`` names them all for the error answer. Multipart forms are parsed by Litestar
apart from JSON bodies (see ``hostile_input``), so ``FormBody`` applies the NUL rule to their
text parts itself.
"""

from __future__ import annotations

import re
from typing import Any, get_args

import msgspec
from litestar import Request
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

__all__ = [
    "NUL_MESSAGE",
    "UNKNOWN_FIELD",
    "FormBody",
    "RequestBody",
    "form_nul_field",
    "unknown_fields",
]

UNKNOWN_FIELD = "is not a field of this request"
NUL_MESSAGE = "must not contain the NUL character (U+0000)"
_FORM_NUL = re.compile(re.escape(NUL_MESSAGE) + r": `([^`]+)`")


class RequestBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Every ``*In`` struct derives from this (subclasses inherit ``forbid_unknown_fields``)."""


class FormBody(msgspec.Struct, forbid_unknown_fields=True):
    """Every multipart form struct derives from this: unknown parts are refused, and a text part
    holding a NUL is 422 naming it, as in a JSON body. msgspec reports whatever this raises as
    a message about the whole body, so the message names the part (``form_nul_field`` reads
    it back)."""

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(f"{NUL_MESSAGE}: `{name}`")


def form_nul_field(message: str) -> str | None:
    """The form part a ``FormBody`` refused for a NUL, from msgspec's message (else ``None``)."""
    found = _FORM_NUL.fullmatch(message)
    return found.group(1) if found else None


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
