"""Keyset pagination: a page request names how many items and the position after which to
continue; a page carries its items and the position of its last one when more follow. Positions
are plain data ordered like the list they page (never an offset), so no item is skipped or
repeated while the list changes. How a position travels to a client (an opaque string) is the
HTTP adapter's business (``adapters/http/pagination.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from social.domain.shared.errors import Invalid

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "AnyCursor",
    "Cursor",
    "KeyCursor",
    "Page",
    "PageRequest",
    "RankCursor",
    "page_of",
]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Cursor:
    """Position after the last item of a list in time order: its sort time and id (the
    tie-breaker)."""

    at: datetime
    id: UUID


@dataclass(frozen=True, slots=True)
class RankCursor:
    """Position after the last item of a ranked list (popularity, distance): its rank and id."""

    rank: float
    id: UUID


@dataclass(frozen=True, slots=True)
class KeyCursor:
    """Position after the last item of a list ordered by a unique text key (a username)."""

    key: str


AnyCursor = Cursor | RankCursor | KeyCursor
T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C", bound=AnyCursor)
C_co = TypeVar("C_co", bound=AnyCursor, covariant=True)


@dataclass(frozen=True, slots=True)
class PageRequest(Generic[C]):
    """``limit`` items after ``after`` (from the start when ``None``); ``C`` is the kind of
    position the list's order uses."""

    limit: int = DEFAULT_LIMIT
    after: C | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise Invalid.field("limit", f"must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True, slots=True)
class Page(Generic[T, C_co]):
    """Items of one page; ``next_cursor`` is ``None`` on the last page."""

    items: list[T]
    next_cursor: C_co | None


def page_of(
    fetched: Sequence[R], limit: int, item: Callable[[R], T], cursor: Callable[[R], C]
) -> Page[T, C]:
    """A page from ``limit + 1`` fetched rows: the extra row only says a next page exists, so
    the last page (and an empty one) carries no cursor. ``cursor`` names the last row kept."""
    kept = fetched[:limit]
    after = cursor(kept[-1]) if len(fetched) > limit else None
    return Page(items=[item(row) for row in kept], next_cursor=after)
