"""The ``FeedItem`` object and its pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import msgspec
from litestar import Response

from social.adapters.http.cards import account_json, json_response, json_value, page_json, post_json
from social.adapters.http.posts.schemas import PostOut
from social.adapters.http.users.schemas import UserOut
from social.domain.feed.home_feed import FeedItemView
from social.domain.feed.model import FeedEntry
from social.domain.shared.pagination import Cursor, Page

__all__ = ["FeedItemOut", "FeedPageOut", "feed_page_response"]


class FeedItemOut(msgspec.Struct, kw_only=True):
    id: UUID
    """The post's id for a post, the share's id for a share."""
    kind: Literal["post", "share"]
    post: PostOut
    shared_by: UserOut | None
    created_at: datetime


class FeedPageOut(msgspec.Struct, kw_only=True):
    items: list[FeedItemOut]
    next_cursor: str | None


_framing: dict[FeedEntry, tuple[bytes, bytes]] = {}
"""Each entry's own bytes around its post, written once (an entry never changes; bounded)."""


def _frame(entry: FeedEntry) -> tuple[bytes, bytes]:
    found = _framing.get(entry)
    if found is None:
        if len(_framing) >= 100_000:
            _framing.clear()
        found = _framing[entry] = (
            b'{"id":"%s","kind":"%s","post":' % (str(entry.id).encode(), entry.kind.value.encode()),
            b',"created_at":%b}' % json_value(entry.created_at),
        )
    return found


def _item(view: FeedItemView) -> bytes:
    head, tail = _frame(view.entry)
    sharer = account_json(view.shared_by) if view.shared_by is not None else b"null"
    return b'%b%b,"shared_by":%b%b' % (head, post_json(view.post), sharer, tail)


def feed_page_response(page: Page[FeedItemView, Cursor]) -> Response[Any]:
    return json_response(page_json(map(_item, page.items), page.next_cursor))
