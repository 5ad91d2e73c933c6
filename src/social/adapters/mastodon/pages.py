"""Pages of accounts (followers, following, follow requests) as Mastodon clients page them:
``limit`` and ``max_id`` in, a ``Link`` header out (``links.py``).

An item's place in these lists is the follow's or request's, not the account's: like
Mastodon, whose ``max_id`` there is a follow's id, only the ``Link`` header's values page them
(a plain account id says nothing of where its follow sits: 422)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any
from uuid import UUID

from litestar import Request, Response

from social.adapters.http.pagination import decode_time_cursor
from social.adapters.mastodon.entities import array, entities_for
from social.adapters.mastodon.links import TimePaging, link_header, paged_response
from social.adapters.mastodon.params import Params
from social.domain.reads.model import AccountCard, PostCard
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["account_list", "list_response", "page_request", "post_list"]


def page_request(params: Params, default: int, high: int) -> PageRequest[Cursor]:
    limit = params.number("limit", default, low=1, high=high)
    max_id = params.text("max_id", max_length=200)
    return PageRequest(limit, decode_time_cursor(max_id) if max_id else None)


def list_response(
    request: Request[Any, Any, Any], body: bytes, next_cursor: Cursor | None
) -> Response[Any]:
    """An array already written, with ``rel="next"`` while more items follow."""
    base = entities_for(request).urls.base
    return paged_response(body, link_header(request, base, next_cursor))


def account_list(request: Request[Any, Any, Any], page: Page[AccountCard, Cursor]) -> Response[Any]:
    entities = entities_for(request)
    return list_response(request, array(map(entities.account, page.items)), page.next_cursor)


async def post_list(
    request: Request[Any, Any, Any],
    paging: TimePaging,
    page: Page[PostCard, Cursor],
    find_mentioned: Callable[[Collection[str]], Awaitable[Mapping[str, UUID]]],
) -> Response[Any]:
    """A time-ordered page of posts as Statuses: the items this request asked for (``since_id``
    and ``min_id`` cut the page read), with ``rel="next"`` unless that cut ended it and
    ``rel="prev"`` from the first item's place."""
    entities = entities_for(request)

    def position(card: PostCard) -> tuple[Any, Any]:
        return entities.post_time(card), card.state.id

    items = paging.keep(page.items, position)
    await entities.resolve_mentions(find_mentioned, items)
    body = array([entities.status(card) for card in items])
    cut = paging.cut and len(items) < len(page.items)
    first = Cursor(*position(items[0])) if items else None
    next_cursor = None if cut else page.next_cursor
    return paged_response(body, link_header(request, entities.urls.base, next_cursor, first))
