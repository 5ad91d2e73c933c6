"""Pagination at the HTTP edge: the ``limit`` and ``cursor`` query parameters of every list
endpoint, declared here once and injected as the ``page`` dependency, and the cursor's wire
format (base64url of a short JSON array, opaque to clients). A token this API did not issue
is a 422 naming ``cursor``."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, overload
from uuid import UUID

from litestar.di import NamedDependency, Provide
from litestar.params import Parameter

from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    AnyCursor,
    Cursor,
    KeyCursor,
    PageRequest,
    RankCursor,
)

__all__ = [
    "MEMBER_PAGE",
    "PUBLIC_PAGE",
    "CursorParam",
    "LimitParam",
    "PageQuery",
    "Paging",
    "decode_key_cursor",
    "decode_rank_cursor",
    "decode_time_cursor",
    "encode_cursor",
]

LimitParam = Annotated[
    int, Parameter(ge=1, le=MAX_LIMIT, description=f"Items per page (≤ {MAX_LIMIT}).")
]
CursorParam = Annotated[
    str | None, Parameter(max_length=200, description="`next_cursor` of the previous page.")
]


@dataclass(frozen=True, slots=True)
class PageQuery:
    """``limit`` and ``cursor`` as the client sent them (Litestar has checked their bounds).
    The handler reads them as the page request of the order it lists in; that order may hang
    on another parameter (``/search?type=``, ``/places/nearby?sort=``), so the cursor is only
    decoded then."""

    limit: int
    cursor: str | None

    @property
    def by_time(self) -> PageRequest[Cursor]:
        return PageRequest(self.limit, decode_time_cursor(self.cursor) if self.cursor else None)

    @property
    def by_rank(self) -> PageRequest[RankCursor]:
        return PageRequest(self.limit, decode_rank_cursor(self.cursor) if self.cursor else None)

    @property
    def by_key(self) -> PageRequest[KeyCursor]:
        return PageRequest(self.limit, decode_key_cursor(self.cursor) if self.cursor else None)


Paging = NamedDependency[PageQuery]
"""A handler's ``page`` parameter."""


# The ``page`` dependency comes after the handler's viewer, through ``page_after``: Litestar
# resolves the dependencies of one level side by side in an anyio task group (about 65 µs a
# request measured, against 6 µs for this chain; see docs/architecture.md), and a request
# without its token must stay a 401 before a bad ``limit`` is a 422. The API router provides
# PUBLIC_PAGE (after ``optional_viewer``); a handler that takes ``viewer`` adds MEMBER_PAGE.
# tests/unit/test_page_dependency.py holds every list route to this.


def _page(
    page_after: NamedDependency[None],
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> PageQuery:
    return PageQuery(limit, cursor)


def _after_optional_viewer(optional_viewer: NamedDependency[Viewer | None]) -> None:
    return None


def _after_viewer(viewer: NamedDependency[Viewer]) -> None:
    return None


PUBLIC_PAGE = {
    "page": Provide(_page, sync_to_thread=False),
    "page_after": Provide(_after_optional_viewer, sync_to_thread=False),
}
MEMBER_PAGE = {"page_after": Provide(_after_viewer, sync_to_thread=False)}


@overload
def encode_cursor(cursor: AnyCursor) -> str: ...
@overload
def encode_cursor(cursor: None) -> None: ...
@overload
def encode_cursor(cursor: AnyCursor | None) -> str | None: ...
def encode_cursor(cursor: AnyCursor | None) -> str | None:
    """The token a client sends back as ``cursor``; ``None`` (the last page) stays ``None``."""
    if cursor is None:
        return None
    if isinstance(cursor, Cursor):
        raw: list[object] = [cursor.at.isoformat(), str(cursor.id)]
    elif isinstance(cursor, RankCursor):
        raw = ["r", cursor.rank, str(cursor.id)]
    else:
        raw = ["k", cursor.key]
    text = json.dumps(raw, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _not_issued() -> Invalid:
    return Invalid.field("cursor", "is not a cursor this API issued")


# A token that does not decode, or decodes to the wrong shape, is one this API did not issue.
_MALFORMED = (ValueError, TypeError, AttributeError, binascii.Error)


def _decoded(token: str) -> Any:
    padded = token + "=" * (-len(token) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode()))


def decode_time_cursor(token: str) -> Cursor:
    try:
        at, id_ = _decoded(token)
        return Cursor(datetime.fromisoformat(at), UUID(id_))
    except _MALFORMED:
        raise _not_issued() from None


def decode_rank_cursor(token: str) -> RankCursor:
    try:
        tag, rank, id_ = _decoded(token)
        if (
            tag != "r"
            or not isinstance(rank, int | float)
            or isinstance(rank, bool)
            or not math.isfinite(rank)
        ):
            raise ValueError(tag)
        return RankCursor(float(rank), UUID(id_))
    except _MALFORMED:
        raise _not_issued() from None


def decode_key_cursor(token: str) -> KeyCursor:
    try:
        tag, key = _decoded(token)
        if tag != "k" or not isinstance(key, str):
            raise ValueError(tag)
        return KeyCursor(key)
    except _MALFORMED:
        raise _not_issued() from None
