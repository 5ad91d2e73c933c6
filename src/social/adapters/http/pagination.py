"""Query parameters and page bodies shared by every list endpoint (api.md conventions)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from social.domain.shared.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Cursor,
    KeyCursor,
    KeyPageRequest,
    PageRequest,
    RankCursor,
    RankedPageRequest,
)

__all__ = [
    "CursorParam",
    "LimitParam",
    "encode_cursor",
    "key_page_request",
    "page_request",
    "ranked_page_request",
]

LimitParam = Annotated[
    int, Parameter(ge=1, le=MAX_LIMIT, description=f"Items per page (≤ {MAX_LIMIT}).")
]
CursorParam = Annotated[
    str | None, Parameter(max_length=200, description="`next_cursor` of the previous page.")
]


def page_request(limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> PageRequest:
    return PageRequest(limit=limit, after=Cursor.decode(cursor) if cursor else None)


def ranked_page_request(limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> RankedPageRequest:
    return RankedPageRequest(limit=limit, after=RankCursor.decode(cursor) if cursor else None)


def key_page_request(limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> KeyPageRequest:
    return KeyPageRequest(limit=limit, after=KeyCursor.decode(cursor) if cursor else None)


def encode_cursor(cursor: Cursor | RankCursor | KeyCursor | None) -> str | None:
    return cursor.encode() if cursor else None
