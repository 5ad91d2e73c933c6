"""Mastodon's pagination over ours: ``limit``, ``max_id``, ``since_id``, ``min_id`` in, an
absolute ``Link`` header out.

- **Link values are our cursors.** ``rel="next"`` carries ``max_id=<token>``: the same opaque
  token as the native ``next_cursor`` (base64url without padding: only URL-unreserved
  characters, which Mastodon.py copies raw from the header). ``rel="prev"`` carries
  ``min_id=<token>`` of the page's first item, on the lists whose items' positions are known
  (the home and tag timelines).
- **A plain status id works too** (a client may page by the last id it holds). Ids are UUIDv7,
  so an id carries its millisecond: ``max_id=<id>`` reads the list from just after that
  millisecond (2 ms of slack: an item's time is taken a few microseconds after its id) and keeps
  the items with smaller ids. Edge case: an item whose time was taken more than 2 ms after its
  id (a stalled process), yet older than the given id, could be skipped. On lists ordered by
  something else than the status (bookmarks, favourites: the time of the save or like;
  the public timeline: popularity) only the Link tokens page exactly; a plain id there pages
  by the time it carries (bookmarks, favourites) or ends the list (public).
- **since_id and min_id** return the newest items newer than the position (at most ``limit``):
  our lists only page towards older items, so the first page is read and cut at the position.
  Mastodon's ``min_id`` gives the items *just* newer than it, oldest first in the window: when
  more than ``limit`` items are newer, we give the newest ``limit`` instead (a client walking
  ``prev`` links then misses none it is shown: the older of those new items are reachable
  through ``next``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, Response

from social.adapters.http.cards import json_response
from social.adapters.http.pagination import decode_time_cursor, encode_cursor
from social.domain.shared.errors import Invalid
from social.domain.shared.pagination import AnyCursor, Cursor, PageRequest

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Position",
    "TimePaging",
    "clamp_limit",
    "link_header",
    "paged_response",
    "time_paging",
]

DEFAULT_LIMIT = 20
MAX_LIMIT = 40
_SLACK = timedelta(milliseconds=2)
_PAGING_KEYS = frozenset({"max_id", "min_id", "since_id"})
T = TypeVar("T")

Position = tuple[datetime, UUID]
"""An item's place in a time-ordered list: its time and id, as a ``Cursor`` holds them."""


def clamp_limit(limit: int | None, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    """Mastodon clamps ``limit`` rather than refusing it."""
    return default if limit is None else max(1, min(maximum, limit))


def _uuid7(text: str) -> UUID | None:
    if len(text) != 36 or text.count("-") != 4:
        return None
    try:
        found = UUID(text)
    except ValueError:
        return None
    return found if found.version == 7 else None


def _uuid_time(value: UUID) -> datetime:
    return datetime.fromtimestamp((value.int >> 80) / 1000, tz=UTC)


def _position(name: str, text: str) -> tuple[Cursor, UUID | None]:
    """A position given as our token or as a plain id (then also returned)."""
    plain = _uuid7(text)
    if plain is not None:
        return Cursor(_uuid_time(plain), plain), plain
    try:
        return decode_time_cursor(text), None
    except Invalid:
        raise Invalid.field(name, "is not a status id or a Link header's value") from None


@dataclass(frozen=True, slots=True)
class TimePaging:
    """One request's paging on a time-ordered list (newest first)."""

    limit: int
    before: Cursor | None = None
    """Where to read from (``max_id``)."""
    before_id: UUID | None = None
    """``max_id`` as a plain id: items with smaller ids only."""
    newer: Cursor | None = None
    """``since_id``/``min_id``: items newer than this only."""
    newer_id: UUID | None = None

    @property
    def request(self) -> PageRequest[Cursor]:
        """What to ask the use case for (a plain id reads from just after its millisecond)."""
        before = self.before
        if before is not None and self.before_id is not None:
            before = Cursor(before.at + _SLACK, before.id)
        return PageRequest(self.limit, before)

    def keep(self, items: Sequence[T], position: Callable[[T], Position]) -> list[T]:
        """The items of a page read for this request that it asked for."""
        kept = list(items)
        if self.before_id is not None:
            before_id = self.before_id
            kept = [item for item in kept if position(item)[1] < before_id]
        if self.newer_id is not None:
            newer_id = self.newer_id
            kept = [item for item in kept if position(item)[1] > newer_id]
        elif self.newer is not None:
            newer = (self.newer.at, self.newer.id)
            kept = [item for item in kept if position(item) > newer]
        return kept

    @property
    def cut(self) -> bool:
        """Whether the list is read only down to a position (no ``next`` past it)."""
        return self.newer is not None


def time_paging(
    limit: int | None,
    max_id: str | None,
    since_id: str | None = None,
    min_id: str | None = None,
) -> TimePaging:
    before, before_id = _position("max_id", max_id) if max_id else (None, None)
    newer_text, name = (min_id, "min_id") if min_id else (since_id, "since_id")
    newer, newer_id = _position(name, newer_text) if newer_text else (None, None)
    if newer is not None and before is None:
        # only the newest items can be newer than a position: read the first page
        return TimePaging(clamp_limit(limit), None, None, newer, newer_id)
    return TimePaging(clamp_limit(limit), before, before_id, newer, newer_id)


def link_header(
    request: Request[Any, Any, Any],
    base_url: str,
    next_cursor: AnyCursor | None,
    first: AnyCursor | None = None,
) -> dict[str, str]:
    """``Link`` with ``rel="next"`` (``max_id``) when more items follow and ``rel="prev"``
    (``min_id``) when the first item's position is known; no header when neither."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _PAGING_KEYS]
    where = f"{base_url}{request.url.path}"
    links = []
    if next_cursor is not None:
        query = urlencode([*kept, ("max_id", encode_cursor(next_cursor))])
        links.append(f'<{where}?{query}>; rel="next"')
    if first is not None:
        query = urlencode([*kept, ("min_id", encode_cursor(first))])
        links.append(f'<{where}?{query}>; rel="prev"')
    return {"Link": ", ".join(links)} if links else {}


def paged_response(body: bytes, headers: dict[str, str]) -> Response[Any]:
    """A JSON array already written, with its ``Link`` header (if any)."""
    response = json_response(body)
    if headers:
        response.headers.update(headers)
    return response
