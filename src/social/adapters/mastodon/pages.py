"""Keyset pages as Mastodon clients page: ``limit`` and ``max_id`` in, a ``Link`` header out
(temporary: replaced by the read helper's ``links.py``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.enums import MediaType

from social.adapters.http.pagination import decode_time_cursor, encode_cursor
from social.adapters.mastodon.entities import array, entities_for
from social.adapters.mastodon.params import Params
from social.adapters.mastodon.routes import COLLIDING_PREFIX
from social.domain.reads.model import AccountCard
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["account_list", "link_response", "page_request"]


def page_request(params: Params, default: int, high: int) -> PageRequest[Cursor]:
    limit = params.number("limit", default, low=1, high=high)
    max_id = params.text("max_id", max_length=200)
    return PageRequest(limit, decode_time_cursor(max_id) if max_id else None)


def link_response(
    request: Request[Any, Any, Any], body: bytes, next_cursor: Cursor | None
) -> Response[Any]:
    headers = {}
    if next_cursor is not None:
        path = request.url.path.removeprefix(COLLIDING_PREFIX)
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "max_id"]
        query.append(("max_id", encode_cursor(next_cursor)))
        url = f"{entities_for(request).urls.base}{path}?{urlencode(query)}"
        headers["Link"] = f'<{url}>; rel="next"'
    return Response(body, media_type=MediaType.JSON, headers=headers)


def account_list(request: Request[Any, Any, Any], page: Page[AccountCard, Cursor]) -> Response[Any]:
    entities = entities_for(request)
    return link_response(request, array(map(entities.account, page.items)), page.next_cursor)
