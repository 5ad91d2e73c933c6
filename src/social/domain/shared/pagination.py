"""Keyset pagination: opaque cursors over ``(created_at, id)`` that never skip or repeat."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from social.domain.shared.errors import Invalid

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Cursor",
    "KeyCursor",
    "KeyPageRequest",
    "Page",
    "PageRequest",
    "RankCursor",
    "RankedPageRequest",
    "keyset_page",
]

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Cursor:
    """Position after the last item of a page: its sort time and id (the tie-breaker)."""

    at: datetime
    id: UUID

    def encode(self) -> str:
        raw = json.dumps([self.at.isoformat(), str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            at, id_ = json.loads(base64.urlsafe_b64decode(padded.encode()))
            return cls(datetime.fromisoformat(at), UUID(id_))
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
            raise Invalid.field("cursor", "is not a cursor this API issued") from None


@dataclass(frozen=True, slots=True)
class RankCursor:
    """Position after the last item of a ranked list (popularity, distance): its rank and id."""

    rank: float
    id: UUID

    def encode(self) -> str:
        raw = json.dumps(["r", self.rank, str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> RankCursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            tag, rank, id_ = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if tag != "r" or not isinstance(rank, int | float) or isinstance(rank, bool):
                raise ValueError(tag)
            return cls(float(rank), UUID(id_))
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
            raise Invalid.field("cursor", "is not a cursor this API issued") from None


@dataclass(frozen=True, slots=True)
class KeyCursor:
    """Position after the last item of a list ordered by a unique text key (a username)."""

    key: str

    def encode(self) -> str:
        raw = json.dumps(["k", self.key], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> KeyCursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            tag, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if tag != "k" or not isinstance(key, str):
                raise ValueError(tag)
            return cls(key)
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
            raise Invalid.field("cursor", "is not a cursor this API issued") from None


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    after: Cursor | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise Invalid.field("limit", f"must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True, slots=True)
class RankedPageRequest:
    limit: int = DEFAULT_LIMIT
    after: RankCursor | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise Invalid.field("limit", f"must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True, slots=True)
class KeyPageRequest:
    limit: int = DEFAULT_LIMIT
    after: KeyCursor | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise Invalid.field("limit", f"must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: Cursor | RankCursor | KeyCursor | None


def keyset_page(rows: list[tuple[UUID, datetime]], limit: int) -> Page[UUID]:
    """Turn ``limit + 1`` fetched ``(id, sort time)`` rows into a page: the extra row only says
    a next page exists, so the last page (and an empty one) carries no cursor."""
    items = rows[:limit]
    next_cursor = Cursor(at=items[-1][1], id=items[-1][0]) if len(rows) > limit else None
    return Page(items=[item_id for item_id, _ in items], next_cursor=next_cursor)
